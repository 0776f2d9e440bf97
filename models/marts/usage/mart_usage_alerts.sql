{#- One row per alert: type, subscription (or account), instance where it applies, month and
    the subject (use case) it is about, with the value and threshold that triggered it. -#}
{%- set alert_key_columns = [
    'alerts.alert_type', 'coalesce(alerts.subscription_id, alerts.account_id)', 'alerts.uuid', 'alerts.hostname',
    'alerts.month', 'alerts.subject'
] -%}
with

subscription_months as (
    select * from {{ ref('mart_subscription_monthly') }}
),

adoption as (
    select * from {{ ref('mart_use_case_adoption') }}
),

account_health as (
    select * from {{ ref('mart_account_health') }}
),

instances as (
    select * from {{ ref('dim_instance') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

releases_behind as (
    select * from {{ ref('int_instance_releases_behind') }}
),

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

-- the inputs of the alerts, one row per thing an alert can be about, with the columns it names

use_case_downgrades as (
    select adoption.*
    from adoption
    inner join use_cases on adoption.use_case = use_cases.use_case
    where adoption.is_downgrade and use_cases.is_adoption_use_case
),

product_usage_downgrades as (
    select
        *,
        scored_subscription_id as subscription_id
    from account_health
    where is_product_usage_downgrade
),

-- never across a plan change (SPEC §4.13): rpt_data_quality counts those suppressed
billable_user_changes as (
    select * from subscription_months
    where not is_plan_change
),

-- instance alerts are about production instances, dated in the as-of month
production_instances as (
    select
        instances.*,
        releases_behind.releases_behind,
        releases_behind.newest_release,
        as_of.as_of_date,
        cast(date_trunc('month', as_of.as_of_date) as date) as month,
        {{ days_between('cast(instances.last_ping_at as date)', 'as_of.as_of_date') }} as days_since_last_ping
    from instances
    cross join as_of
    left join releases_behind
        on instances.uuid = releases_behind.uuid
        and instances.hostname = releases_behind.hostname
    where instances.is_production
),

-- the first month each adoption use case of a subscription turned yellow or green (an aggregate
-- joined back: a window would sort every row of the adoption mart)
first_adopted_months as (
    select
        adoption.subscription_id,
        adoption.use_case,
        min(adoption.month) as first_adopted_month
    from adoption
    inner join use_cases on adoption.use_case = use_cases.use_case
    where use_cases.is_adoption_use_case and adoption.color in ('yellow', 'green')
    group by adoption.subscription_id, adoption.use_case
),

first_adoptions as (
    select adoption.*
    from adoption
    inner join first_adopted_months
        on adoption.subscription_id = first_adopted_months.subscription_id
        and adoption.use_case = first_adopted_months.use_case
        and adoption.month = first_adopted_months.first_adopted_month
),

-- every alert type in one shape (macro alert_candidates); whether it fires is decided below
candidates as (
    {{ alert_candidates('color_downgrade', 'use_case_downgrades', subject='use_case', metric_value='score',
        details="use_case || ' went from ' || previous_color || ' to ' || color
            || ' (score ' || cast(round(score, 1) as string) || ')'") }}
    union all
    {{ alert_candidates('color_downgrade', 'product_usage_downgrades', subject="'product_usage'",
        metric_value='product_usage_score',
        details="'product usage went from ' || previous_product_usage_color || ' to ' || product_usage_color
            || ' (score ' || cast(round(product_usage_score, 1) as string) || ')'") }}
    union all
    {{ alert_candidates('billable_user_drop', 'billable_user_changes', subject="'billable_users'",
        metric_value='billable_user_drop_share',
        details="'billable users fell from ' || cast(previous_billable_users as string) || ' to '
            || cast(billable_users as string)") }}
    union all
    {{ alert_candidates('stopped_reporting', 'production_instances', subject="'last_ping'",
        metric_value='days_since_last_ping', is_instance_alert=true,
        details="'last ping on ' || cast(cast(last_ping_at as date) as string) || ', '
            || cast(days_since_last_ping as string) || ' days before ' || cast(as_of_date as string)") }}
    union all
    {{ alert_candidates('version_behind', 'production_instances', subject="'gitlab_version'",
        metric_value='releases_behind', is_instance_alert=true,
        details="'runs ' || gitlab_version || ', ' || cast(releases_behind as string)
            || ' minor releases behind the newest seen (' || newest_release || ')'") }}
    union all
    {{ alert_candidates('license_overage', 'subscription_months', subject="'license_utilization'",
        metric_value='license_utilization',
        details="cast(billable_users as string) || ' billable users on ' || cast(licensed_seats as string) || ' seats'") }}
    union all
    {{ alert_candidates('low_utilization', 'subscription_months', subject="'license_utilization'",
        metric_value='license_utilization', term_month='term_month',
        details="cast(billable_users as string) || ' billable users on ' || cast(licensed_seats as string)
            || ' seats in term month ' || cast(term_month as string)") }}
    union all
    {{ alert_candidates('new_use_case_adopted', 'first_adoptions', subject='use_case', metric_value='score',
        details="use_case || ' is ' || color || ' for the first time (score ' || cast(round(score, 1) as string) || ')'") }}
),

-- seed alert_rules decides: the threshold and how the value meets it; an event has no threshold
alerts as (
    select
        candidates.*,
        case when rules.fires_when <> 'event' then rules.threshold end as threshold
    from candidates
    inner join rules on candidates.alert_type = rules.alert_type
    where
        case rules.fires_when
            when 'above' then candidates.metric_value > rules.threshold
            when 'at_or_above' then candidates.metric_value >= rules.threshold
            when 'below' then candidates.metric_value < rules.threshold
            when 'event' then true
        end
        and (rules.from_term_month is null or candidates.term_month >= rules.from_term_month)
),

final as (
    select
        -- ids
        {{ surrogate_key(alert_key_columns) }} as alert_id,
        alerts.alert_type,
        alerts.account_id,
        alerts.subscription_id,
        alerts.uuid,
        alerts.hostname,

        -- attributes
        subscriptions.delivery,
        alerts.month,
        alerts.subject,
        alerts.details,

        -- measures
        cast(alerts.metric_value as double) as metric_value,
        cast(alerts.threshold as double) as threshold
    from alerts
    left join subscriptions on alerts.subscription_id = subscriptions.subscription_id
)

select * from final
