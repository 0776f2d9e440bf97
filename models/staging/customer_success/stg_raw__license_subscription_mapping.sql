with

source as (
    select * from {{ raw_source('customer_success', 'license_md5_to_subscription_mapping') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        file_name,
        line_number,
        damage_reason,
        lower(nullif(trim(cast(license_md5 as string)), '')) as license_md5,
        -- optional column: a FIPS license is mapped by its SHA-256 (SPEC §4.13)
        lower(nullif(trim(cast(license_sha256 as string)), '')) as license_sha256,
        nullif(trim(cast(zuora_subscription_id as string)), '') as subscription_id
    from source
),

checked as (
    select
        *,
        case
            -- a row the reader could not read whole (not_utf8, missing_fields, too_many_fields, empty_file)
            when damage_reason is not null then damage_reason
            when license_md5 is null and license_sha256 is null then 'missing_license_key'
            when subscription_id is null then 'missing_subscription_id'
        end as row_reason,
        coalesce(license_md5, license_sha256) as license_key
    from cleaned
),

-- a license mapped to two subscriptions: which one is right is for Customer Success to say, so
-- every row of it is rejected; the same mapping twice is one row (the first line wins)
keyed as (
    select
        *,
        min(subscription_id) over (partition by row_reason is null, license_key)
        <> max(subscription_id) over (partition by row_reason is null, license_key) as is_mapped_twice,
        row_number() over (partition by row_reason is null, license_key order by line_number) as copy_number
    from checked
),

final as (
    select
        -- lineage
        file_name,
        line_number,

        -- ids
        license_md5,
        license_sha256,
        subscription_id,

        -- validation
        case
            when row_reason is not null then row_reason
            when is_mapped_twice then 'license_mapped_twice'
            when copy_number > 1 then 'duplicate_row'
        end as rejection_reason,
        {{ json_object_text({
            'license_md5': 'license_md5', 'zuora_subscription_id': 'subscription_id',
            'license_sha256': 'license_sha256',
        }) }} as row_fields
    from keyed
)

select * from final
