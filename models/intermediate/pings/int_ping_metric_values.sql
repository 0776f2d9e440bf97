{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
{#- Every catalog metric value of every parsed measurement, typed once: the immutable facts a
    document carried. Incremental by raw file (files already here are not read again); which
    copies count (dedupe), the as-of date and the catalog's attributes are applied downstream,
    in fct_service_ping_metric, so they are never frozen into the increments. -#}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
{%- set metric_columns = catalog | map(attribute='column_name') | list -%}
with

pings as (
    select * from {{ ref('stg_raw__pings') }}
    where
        quarantine_reason is null
        {% if is_incremental() -%}
        and file_name not in (select file_name from {{ this }})
        {%- endif %}
),

saas as (
    select * from {{ ref('stg_raw__saas_usage') }}
    where
        quarantine_reason is null
        {% if is_incremental() -%}
        and file_name not in (select file_name from {{ this }})
        {%- endif %}
),

measurements as (
    select
        file_name,
        line_number,
        {{ catalog_columns(catalog) }}
    from pings
    union all
    select
        file_name,
        line_number,
        {{ catalog_columns(catalog) }}
    from saas
),

unpivoted as (
    {{ unpivot_metrics('measurements', ['file_name', 'line_number'], metric_columns) }}
),

final as (
    select
        -- ids
        file_name,
        line_number,
        column_name,

        -- measures
        {{ metric_value('metric_json') }} as metric_value,
        {{ metric_status('metric_json') }} as value_status,
        cast(metric_json as varchar) as raw_value
    from unpivoted
)

select * from final
