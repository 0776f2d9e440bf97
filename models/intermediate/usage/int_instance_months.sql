{#- One row per instance (uuid, hostname) and calendar month with at least one accepted ping:
    the month's last ping (latest as-of time, then highest ping_id), its L28 window, seats,
    license and UMAU utilization (SPEC §4.3, §4.4). -#}
-- depends_on: {{ ref('metrics_catalog') }}
{%- set umau_column = metrics_catalog() | selectattr('key_path', 'equalto', var('umau_key_path'))
    | map(attribute='column_name') | first -%}
{%- if execute and not umau_column -%}
    {{ exceptions.raise_compiler_error("var umau_key_path '" ~ var('umau_key_path') ~ "' is not in the metrics catalog") }}
{%- endif %}
with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

-- UMAU is a catalog metric, read from its wide column (never from the long metric fact)
umau_metric as (
    select
        ping_id,
        {{ metric_value(umau_column) }} as umau
    from {{ ref('int_usage_measurements') }}
),

subscription_months as (
    select * from {{ ref('int_subscription_months') }}
),

-- the month's last ping by its id alone: a window over whole rows would sort every column
last_ping_ids as (
    select {{ last_by('ping_id', ['ping_at', 'ping_id']) }} as ping_id
    from pings
    group by uuid, hostname, ping_month
),

last_pings as (
    select * from pings
    where ping_id in (select last_ping_ids.ping_id from last_ping_ids)
),

seated as (
    select
        last_pings.*,
        subscription_months.licensed_seats as subscription_seats,
        cast(subscription_months.term_month as integer) as term_month,
        -- paid usage only: trial pings and internal installs never report for a subscription
        not last_pings.is_trial and not coalesce(last_pings.is_internal, false)
        and last_pings.subscription_id is not null as is_reporting,
        cast(
            coalesce(subscription_months.licensed_seats, last_pings.license_users_count, last_pings.license_user_count)
            as bigint
        ) as licensed_seats,
        case
            when subscription_months.licensed_seats is not null then 'subscription'
            when last_pings.license_users_count is not null then 'license'
            when last_pings.license_user_count is not null then 'payload'
        end as licensed_seats_source,
        umau_metric.umau
    from last_pings
    left join subscription_months
        on last_pings.subscription_id = subscription_months.subscription_id
        and last_pings.ping_month = subscription_months.month
    left join umau_metric on last_pings.ping_id = umau_metric.ping_id
),

final as (
    select
        -- ids
        uuid,
        hostname,
        subscription_id,
        account_id,
        ping_id,
        license_md5,
        license_sha256,
        namespace_id,

        -- attributes
        delivery,
        ping_month as month,
        ping_date,
        ping_at,
        {{ add_days('ping_date', -27) }} as l28_window_start,
        ping_date as l28_window_end,
        gitlab_version,
        version_major,
        version_minor,
        is_trial,
        coalesce(is_internal, false) as is_internal,
        is_reporting,
        mapping_source,
        term_month,
        licensed_seats_source,

        -- measures
        billable_users,
        licensed_seats,
        case when licensed_seats > 0 then billable_users / cast(licensed_seats as double) end as license_utilization,
        umau,
        case when licensed_seats > 0 then umau / cast(licensed_seats as double) end as umau_utilization
    from seated
)

select * from final
