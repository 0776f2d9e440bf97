with

source as (
    select * from {{ raw_input('license_md5_to_subscription_mapping') }}
),

renamed as (
    select
        lower(trim(cast(license_md5 as string))) as license_md5,
        -- optional column: a FIPS license is mapped by its SHA-256 (SPEC §4.13)
        lower(nullif(trim(cast(license_sha256 as string)), '')) as license_sha256,
        trim(cast(zuora_subscription_id as string)) as subscription_id
    from source
)

select * from renamed
