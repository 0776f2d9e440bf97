with

subscription_months as (
    select * from {{ ref('int_subscription_usage_monthly') }}
),

final as (
    select * from subscription_months
)

select * from final
