-- fct_service_ping_metric has exactly one row per accepted ping and catalog metric:
-- no metric silently missing for a ping (a missing key is a not_instrumented row, not no row).
with

pings as (
    select count(*) as ping_count from {{ ref('fct_service_ping') }}
),

catalog as (
    select count(*) as metric_count from {{ ref('metrics_catalog') }}
),

metric_rows as (
    select count(*) as row_count from {{ ref('fct_service_ping_metric') }}
)

select
    pings.ping_count,
    catalog.metric_count,
    metric_rows.row_count
from pings
cross join catalog
cross join metric_rows
where metric_rows.row_count <> pings.ping_count * catalog.metric_count
