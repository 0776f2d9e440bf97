{#- Every accepted usage measurement, self-managed Service Pings and SaaS namespace
    measurements alike, so one set of rules scores both (SPEC §4.10).
    A view on DuckDB: a union of two stored tables that each reader projects to the few columns
    it needs; storing it would copy every ping's catalog columns once more. -#}
{{ config(materialized=var('intermediate_materialized', 'table') if target.type == 'spark' else 'view') }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

pings as (
    select * from {{ ref('int_service_pings_deduplicated') }}
),

saas as (
    select * from {{ ref('int_saas_measurements') }}
),

unioned as (
    select
        'self_managed' as delivery,
        cast(null as bigint) as namespace_id,
        {{ ping_identity_columns() }},
        license_md5,
        license_sha256,
        license_subscription_id,
        {{ ping_version_columns() }},
        license_plan,
        is_trial_license,
        licensee_company,
        licensee_email_domain,
        license_user_count,
        billable_users,
        historical_max_users,
        active_user_count,
        failed_metric_count,
        {{ ping_timestamp_columns() }},
        is_duplicate
        {{ catalog_columns(catalog) }}
    from pings
    union all
    select
        'saas' as delivery,
        namespace_id,
        {{ ping_identity_columns() }},
        license_md5,
        cast(null as string) as license_sha256,
        cast(null as string) as license_subscription_id,
        {{ ping_version_columns(as_null=true) }},
        cast(null as string) as license_plan,
        false as is_trial_license,
        cast(null as string) as licensee_company,
        cast(null as string) as licensee_email_domain,
        cast(null as bigint) as license_user_count,
        billable_users,
        cast(null as bigint) as historical_max_users,
        cast(null as bigint) as active_user_count,
        failed_metric_count,
        {{ ping_timestamp_columns() }},
        is_duplicate
        {{ catalog_columns(catalog) }}
    from saas
),

final as (
    select * from unioned
    where not is_duplicate
)

select * from final
