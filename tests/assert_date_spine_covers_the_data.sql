{#- Every date a metric is dated by (the agg_time_dimension of each semantic model) lies on the
    time spine dim_date: a metric_time outside it would fall out of cumulative metrics and of
    joins to the spine. Returns the dates missing from it. -#}
with

spine as (
    select * from {{ ref('dim_date') }}
),

metric_dates as (
    select
        month as metric_date,
        'mart_subscription_monthly' as model_name
    from {{ ref('mart_subscription_monthly') }}
    union all
    select
        month as metric_date,
        'mart_instance_monthly' as model_name
    from {{ ref('mart_instance_monthly') }}
    union all
    select
        month as metric_date,
        'mart_account_health' as model_name
    from {{ ref('mart_account_health') }}
    union all
    select
        month as metric_date,
        'mart_usage_alerts' as model_name
    from {{ ref('mart_usage_alerts') }}
    union all
    select
        ping_date as metric_date,
        'fct_service_ping' as model_name
    from {{ ref('fct_service_ping') }}
),

missing as (
    select
        metric_dates.model_name,
        metric_dates.metric_date
    from metric_dates
    left join spine on metric_dates.metric_date = spine.date_day
    where spine.date_day is null
)

select * from missing
