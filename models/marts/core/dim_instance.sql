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

-- each instance's pings by an aggregate: windows would sort every column of every ping
instance_pings as (
    select
        {{ last_by('ping_id', ['ping_at', 'ping_id']) }} as last_ping_id,
        min(ping_at) as first_ping_at,
        count(*) as ping_count
    from pings
    group by uuid, hostname
),

latest_pings as (
    select
        pings.*,
        instance_pings.first_ping_at,
        instance_pings.ping_count
    from instance_pings
    inner join pings on instance_pings.last_ping_id = pings.ping_id
),

final as (
    select
        -- ids
        latest_pings.uuid,
        latest_pings.hostname,
        latest_pings.subscription_id,
        subscriptions.subscription_name,
        latest_pings.account_id,
        latest_pings.license_md5,
        latest_pings.namespace_id,

        -- attributes (as of the latest ping)
        latest_pings.delivery,
        latest_pings.mapping_source,
        latest_pings.edition,
        latest_pings.installation_type,
        latest_pings.gitlab_version,
        latest_pings.version_major,
        latest_pings.version_minor,
        latest_pings.is_trial,
        latest_pings.is_internal,

        -- type of the latest month in which the instance reported (SPEC §4.5)
        latest_months.instance_type,
        latest_months.instance_type_source,
        latest_months.is_production,
        latest_months.included_in_health_measure,

        -- measures
        latest_pings.ping_count,

        -- timestamps
        latest_pings.first_ping_at,
        latest_pings.ping_at as last_ping_at
    from latest_pings
    left join latest_months
        on latest_pings.uuid = latest_months.uuid
        and latest_pings.hostname = latest_months.hostname
    left join subscriptions on latest_pings.subscription_id = subscriptions.subscription_id
)

select * from final
