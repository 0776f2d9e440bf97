with

source as (
    select * from {{ raw_input('licenses') }}
),

renamed as (
    select
        -- ids
        lower(trim(cast(license_md5 as string))) as license_md5,
        -- optional column (FIPS instances send only the SHA-256 of the key, SPEC §4.13)
        lower(nullif(trim(cast(license_sha256 as string)), '')) as license_sha256,
        trim(cast(subscription_id as string)) as subscription_id,

        -- attributes
        lower(trim(cast(plan as string))) as plan,
        {{ parse_boolean('is_trial') }} as is_trial,

        -- measures
        cast(nullif(trim(cast(users_count as string)), '') as integer) as users_count,

        -- dates
        {{ parse_date('cast(starts_at as string)') }} as starts_at,
        {{ parse_date('cast(expires_at as string)') }} as expires_at,
        {{ parse_timestamp_utc('cast(created_at as string)') }} as created_at
    from source
)

select * from renamed
