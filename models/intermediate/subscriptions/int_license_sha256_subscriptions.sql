{#- One row per license_sha256 named by licenses.csv or the manual mapping (their optional
    license_sha256 columns), resolved to the current version of its subscription: how a FIPS
    instance, which sends no license_md5, is mapped (SPEC §4.13). The same rules as
    int_license_subscriptions, by the other key. -#}
with

licenses as (
    select * from {{ ref('stg_raw__licenses') }}
    where rejection_reason is null and license_sha256 is not null and {{ known_as_of('created_at') }}
),

manual_mapping as (
    select * from {{ ref('stg_raw__license_subscription_mapping') }}
    where rejection_reason is null and license_sha256 is not null
),

subscription_versions as (
    select * from {{ ref('int_subscription_versions') }}
),

-- a manual row counts only when it names a known subscription (as by md5)
known_manual_mapping as (
    select
        manual_mapping.license_sha256,
        manual_mapping.subscription_id as mapped_subscription_id,
        manual_versions.current_subscription_id as subscription_id
    from manual_mapping
    inner join subscription_versions as manual_versions
        on manual_mapping.subscription_id = manual_versions.subscription_id
),

manual_choice as (
    {{ first_row_per('known_manual_mapping', 'license_sha256', 'mapped_subscription_id') }}
),

-- a license re-issued several times: its latest row wins
latest_license as (
    {{ first_row_per('licenses', 'license_sha256', 'created_at desc, subscription_id asc') }}
),

license_choice as (
    select
        latest_license.license_sha256,
        license_versions.current_subscription_id as subscription_id,
        latest_license.users_count as license_users_count,
        latest_license.is_trial as is_trial_license
    from latest_license
    inner join subscription_versions as license_versions
        on latest_license.subscription_id = license_versions.subscription_id
),

known_keys as (
    select license_sha256 from manual_choice
    union
    select license_sha256 from latest_license
),

final as (
    select
        known_keys.license_sha256,
        coalesce(manual_choice.subscription_id, license_choice.subscription_id) as subscription_id,
        current_versions.account_id,
        case
            when manual_choice.subscription_id is not null then 'manual'
            when license_choice.subscription_id is not null then 'license'
            else 'unmapped'
        end as mapping_source,
        latest_license.users_count as license_users_count,
        coalesce(latest_license.is_trial, false) as is_trial_license
    from known_keys
    left join manual_choice on known_keys.license_sha256 = manual_choice.license_sha256
    left join license_choice on known_keys.license_sha256 = license_choice.license_sha256
    left join latest_license on known_keys.license_sha256 = latest_license.license_sha256
    left join subscription_versions as current_versions
        on coalesce(manual_choice.subscription_id, license_choice.subscription_id) = current_versions.subscription_id
)

select * from final
