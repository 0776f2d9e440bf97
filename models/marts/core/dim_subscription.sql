with

subscription_versions as (
    select * from {{ ref('int_subscription_versions') }}
),

version_counts as (
    select
        subscription_name,
        count(*) as version_count
    from subscription_versions
    group by subscription_name
),

final as (
    select
        -- ids
        subscription_versions.subscription_id,
        subscription_versions.subscription_name,
        subscription_versions.account_id,
        subscription_versions.namespace_id,

        -- attributes
        subscription_versions.account_name,
        subscription_versions.plan,
        subscription_versions.delivery,
        subscription_versions.status,
        subscription_versions.subscription_version,
        version_counts.version_count,

        -- measures
        subscription_versions.licensed_seats,

        -- dates
        subscription_versions.term_start_date,
        subscription_versions.term_end_date,
        subscription_versions.first_term_start_date,
        subscription_versions.last_term_end_date
    from subscription_versions
    inner join version_counts on subscription_versions.subscription_name = version_counts.subscription_name
    where subscription_versions.is_current_version
)

select * from final
