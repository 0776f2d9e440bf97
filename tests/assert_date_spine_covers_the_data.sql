{#- Every date a metric is dated by (the agg_time_dimension of each semantic model) lies on the
    time spine dim_date: a metric_time outside it would fall out of cumulative metrics and of
    joins to the spine. Returns the dates missing from it. -#}
{%- set metric_date_columns = {
    'mart_subscription_monthly': 'month',
    'mart_instance_monthly': 'month',
    'mart_account_health': 'month',
    'mart_usage_alerts': 'month',
    'fct_service_ping': 'ping_date',
} %}
with

spine as (
    select * from {{ ref('dim_date') }}
),

metric_dates as (
    {%- for model_name, date_column in metric_date_columns.items() %}
    select
        {{ date_column }} as metric_date,
        '{{ model_name }}' as model_name
    from {{ ref(model_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
