{#- Incremental by changed rows (macros/incremental_changed_rows.sql): the snapshot's columns come
    from int_instance_months_typed, recomputed whole on every build; the catalog columns depend
    on the month's ping alone. mart_instance_monthly publishes these rows (a view). -#}
{%- set grain = ['uuid', 'hostname', 'month'] %}
{{ config(**changed_rows_config(grain)) }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

instance_months as (
    select * from {{ ref('int_instance_months_typed') }}
    where true
        {{- in_changed_rows(ref('int_instance_months_typed'), grain, catalog | map(attribute='column_name') | list) }}
),

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

final as (
    select
        -- ids
        instance_months.uuid,
        instance_months.hostname,
        instance_months.subscription_id,
        instance_months.account_id,
        instance_months.ping_id,
        instance_months.delivery,

        -- the month and the ping that stands for it
        instance_months.month,
        instance_months.ping_date,
        instance_months.l28_window_start,
        instance_months.l28_window_end,
        instance_months.gitlab_version,
        instance_months.version_major,
        instance_months.version_minor,
        instance_months.is_trial,
        instance_months.term_month,

        -- utilization
        instance_months.billable_users,
        instance_months.licensed_seats,
        instance_months.licensed_seats_source,
        instance_months.license_utilization,
        instance_months.umau,
        instance_months.umau_utilization,

        -- type and role
        instance_months.instance_type,
        instance_months.instance_type_source,
        instance_months.included_in_health_measure,
        instance_months.is_production,
        instance_months.is_primary_instance,

        -- bookkeeping: the build that wrote the row
        {{ written_at() }} as _written_at,

        -- catalog metrics (NULL unless value_status is ok)
        {{ catalog_value_columns('pings', catalog) }}
    from instance_months
    inner join pings on instance_months.ping_id = pings.ping_id
)

select * from final
