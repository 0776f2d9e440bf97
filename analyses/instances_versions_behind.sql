-- Production instances more than 3 minor releases behind the newest release seen in the data.
select
    instances.account_id,
    instances.subscription_id,
    instances.uuid,
    instances.hostname,
    instances.gitlab_version,
    behind.releases_behind,
    behind.newest_release
from {{ ref('dim_instance') }} as instances
inner join {{ ref('int_instance_releases_behind') }} as behind
    on instances.uuid = behind.uuid
    and instances.hostname = behind.hostname
where instances.is_production and behind.releases_behind > 3
order by behind.releases_behind desc
