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

unpivoted as (
    {{ unpivot_metrics('pings', ['ping_id'], catalog | map(attribute='column_name') | list) }}
),

final as (
    select
        -- ids
        unpivoted.ping_id,
        catalog.key_path,
        catalog.column_name,

        -- measures
        {{ metric_value('unpivoted.metric_json') }} as metric_value,
        {{ metric_status('unpivoted.metric_json') }} as value_status,
        cast(unpivoted.metric_json as string) as raw_value,

        -- attributes
        catalog.time_frame,
        catalog.data_category
    from unpivoted
    inner join catalog on unpivoted.column_name = catalog.column_name
)

select * from final
