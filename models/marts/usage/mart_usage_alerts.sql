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

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

use_case_downgrades as (
    select
        'color_downgrade' as alert_type,
        adoption.account_id,
        adoption.subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        adoption.month,
        adoption.use_case as subject,
        adoption.score as metric_value,
        cast(null as double) as threshold,
        adoption.use_case || ' went from ' || adoption.previous_color || ' to ' || adoption.color
        || ' (score ' || cast(round(adoption.score, 1) as string) || ')' as details
    from adoption
    inner join use_cases on adoption.use_case = use_cases.use_case
    where adoption.is_downgrade and use_cases.is_adoption_use_case
),

product_usage_downgrades as (
    select
        'color_downgrade' as alert_type,
        account_health.account_id,
        account_health.scored_subscription_id as subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        account_health.month,
        'product_usage' as subject,
        account_health.product_usage_score as metric_value,
        cast(null as double) as threshold,
        'product usage went from ' || account_health.previous_product_usage_color || ' to '
        || account_health.product_usage_color
        || ' (score ' || cast(round(account_health.product_usage_score, 1) as string) || ')' as details
    from account_health
    where account_health.is_product_usage_downgrade
),

-- never across a plan change (SPEC §4.13): rpt_data_quality counts those suppressed
billable_user_drops as (
    select
        'billable_user_drop' as alert_type,
        subscription_months.account_id,
        subscription_months.subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        subscription_months.month,
        'billable_users' as subject,
        subscription_months.billable_user_drop_share as metric_value,
        rules.threshold,
        'billable users fell from ' || cast(subscription_months.previous_billable_users as string) || ' to '
        || cast(subscription_months.billable_users as string) as details
    from subscription_months
    inner join rules on rules.alert_type = 'billable_user_drop'
    where
        subscription_months.billable_user_drop_share >= rules.threshold
        and not subscription_months.is_plan_change
),

stopped_reporting as (
    select
        'stopped_reporting' as alert_type,
        instances.account_id,
        instances.subscription_id,
        instances.uuid,
        instances.hostname,
        cast(date_trunc('month', as_of.as_of_date) as date) as month,
        'last_ping' as subject,
        cast({{ days_between('cast(instances.last_ping_at as date)', 'as_of.as_of_date') }} as double) as metric_value,
        rules.threshold,
        'last ping on ' || cast(cast(instances.last_ping_at as date) as string) || ', '
        || cast({{ days_between('cast(instances.last_ping_at as date)', 'as_of.as_of_date') }} as string)
        || ' days before ' || cast(as_of.as_of_date as string) as details
    from instances
    cross join as_of
    inner join rules on rules.alert_type = 'stopped_reporting'
    where
        instances.is_production
        and {{ days_between('cast(instances.last_ping_at as date)', 'as_of.as_of_date') }} > rules.threshold
),

releases_behind as (
    select * from {{ ref('int_instance_releases_behind') }}
),

version_behind as (
    select
        'version_behind' as alert_type,
        instances.account_id,
        instances.subscription_id,
        instances.uuid,
        instances.hostname,
        cast(date_trunc('month', as_of.as_of_date) as date) as month,
        'gitlab_version' as subject,
        cast(releases_behind.releases_behind as double) as metric_value,
        rules.threshold,
        'runs ' || instances.gitlab_version || ', ' || cast(releases_behind.releases_behind as string)
        || ' minor releases behind the newest seen (' || releases_behind.newest_release || ')' as details
    from instances
    inner join releases_behind
        on instances.uuid = releases_behind.uuid
        and instances.hostname = releases_behind.hostname
    cross join as_of
    inner join rules on rules.alert_type = 'version_behind'
    where instances.is_production and releases_behind.releases_behind >= rules.threshold
),

license_overage as (
    select
        'license_overage' as alert_type,
        subscription_months.account_id,
        subscription_months.subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        subscription_months.month,
        'license_utilization' as subject,
        subscription_months.license_utilization as metric_value,
        rules.threshold,
        cast(subscription_months.billable_users as string) || ' billable users on '
        || cast(subscription_months.licensed_seats as string) || ' seats' as details
    from subscription_months
    inner join rules on rules.alert_type = 'license_overage'
    where subscription_months.license_utilization > rules.threshold
),

low_utilization as (
    select
        'low_utilization' as alert_type,
        subscription_months.account_id,
        subscription_months.subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        subscription_months.month,
        'license_utilization' as subject,
        subscription_months.license_utilization as metric_value,
        rules.threshold,
        cast(subscription_months.billable_users as string) || ' billable users on '
        || cast(subscription_months.licensed_seats as string) || ' seats in term month '
        || cast(subscription_months.term_month as string) as details
    from subscription_months
    inner join rules on rules.alert_type = 'low_utilization'
    where
        subscription_months.license_utilization < rules.threshold
        and subscription_months.term_month >= rules.from_term_month
),

first_adoptions as (
    select
        adoption.*,
        min(case when adoption.color in ('yellow', 'green') then adoption.month end)
            over (partition by adoption.subscription_id, adoption.use_case) as first_adopted_month
    from adoption
    inner join use_cases on adoption.use_case = use_cases.use_case
    where use_cases.is_adoption_use_case
),

new_use_case_adopted as (
    select
        'new_use_case_adopted' as alert_type,
        account_id,
        subscription_id,
        cast(null as string) as uuid,
        cast(null as string) as hostname,
        month,
        use_case as subject,
        score as metric_value,
        cast(null as double) as threshold,
        use_case || ' is ' || color || ' for the first time (score ' || cast(round(score, 1) as string) || ')'
            as details
    from first_adoptions
    where month = first_adopted_month
),

alerts as (
    select * from use_case_downgrades
    union all
    select * from product_usage_downgrades
    union all
    select * from billable_user_drops
    union all
    select * from stopped_reporting
    union all
    select * from version_behind
    union all
    select * from license_overage
    union all
    select * from low_utilization
    union all
    select * from new_use_case_adopted
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
