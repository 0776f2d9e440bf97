-- Accounts using more seats than they bought, in the latest month (license utilization > 1.0).
with

latest as (
    select max(month) as month from {{ ref('mart_account_health') }}
)

select
    health.account_id,
    health.account_name,
    health.month,
    health.licensed_seats,
    health.billable_users,
    health.license_utilization
from {{ ref('mart_account_health') }} as health
inner join latest on health.month = latest.month
where health.license_utilization > 1.0
order by health.license_utilization desc
