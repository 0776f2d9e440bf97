{#- One row per license_md5 known anywhere (licenses, manual mapping, pings, license usage
    exports), resolved to the current version of its subscription (SPEC §4.2). -#}
with

licenses as (
    select * from {{ ref('stg_raw__licenses') }}
    where rejection_reason is null and {{ known_as_of('created_at') }}
),

manual_mapping as (
    select * from {{ ref('stg_raw__license_subscription_mapping') }}
    where rejection_reason is null
),

-- the licenses of accepted pings, duplicates or not: read from staging, as the dedupe would
-- rank every ping only to be projected to this one column
pings as (
    select license_md5 from {{ ref('stg_raw__pings') }}
    where {{ accepted_ping() }}
),

license_usage as (
    select license_md5 from {{ ref('stg_raw__license_usage') }}
),

subscription_versions as (
    select * from {{ ref('int_subscription_versions') }}
),

known_licenses as (
    select license_md5 from licenses
    union
    select license_md5 from manual_mapping
    union
    select license_md5 from pings
    union
    select license_md5 from license_usage
),

-- a license re-issued several times: its latest row wins
latest_license as (
    {{ first_row_per('licenses', 'license_md5', 'created_at desc, subscription_id asc') }}
),

-- several manual rows for one license: the smallest subscription id, deterministically
manual_choice as (
    {{ first_row_per('manual_mapping', 'license_md5', 'subscription_id') }}
),

resolved as (
    select
        known_licenses.license_md5,
        manual_versions.subscription_id as manual_subscription_id,
        license_versions.subscription_id as license_subscription_id,
        latest_license.users_count as license_users_count,
        latest_license.plan as license_plan,
        latest_license.is_trial as is_trial_license,
        latest_license.starts_at as license_starts_at,
        latest_license.expires_at as license_expires_at,
        coalesce(manual_versions.current_subscription_id, license_versions.current_subscription_id)
            as subscription_id,
        case
            when manual_versions.subscription_id is not null then 'manual'
            when license_versions.subscription_id is not null then 'license'
            else 'unmapped'
        end as mapping_source,
        case
            when manual_choice.subscription_id is not null and manual_versions.subscription_id is null
                then 'manual mapping names unknown subscription ' || manual_choice.subscription_id
            when latest_license.subscription_id is not null and license_versions.subscription_id is null
                then 'license names unknown subscription ' || latest_license.subscription_id
        end as mapping_issue
    from known_licenses
    left join manual_choice on known_licenses.license_md5 = manual_choice.license_md5
    left join subscription_versions as manual_versions
        on manual_choice.subscription_id = manual_versions.subscription_id
    left join latest_license on known_licenses.license_md5 = latest_license.license_md5
    left join subscription_versions as license_versions
        on latest_license.subscription_id = license_versions.subscription_id
    where known_licenses.license_md5 is not null
),

final as (
    select
        resolved.license_md5,
        resolved.subscription_id,
        current_versions.subscription_name,
        current_versions.account_id,
        resolved.mapping_source,
        resolved.mapping_issue,
        coalesce(resolved.manual_subscription_id, resolved.license_subscription_id) as mapped_subscription_id,
        resolved.license_users_count,
        resolved.license_plan,
        coalesce(resolved.is_trial_license, false) as is_trial_license,
        resolved.license_starts_at,
        resolved.license_expires_at
    from resolved
    left join subscription_versions as current_versions
        on resolved.subscription_id = current_versions.subscription_id
)

select * from final
