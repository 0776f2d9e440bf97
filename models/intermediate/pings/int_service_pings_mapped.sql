{#- One row per accepted ping: typed, with its subscription and account (SPEC §4.2, §4.10, §4.13).
    Incremental by changed rows (macros/incremental_changed_rows.sql): every ping's mapping (its
    keys joined to the small subscription tables, where a correction shows) is recomputed on
    every build; a ping is written again only where its mapping or its kept copy (file and line)
    differs from the stored row, and the pings no longer kept are deleted (Spark: the month
    partitions of those pings are written again). -#}
{%- set key = ['ping_id'] %}
{{ config(**changed_rows_config(key, keys_from='int_usage_measurements', month_column='ping_month')) }}
with

-- the keys a mapping reads, on their own: the pings' other columns are read for the rows written
ping_keys as (
    select
        ping_id,
        file_name,
        line_number,
        {{ month_of('ping_at') }} as ping_month,
        delivery,
        namespace_id,
        license_md5,
        license_sha256,
        license_subscription_id,
        is_trial_license,
        {{ is_internal_install('installation_type', 'gitlab_version') }} as is_internal
    from {{ ref('int_usage_measurements') }}
),

pings as (
    select * from {{ ref('int_usage_measurements') }}
),

license_subscriptions as (
    select * from {{ ref('int_license_subscriptions') }}
),

sha256_subscriptions as (
    select * from {{ ref('int_license_sha256_subscriptions') }}
),

-- the subscription a payload names (license_subscription_id), when it is a known version
payload_subscriptions as (
    select
        subscription_id,
        current_subscription_id,
        account_id
    from {{ ref('int_subscription_versions') }}
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

-- SPEC §4.13 order: manual by md5, manual by sha256, license by md5, license by sha256, then
-- the payload's subscription; each step only where none before it mapped the ping
mapped as (
    select
        pings.*,
        case
            -- an internal install is never mapped (SPEC §4.13)
            when pings.is_internal then null
            when by_md5.mapping_source = 'manual' then 'manual_md5'
            when by_sha256.mapping_source = 'manual' then 'manual_sha256'
            when by_md5.mapping_source = 'license' then 'license_md5'
            when by_sha256.mapping_source = 'license' then 'license_sha256'
            when current_payload.subscription_id is not null then 'payload'
        end as mapping_rule,
        by_md5.subscription_id as md5_subscription_id,
        by_md5.account_id as md5_account_id,
        by_md5.is_trial_license as md5_is_trial_license,
        by_md5.license_users_count as md5_license_users_count,
        by_sha256.subscription_id as sha256_subscription_id,
        by_sha256.account_id as sha256_account_id,
        by_sha256.is_trial_license as sha256_is_trial_license,
        by_sha256.license_users_count as sha256_license_users_count,
        current_payload.subscription_id as payload_subscription_id,
        current_payload.account_id as payload_account_id
    from ping_keys as pings
    left join license_subscriptions as by_md5 on pings.license_md5 = by_md5.license_md5
    left join sha256_subscriptions as by_sha256 on pings.license_sha256 = by_sha256.license_sha256
    left join payload_subscriptions as named_payload
        on pings.license_subscription_id = named_payload.subscription_id
    left join payload_subscriptions as current_payload
        on named_payload.current_subscription_id = current_payload.subscription_id
),

license_subscriptions_chosen as (
    select
        *,
        case
            when mapping_rule in ('manual_md5', 'license_md5') then md5_subscription_id
            when mapping_rule in ('manual_sha256', 'license_sha256') then sha256_subscription_id
            when mapping_rule = 'payload' then payload_subscription_id
        end as license_subscription_id_resolved,
        case
            when mapping_rule in ('manual_md5', 'license_md5') then md5_account_id
            when mapping_rule in ('manual_sha256', 'license_sha256') then sha256_account_id
            when mapping_rule = 'payload' then payload_account_id
        end as license_account_id,
        case
            when mapping_rule in ('manual_md5', 'manual_sha256') then 'manual'
            when mapping_rule in ('license_md5', 'license_sha256') then 'license'
            when mapping_rule = 'payload' then 'payload'
        end as license_mapping_source,
        coalesce(md5_is_trial_license, false) or coalesce(sha256_is_trial_license, false) as is_trial_by_license,
        coalesce(md5_license_users_count, sha256_license_users_count) as license_users_count
    from mapped
),

-- what a correction can change, for every ping
mappings as (
    select
        pings.ping_id,
        pings.file_name,
        pings.line_number,
        pings.ping_month,
        coalesce(namespace_subscriptions.subscription_id, pings.license_subscription_id_resolved) as subscription_id,
        coalesce(namespace_subscriptions.account_id, pings.license_account_id) as account_id,
        case
            when pings.delivery = 'saas' and namespace_subscriptions.subscription_id is not null then 'namespace'
            when pings.is_internal then 'internal'
            else coalesce(pings.license_mapping_source, 'unmapped')
        end as mapping_source,
        case when pings.delivery = 'self_managed' then pings.mapping_rule end as mapping_rule,
        coalesce(pings.is_trial_license, false) or pings.is_trial_by_license as is_trial,
        pings.is_internal,
        pings.license_users_count
    from license_subscriptions_chosen as pings
    left join namespace_subscriptions on pings.namespace_id = namespace_subscriptions.namespace_id
),

-- on an incremental build, the pings whose row differs from the stored one
changed as (
    select * from mappings
    where true
        {{- in_changed_rows('mappings', key, columns=['file_name', 'line_number', 'subscription_id', 'account_id',
                            'mapping_source', 'mapping_rule', 'is_trial', 'is_internal', 'license_users_count'],
                            month_column='ping_month') }}
),

-- their own columns (a semi join: the few changed pings are the join's build side)
changed_pings as (
    select * from pings
    where ping_id in (select changed.ping_id from changed)
),

final as (
    select
        -- ids
        pings.ping_id,
        pings.uuid,
        pings.hostname,
        pings.license_md5,
        pings.license_sha256,
        pings.namespace_id,
        changed.subscription_id,
        changed.account_id,

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
        changed.mapping_source,
        changed.mapping_rule,
        changed.is_trial,
        changed.is_internal,

        -- measures (NULL stays NULL: billable users exist from 14.0)
        pings.billable_users,
        pings.license_user_count,
        changed.license_users_count,
        pings.active_user_count,
        pings.historical_max_users,
        pings.failed_metric_count,

        -- timestamps
        pings.recorded_at,
        pings.received_at,
        pings.ping_at,
        cast(pings.ping_at as date) as ping_date,
        changed.ping_month,

        -- bookkeeping: the build that wrote the row
        {{ written_at() }} as _written_at
    from changed
    inner join changed_pings as pings on changed.ping_id = pings.ping_id
)

select * from final
