with

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

license_subscriptions as (
    select * from {{ ref('int_license_subscriptions') }}
),

-- a SaaS namespace belongs to the saas subscription that names it (SPEC §4.10)
namespace_subscriptions as (
    select
        namespace_id,
        min(current_subscription_id) as subscription_id,
        min(account_id) as account_id
    from {{ ref('int_subscription_versions') }}
    where is_current_version and delivery = 'saas' and namespace_id is not null
    group by namespace_id
),

final as (
    select
        -- ids
        pings.ping_id,
        pings.uuid,
        pings.hostname,
        pings.license_md5,
        pings.namespace_id,
        coalesce(namespace_subscriptions.subscription_id, license_subscriptions.subscription_id) as subscription_id,
        coalesce(namespace_subscriptions.account_id, license_subscriptions.account_id) as account_id,

        -- lineage
        pings.upload_method,
        pings.file_name,
        pings.line_number,

        -- attributes
        pings.delivery,
        pings.gitlab_version,
        pings.version_major,
        pings.version_minor,
        pings.version_patch,
        pings.is_prerelease,
        pings.edition,
        pings.installation_type,
        pings.license_plan,
        pings.licensee_company,
        pings.licensee_email_domain,
        case
            when pings.delivery = 'saas' and namespace_subscriptions.subscription_id is not null then 'namespace'
            else coalesce(license_subscriptions.mapping_source, 'unmapped')
        end as mapping_source,
        coalesce(pings.is_trial_license, false)
        or coalesce(license_subscriptions.is_trial_license, false) as is_trial,

        -- measures (NULL stays NULL: billable users exist from 14.0)
        pings.billable_users,
        pings.license_user_count,
        license_subscriptions.license_users_count,
        pings.active_user_count,
        pings.historical_max_users,
        pings.failed_metric_count,

        -- timestamps
        pings.recorded_at,
        pings.received_at,
        pings.ping_at,
        cast(pings.ping_at as date) as ping_date,
        cast(date_trunc('month', pings.ping_at) as date) as ping_month
    from pings
    left join license_subscriptions on pings.license_md5 = license_subscriptions.license_md5
    left join namespace_subscriptions on pings.namespace_id = namespace_subscriptions.namespace_id
)

select * from final
