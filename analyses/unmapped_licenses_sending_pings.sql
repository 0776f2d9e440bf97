-- Licenses sending pings that no subscription claims, with the suggested subscription.
select
    unmapped.license_md5,
    unmapped.licensee_company,
    unmapped.instance_count,
    unmapped.last_ping_at,
    unmapped.suggested_subscription_id,
    unmapped.match_reason
from {{ ref('rpt_unmapped_licenses') }} as unmapped
order by unmapped.last_ping_at desc
