with

source as (
    select * from {{ raw_source('customer_success', 'license_md5_to_subscription_mapping') }}
),

-- every value as trimmed text, '' as missing (license_sha256 is optional: a FIPS license is mapped
-- by its SHA-256, SPEC §4.13)
cleaned as (
    select
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
        {{ first_failing_check({
            'missing_license_key': "license_md5 is null and license_sha256 is null",
            'missing_subscription_id': "subscription_id is null",
        }) }} as row_reason,
        coalesce(license_md5, license_sha256) as license_key
    from cleaned
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
        -- a license mapped to two subscriptions: which one is right is for Customer Success to say, so
        -- every row of it is rejected; the same mapping twice is one row (the first line wins)
        {{ rejection_reason(
            ['license_key'],
            [{'reason': 'license_mapped_twice', 'values': 'subscription_id'}],
        ) }} as rejection_reason,
        {{ json_object_text({
            'license_md5': 'license_md5', 'zuora_subscription_id': 'subscription_id',
            'license_sha256': 'license_sha256',
        }) }} as row_fields
    from checked
)

select * from final
