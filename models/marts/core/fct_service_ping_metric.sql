{{ config(materialized='view') }}
with

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

metric_values as (
    select * from {{ ref('int_ping_metric_values') }}
),

catalog as (
    select * from {{ ref('metrics_catalog') }}
),

final as (
    select
        -- ids
        pings.ping_id,
        catalog.key_path,
        catalog.column_name,

        -- measures
        metric_values.metric_value,
        metric_values.value_status,
        metric_values.raw_value,

        -- attributes
        catalog.time_frame,
        catalog.data_category
    from pings
    inner join metric_values
        on pings.file_name = metric_values.file_name
        and pings.line_number = metric_values.line_number
    inner join catalog on metric_values.column_name = catalog.column_name
)

select * from final
