{#- The semantic layer's time spine (MetricFlow): one row per day over the whole years of the
    data, so every metric_time grain (day to year) has its calendar. -#}
with

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

pings as (
    select * from {{ ref('fct_service_ping') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

data_dates as (
    select first_term_start_date as data_date from subscriptions
    union all
    select last_term_end_date as data_date from subscriptions
    union all
    select ping_date as data_date from pings
    union all
    select as_of_date as data_date from as_of
),

-- whole calendar years around the data: a quarter or a year grain never falls off the spine
bounds as (
    select
        make_date(year(min(data_date)), 1, 1) as first_day,
        make_date(year(max(data_date)), 12, 31) as last_day
    from data_dates
),

days as (
    select {{ day_series('bounds.first_day', 'bounds.last_day') }} as date_day
    from bounds
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
