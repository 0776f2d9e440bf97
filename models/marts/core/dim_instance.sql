with

pings as (
    select * from {{ ref('fct_service_ping') }}
),

latest_months as (
    select * from {{ ref('int_instance_latest_months') }}
),

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

ranked_pings as (
    select
        *,
        row_number() over (partition by uuid, hostname order by ping_at desc, ping_id desc) as recency_rank,
        min(ping_at) over (partition by uuid, hostname) as first_ping_at,
        count(*) over (partition by uuid, hostname) as ping_count
    from pings
),

final as (
    select
        -- ids
        ranked_pings.uuid,
        ranked_pings.hostname,
        ranked_pings.subscription_id,
        subscriptions.subscription_name,
        ranked_pings.account_id,
        ranked_pings.license_md5,
        ranked_pings.namespace_id,

        -- attributes (as of the latest ping)
        ranked_pings.delivery,
        ranked_pings.mapping_source,
        ranked_pings.edition,
        ranked_pings.installation_type,
        ranked_pings.gitlab_version,
        ranked_pings.version_major,
        ranked_pings.version_minor,
        ranked_pings.is_trial,
        ranked_pings.is_internal,

        -- type of the latest month in which the instance reported (SPEC §4.5)
        latest_months.instance_type,
        latest_months.instance_type_source,
        latest_months.is_production,
        latest_months.included_in_health_measure,

        -- measures
        ranked_pings.ping_count,

        -- timestamps
        ranked_pings.first_ping_at,
        ranked_pings.ping_at as last_ping_at
    from ranked_pings
    left join latest_months
        on ranked_pings.uuid = latest_months.uuid
        and ranked_pings.hostname = latest_months.hostname
    left join subscriptions on ranked_pings.subscription_id = subscriptions.subscription_id
    where ranked_pings.recency_rank = 1
)

select * from final
