{#- Every accepted usage measurement, self-managed Service Pings and SaaS namespace
    measurements alike, so one set of rules scores both (SPEC §4.10). -#}
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
        file_name,
        line_number,
        upload_method,
        ping_id,
        uuid,
        hostname,
        license_md5,
        license_sha256,
        license_subscription_id,
        gitlab_version,
        version_major,
        version_minor,
        version_patch,
        is_prerelease,
        edition,
        installation_type,
        license_plan,
        is_trial_license,
        licensee_company,
        licensee_email_domain,
        license_user_count,
        billable_users,
        historical_max_users,
        active_user_count,
        failed_metric_count,
        recorded_at,
        received_at,
        ping_at,
        is_duplicate
        {{ catalog_columns(catalog) }}
    from pings
    union all
    select
        'saas' as delivery,
        namespace_id,
        file_name,
        line_number,
        upload_method,
        ping_id,
        uuid,
        hostname,
        license_md5,
        cast(null as string) as license_sha256,
        cast(null as string) as license_subscription_id,
        cast(null as string) as gitlab_version,
        cast(null as integer) as version_major,
        cast(null as integer) as version_minor,
        cast(null as integer) as version_patch,
        cast(null as boolean) as is_prerelease,
        cast(null as string) as edition,
        cast(null as string) as installation_type,
        cast(null as string) as license_plan,
        false as is_trial_license,
        cast(null as string) as licensee_company,
        cast(null as string) as licensee_email_domain,
        cast(null as bigint) as license_user_count,
        billable_users,
        cast(null as bigint) as historical_max_users,
        cast(null as bigint) as active_user_count,
        failed_metric_count,
        recorded_at,
        received_at,
        ping_at,
        is_duplicate
        {{ catalog_columns(catalog) }}
    from saas
),

final as (
    select * from unioned
    where not is_duplicate
)

select * from final
