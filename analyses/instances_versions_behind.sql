-- Production instances more than 3 minor releases behind the newest release seen in the data.
with

instances as (
    select * from {{ ref('dim_instance') }}
    where is_production and version_major is not null
),

releases as (
    select distinct
        version_major,
        version_minor
    from {{ ref('fct_service_ping') }}
    where version_major is not null
),

behind as (
    select
        instances.account_id,
        instances.subscription_id,
        instances.uuid,
        instances.hostname,
        instances.gitlab_version,
        count(releases.version_minor) as releases_behind
    from instances
    left join releases
        on instances.version_major < releases.version_major
        or (instances.version_major = releases.version_major and instances.version_minor < releases.version_minor)
    group by all
)

select * from behind
where releases_behind > 3
order by releases_behind desc
