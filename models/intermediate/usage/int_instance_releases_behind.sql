{#- One row per instance whose version parses: how many distinct major.minor releases seen in
    the data are newer than its own (SPEC §4.8 version_behind), and the newest one. -#}
with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

-- each instance's version is the one of its latest ping (as dim_instance shows it)
latest_versions as (
    select
        uuid,
        hostname,
        {{ last_by('version_major', ['ping_at', 'ping_id']) }} as version_major,
        {{ last_by('version_minor', ['ping_at', 'ping_id']) }} as version_minor
    from pings
    group by uuid, hostname
),

instances as (
    select * from latest_versions
    where version_major is not null
),

releases as (
    select distinct
        version_major,
        version_minor
    from pings
    -- an internal install runs unreleased code: never the newest release
    where version_major is not null and not is_internal
),

newest_release as (
    select
        version_major as newest_major,
        version_minor as newest_minor
    from releases
    order by version_major desc, version_minor desc
    limit 1
),

behind as (
    select
        instances.uuid,
        instances.hostname,
        count(releases.version_minor) as releases_behind
    from instances
    left join releases
        on instances.version_major < releases.version_major
        or (instances.version_major = releases.version_major and instances.version_minor < releases.version_minor)
    group by instances.uuid, instances.hostname
),

final as (
    select
        behind.uuid,
        behind.hostname,
        behind.releases_behind,
        cast(newest_release.newest_major as string) || '.' || cast(newest_release.newest_minor as string)
            as newest_release
    from behind
    cross join newest_release
)

select * from final
