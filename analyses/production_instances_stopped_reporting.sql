-- Production instances whose last ping is older than the stopped_reporting threshold.
select
    alerts.account_id,
    alerts.subscription_id,
    alerts.uuid,
    alerts.hostname,
    alerts.metric_value as days_since_last_ping,
    alerts.details
from {{ ref('mart_usage_alerts') }} as alerts
where alerts.alert_type = 'stopped_reporting'
order by alerts.metric_value desc
