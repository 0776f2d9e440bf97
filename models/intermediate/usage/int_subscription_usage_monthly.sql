with

subscription_months as (
    select * from {{ ref('int_subscription_months') }}
),

instance_months as (
    select * from {{ ref('int_instance_months_typed') }}
),

license_usage as (
    select * from {{ ref('int_license_usage_monthly') }}
),

instance_rollup as (
    select
        subscription_id,
        month,
        count(*) as reporting_instance_count,
        -- copies of one installation count once (is_counted_copy, SPEC §4.13)
        count(case when is_production and is_counted_copy then 1 end) as production_instance_count,
        cast(sum(case when is_production and is_counted_copy then billable_users end) as bigint)
            as production_billable_users,
        max(case when is_primary_instance then uuid end) as primary_uuid,
        max(case when is_primary_instance then hostname end) as primary_hostname,
        max(case when is_primary_instance then ping_id end) as primary_ping_id
    from instance_months
    where is_reporting
    group by subscription_id, month
),

combined as (
    select
        subscription_months.*,
        coalesce(instance_rollup.reporting_instance_count, 0) as reporting_instance_count,
        coalesce(instance_rollup.production_instance_count, 0) as production_instance_count,
        instance_rollup.primary_uuid,
        instance_rollup.primary_hostname,
        instance_rollup.primary_ping_id,
        case
            when instance_rollup.production_instance_count > 0 then instance_rollup.production_billable_users
            else license_usage.billable_users
        end as billable_users,
        case
            when instance_rollup.production_instance_count > 0
                then case when instance_rollup.production_billable_users is not null then 'service_ping' end
            when license_usage.billable_users is not null then 'license_usage_export'
        end as billable_users_source,
        license_usage.usage_date as license_usage_date
    from subscription_months
    left join instance_rollup
        on subscription_months.subscription_id = instance_rollup.subscription_id
        and subscription_months.month = instance_rollup.month
    left join license_usage
        on subscription_months.subscription_id = license_usage.subscription_id
        and subscription_months.month = license_usage.month
),

-- the previous month's billable users and plan: a drop across a plan change (an upgrade to
-- ultimate, which bills no guests) is no user drop (SPEC §4.13)
with_previous as (
    select
        *,
        lag(billable_users) over (partition by subscription_id order by month) as lagged_billable_users,
        lag(plan) over (partition by subscription_id order by month) as lagged_plan,
        lag(month) over (partition by subscription_id order by month) as lagged_month
    from combined
),

previous as (
    select
        *,
        case when lagged_month = month - interval 1 month then lagged_billable_users end
            as previous_billable_users,
        case when lagged_month = month - interval 1 month then lagged_plan end as previous_plan
    from with_previous
),

final as (
    select
        -- ids
        subscription_id,
        subscription_name,
        account_id,
        version_subscription_id,

        -- attributes
        month,
        account_name,
        plan,
        delivery,
        status,
        is_in_term,
        is_active,
        term_month,

        -- measures
        cast(licensed_seats as bigint) as licensed_seats,
        reporting_instance_count,
        production_instance_count,
        billable_users,
        billable_users_source,
        license_usage_date,
        case when licensed_seats > 0 then billable_users / cast(licensed_seats as double) end as license_utilization,
        previous_billable_users,
        case
            when previous_billable_users > 0
                then (previous_billable_users - billable_users) / cast(previous_billable_users as double)
        end as billable_user_drop_share,
        previous_plan,
        coalesce(plan <> previous_plan, false) as is_plan_change,

        -- the primary instance, scored for health (SPEC §4.5)
        primary_uuid,
        primary_hostname,
        primary_ping_id,
        coalesce(
            reporting_instance_count > 0 or billable_users_source = 'license_usage_export', false
        ) as has_usage_data
    from previous
)

select * from final
