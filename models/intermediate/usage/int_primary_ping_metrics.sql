{#- The scored metrics (use_case_measures.numerator_column) of the pings scored for health (each
    subscription-month's primary instance), in long form: what the use-case measures read.
    Unpivoting only these pings and only these metrics keeps the use-case scoring from reading
    the catalog's every column of every ping of the fleet. -#}
-- depends_on: {{ ref('metrics_catalog') }} {{ ref('use_case_measures') }}
{% set measured = measured_metric_columns() -%}
{% set catalog = metrics_catalog() | selectattr('column_name', 'in', measured) | list -%}
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
    {{ metric_rows('primary_pings', ['ping_id'], catalog, with_version=true) }}
)

select * from final
