{#- The catalog metrics of the pings scored for health (each subscription-month's primary
    instance), in long form: what the use-case measures read. Unpivoting only these pings keeps
    the use-case scoring from unpivoting every ping of the fleet. A table, not a view: it reads
    the wide pings once per build instead of once per reader and test. -#}
{{ config(materialized='table') }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

primary_instance_months as (
    select * from {{ ref('int_instance_months_typed') }}
    where is_primary_instance
),

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

primary_pings as (
    select pings.*
    from pings
    inner join primary_instance_months on pings.ping_id = primary_instance_months.ping_id
),

final as (
    {{ metric_rows('primary_pings', ['ping_id'], catalog) }}
)

select * from final
