with

source as (
    select * from {{ raw_input('licenses') }}
),

renamed as (
    select
        -- ids
        lower(trim(cast(license_md5 as varchar))) as license_md5,
        trim(cast(subscription_id as varchar)) as subscription_id,

        -- attributes
        lower(trim(cast(plan as varchar))) as plan,
        {{ parse_boolean('is_trial') }} as is_trial,

        -- measures
        cast(nullif(trim(cast(users_count as varchar)), '') as integer) as users_count,

        -- dates
        {{ parse_date('cast(starts_at as varchar)') }} as starts_at,
        {{ parse_date('cast(expires_at as varchar)') }} as expires_at,
        {{ parse_timestamp_utc('cast(created_at as varchar)') }} as created_at
    from source
)

select * from renamed
