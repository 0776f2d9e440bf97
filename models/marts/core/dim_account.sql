with

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

final as (
    select
        -- ids
        account_id,

        -- attributes (the greatest name when its subscriptions disagree, as mart_account_health)
        max(account_name) as account_name,
        count(*) as subscription_count,

        -- dates
        min(first_term_start_date) as first_term_start_date,
        max(last_term_end_date) as last_term_end_date
    from subscriptions
    group by account_id
)

select * from final
