with

source as (
    select * from {{ raw_input('subscriptions') }}
),

renamed as (
    select
        -- ids
        trim(cast(subscription_id as varchar)) as subscription_id,
        trim(cast(subscription_name as varchar)) as subscription_name,
        cast(subscription_version as integer) as subscription_version,
        trim(cast(account_id as varchar)) as account_id,
        cast(nullif(trim(cast(namespace_id as varchar)), '') as bigint) as namespace_id,

        -- attributes
        trim(cast(account_name as varchar)) as account_name,
        lower(trim(cast(plan as varchar))) as plan,
        lower(trim(cast(delivery as varchar))) as delivery,
        trim(cast(status as varchar)) as status,

        -- measures
        cast(nullif(trim(cast(licensed_seats as varchar)), '') as integer) as licensed_seats,

        -- dates
        {{ parse_date('cast(term_start_date as varchar)') }} as term_start_date,
        {{ parse_date('cast(term_end_date as varchar)') }} as term_end_date
    from source
)

select * from renamed
