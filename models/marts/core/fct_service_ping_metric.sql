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

{{ service_ping_metric_ctes(catalog) }}

select * from final
