with

subscription_months as (
    select * from {{ ref('int_subscription_usage_monthly') }}
),

account_months as (
    select
        account_id,
        month,
        max(account_name) as account_name,
        count(case when is_active then 1 end) as active_subscription_count,
        count(case when is_active and billable_users is not null then 1 end) as subscriptions_with_usage_count,
        cast(sum(case when is_active then licensed_seats end) as bigint) as licensed_seats,
        -- the handbook rule (SPEC §4.13): utilization over the subscriptions with usage data only
        cast(sum(case when is_active and billable_users is not null then licensed_seats end) as bigint)
            as reporting_seats,
        cast(sum(case when is_active then billable_users end) as bigint) as billable_users
    from subscription_months
    group by account_id, month
),

-- the account's scores are those of its largest active subscription (ties: lowest id)
largest_subscription as (
    select *
    from (
        select
            subscription_id,
            account_id,
            month,
            term_month,
            row_number() over (
                partition by account_id, month
                order by licensed_seats desc nulls last, subscription_id asc
            ) as size_rank
        from subscription_months
        where is_active
    ) as ranked
    where size_rank = 1
),

final as (
    select
        account_months.*,
        largest_subscription.subscription_id as scored_subscription_id,
        largest_subscription.term_month,
        case
            when account_months.reporting_seats > 0
                then account_months.billable_users / cast(account_months.reporting_seats as double)
        end as license_utilization,
        case
            when account_months.licensed_seats > 0
                then account_months.reporting_seats / cast(account_months.licensed_seats as double)
        end as reporting_seat_share,
        -- a subscription that reports nothing makes the color N/A (NULL), never a poor one
        account_months.active_subscription_count > 0
        and account_months.subscriptions_with_usage_count = account_months.active_subscription_count
            as has_all_usage_data
    from account_months
    left join largest_subscription
        on account_months.account_id = largest_subscription.account_id
        and account_months.month = largest_subscription.month
)

select * from final
