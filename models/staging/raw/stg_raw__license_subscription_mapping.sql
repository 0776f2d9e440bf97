with

source as (
    select * from {{ raw_input('license_md5_to_subscription_mapping') }}
),

renamed as (
    select
        lower(trim(cast(license_md5 as string))) as license_md5,
        trim(cast(zuora_subscription_id as string)) as subscription_id
    from source
)

select * from renamed
