{#- SPEC §4.11: xMAU recorded and estimated, per month, xMAU metric and delivery (self_managed,
    saas and `all`, both added up). -#}
with

deployment_metrics as (
    select * from {{ ref('int_xmau_deployment_months') }}
),

subscription_months as (
    select * from {{ ref('int_subscription_months') }}
),

catalog as (
    select * from {{ ref('metrics_catalog') }}
),

xmau_metrics as (
    select
        key_path,
        performance_indicator_type,
        product_stage,
        product_group
    from catalog
    where {{ is_xmau_metric('performance_indicator_type') }}
),

-- every subscription in the file is a paid plan: paid seats are the active subscriptions' seats
paid_subscription_months as (
    select
        subscription_id,
        month,
        delivery,
        licensed_seats
    from subscription_months
    where is_active
),

-- a value that is not ok (failed, not instrumented, not collected...) is left out, never a 0;
-- internal installs are no customer's usage, and a copy of an installation counts once
reported_values as (
    select
        deployment_metrics.month,
        deployment_metrics.key_path,
        deployment_metrics.delivery,
        deployment_metrics.metric_value,
        -- the primary deployment of an active paid subscription (a trial is never primary)
        paid_subscription_months.subscription_id as paid_subscription_id,
        paid_subscription_months.delivery as paid_delivery,
        paid_subscription_months.licensed_seats as paid_seats
    from deployment_metrics
    left join paid_subscription_months
        on deployment_metrics.subscription_id = paid_subscription_months.subscription_id
        and deployment_metrics.month = paid_subscription_months.month
        and deployment_metrics.is_primary_instance
    where
        deployment_metrics.value_status = 'ok'
        and not deployment_metrics.is_internal
        and deployment_metrics.is_counted_copy
),

-- each figure within its delivery, and once more for `all`
recorded_rows as (
    select
        month,
        key_path,
        delivery,
        metric_value
    from reported_values
    union all
    select
        month,
        key_path,
        'all' as delivery,
        metric_value
    from reported_values
),

paid_rows as (
    select
        month,
        key_path,
        paid_delivery as delivery,
        metric_value,
        paid_seats
    from reported_values
    where paid_subscription_id is not null
    union all
    select
        month,
        key_path,
        'all' as delivery,
        metric_value,
        paid_seats
    from reported_values
    where paid_subscription_id is not null
),

seat_rows as (
    select
        month,
        delivery,
        subscription_id,
        licensed_seats
    from paid_subscription_months
    union all
    select
        month,
        'all' as delivery,
        subscription_id,
        licensed_seats
    from paid_subscription_months
),

recorded as (
    select
        month,
        key_path,
        delivery,
        sum(metric_value) as recorded_value,
        count(*) as reporting_deployments
    from recorded_rows
    group by month, key_path, delivery
),

paid as (
    select
        month,
        key_path,
        delivery,
        sum(metric_value) as paid_recorded_value,
        count(*) as reporting_subscriptions,
        sum(paid_seats) as reporting_seats
    from paid_rows
    group by month, key_path, delivery
),

seats as (
    select
        month,
        delivery,
        count(*) as paid_subscriptions,
        sum(licensed_seats) as total_paid_seats
    from seat_rows
    group by month, delivery
),

-- a row for every metric in every month and delivery with a deployment or a paid seat, from the
-- first month any deployment reported: a month where nothing reports is a row with no recorded
-- value, not a missing row
grid as (
    select
        months.month,
        months.delivery
    from (
        select
            month,
            delivery
        from recorded
        union
        select
            month,
            delivery
        from seats
    ) as months
    where months.month >= (select min(recorded.month) from recorded)
),

combined as (
    select
        grid.month,
        grid.delivery,
        xmau_metrics.key_path,
        xmau_metrics.performance_indicator_type,
        xmau_metrics.product_stage,
        xmau_metrics.product_group,
        recorded.recorded_value,
        paid.paid_recorded_value,
        coalesce(recorded.reporting_deployments, 0) as reporting_deployments,
        coalesce(paid.reporting_subscriptions, 0) as reporting_subscriptions,
        coalesce(paid.reporting_seats, 0) as reporting_seats,
        coalesce(seats.paid_subscriptions, 0) as paid_subscriptions,
        coalesce(seats.total_paid_seats, 0) as total_paid_seats
    from grid
    cross join xmau_metrics
    left join recorded
        on grid.month = recorded.month
        and grid.delivery = recorded.delivery
        and xmau_metrics.key_path = recorded.key_path
    left join paid
        on grid.month = paid.month
        and grid.delivery = paid.delivery
        and xmau_metrics.key_path = paid.key_path
    left join seats
        on grid.month = seats.month
        and grid.delivery = seats.delivery
),

shares as (
    select
        *,
        case when total_paid_seats > 0 then reporting_seats / cast(total_paid_seats as double) end
            as reporting_share
    from combined
),

final as (
    select
        -- ids
        month,
        key_path,
        delivery,

        -- attributes
        performance_indicator_type,
        product_stage,
        product_group,

        -- measures
        cast(recorded_value as double) as recorded_value,
        cast(paid_recorded_value as double) as paid_recorded_value,
        cast(reporting_deployments as bigint) as reporting_deployments,
        cast(reporting_subscriptions as bigint) as reporting_subscriptions,
        cast(paid_subscriptions as bigint) as paid_subscriptions,
        cast(reporting_seats as bigint) as reporting_seats,
        cast(total_paid_seats as bigint) as total_paid_seats,
        reporting_share,
        -- usage as if every paid seat reported: the percentage-of-paid-seats-reporting estimate
        case when reporting_share > 0 then paid_recorded_value / reporting_share end as estimated_value
    from shares
)

select * from final
