{{ config(materialized='view') }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

catalog as (
    select * from {{ ref('metrics_catalog') }}
),

metric_rows as (
    {{ metric_rows('pings', ['ping_id'], catalog, with_version=true) }}
),

final as (
    select
        -- ids
        metric_rows.ping_id,
        catalog.key_path,
        catalog.column_name,

        -- measures
        metric_rows.metric_value,
        metric_rows.value_status,
        metric_rows.raw_value,

        -- attributes
        catalog.time_frame,
        catalog.data_category
    from metric_rows
    inner join catalog on metric_rows.column_name = catalog.column_name
)

select * from final
