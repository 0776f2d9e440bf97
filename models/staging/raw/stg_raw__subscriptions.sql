with

source as (
    select * from {{ raw_input('subscriptions') }}
),

renamed as (
    select
        -- ids
        trim(cast(subscription_id as string)) as subscription_id,
        trim(cast(subscription_name as string)) as subscription_name,
        cast(subscription_version as integer) as subscription_version,
        trim(cast(account_id as string)) as account_id,
        cast(nullif(trim(cast(namespace_id as string)), '') as bigint) as namespace_id,

        -- attributes
        trim(cast(account_name as string)) as account_name,
        lower(trim(cast(plan as string))) as plan,
        lower(trim(cast(delivery as string))) as delivery,
        trim(cast(status as string)) as status,

        -- measures
        cast(nullif(trim(cast(licensed_seats as string)), '') as integer) as licensed_seats,

        -- dates
        {{ parse_date('cast(term_start_date as string)') }} as term_start_date,
        {{ parse_date('cast(term_end_date as string)') }} as term_end_date,
        -- optional column: the day an amendment took effect (SPEC §4.13 seats in the past)
        {{ parse_date('cast(version_effective_date as string)') }} as version_effective_date
    from source
)

select * from renamed
