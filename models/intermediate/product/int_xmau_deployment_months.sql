{#- The xMAU metrics (macro xmau_metrics) of every deployment's last ping of the month, in long
    form: what the product KPIs add up. Unpivoting only these pings and these metrics keeps the
    KPIs from reading the catalog's every column of every ping. Incremental by changed rows
    (macros/incremental_changed_rows.sql): a build writes only the deployment-months whose own
    columns differ from the stored ones; the metric rows depend on the month's ping alone. -#}
{%- set grain = ['uuid', 'hostname', 'month'] %}
{{ config(**changed_rows_config(grain)) }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set xmau = xmau_metrics() -%}
with

deployment_months as (
    select * from {{ ref('int_instance_months_typed') }}
    where true
        {{- in_changed_rows(ref('int_instance_months_typed'), grain, ['key_path', 'metric_value', 'value_status']) }}
),

measurements as (
    select * from {{ ref('int_usage_measurements') }}
),

catalog as (
    select * from {{ ref('metrics_catalog') }}
),

last_pings as (
    select measurements.*
    from measurements
    inner join deployment_months on measurements.ping_id = deployment_months.ping_id
),

metric_rows as (
    {{ metric_rows('last_pings', ['ping_id'], xmau, with_version=true) }}
),

final as (
    select
        -- ids
        deployment_months.uuid,
        deployment_months.hostname,
        deployment_months.month,
        catalog.key_path,
        deployment_months.ping_id,
        deployment_months.subscription_id,

        -- attributes
        deployment_months.delivery,
        deployment_months.is_trial,
        deployment_months.is_internal,
        deployment_months.is_counted_copy,
        deployment_months.is_primary_instance,

        -- measures
        metric_rows.metric_value,
        metric_rows.value_status,

        -- bookkeeping: the build that wrote the row
        {{ written_at() }} as _written_at
    from metric_rows
    inner join deployment_months on metric_rows.ping_id = deployment_months.ping_id
    inner join catalog on metric_rows.column_name = catalog.column_name
)

select * from final
