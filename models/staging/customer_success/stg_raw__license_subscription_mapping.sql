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
        -- license_sha256 is optional: a FIPS license is mapped by its SHA-256 (SPEC §4.13)
        {{ cleaned_text_columns(
            ['license_md5', 'license_sha256', 'zuora_subscription_id'],
            lowered=['license_md5', 'license_sha256'],
            renamed={'zuora_subscription_id': 'subscription_id'},
        ) }}
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
        {{ differs_within_key('subscription_id', ['license_key']) }} as is_mapped_twice,
        {{ copy_number(['license_key']) }} as copy_number
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
        {{ rejection_reason({'is_mapped_twice': 'license_mapped_twice'}) }} as rejection_reason,
        {{ json_object_text({
            'license_md5': 'license_md5', 'zuora_subscription_id': 'subscription_id',
            'license_sha256': 'license_sha256',
        }) }} as row_fields
    from keyed
)

select * from final
