{#- Accepted pings (no quarantine reason), personal data removed, each flagged as the kept copy
    or a duplicate of it. Incremental: copies of one ping share its dedupe group (uuid, hostname,
    as-of time), so its month; a build recomputes only the groups (on Spark the months) of lines
    from files this table has not seen (macros/incremental_months.sql). -#}
{%- set dedupe_group = ['uuid', 'hostname', 'ping_at'] %}
{{ config(**month_incremental_config(group_columns=dedupe_group)) }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

pings as (
    select * from {{ ref('stg_raw__pings') }}
),

accepted as (
    select
        -- lineage and ids
        {{ ping_identity_columns() }},

        -- attributes (no source_ip, licensee name or e-mail: they stay in staging)
        {{ ping_version_columns() }},
        {{ ping_license_columns() }},
        licensee_company,
        licensee_email_domain,

        -- measures
        license_user_count,
        billable_users,
        historical_max_users,
        failed_metric_count,
        active_user_count,

        -- timestamps
        {{ ping_timestamp_columns() }},
        {{ month_of('ping_at') }} as ping_month

        -- catalog metrics, as the JSON value sent
        {{ catalog_columns(catalog) }}
    from pings
    where {{ accepted_ping() }}{{ in_touched_months('ping_at', group_columns=dedupe_group) }}
),

-- the ranking reads the key columns only, in a scan of its own: the wide metric columns join
-- back by line, so neither the window nor a shared (materialized) CTE carries the catalog's
-- hundreds of columns
ranked as (
    select
        file_name,
        line_number,
        row_number() over (
            partition by {{ dedupe_group | join(", ") }}
            order by
                case when upload_method = 'automatic' then 0 else 1 end asc,
                received_at asc,
                ping_id asc,
                -- the same line landed in two files: the first file keeps it, on every build
                file_name asc,
                line_number asc
        ) as duplicate_rank
    from {{ ref('stg_raw__pings') }}
    where {{ accepted_ping() }}{{ in_touched_months('ping_at', group_columns=dedupe_group) }}
),

final as (
    select
        accepted.*,
        ranked.duplicate_rank,
        ranked.duplicate_rank > 1 as is_duplicate
    from accepted
    inner join ranked
        on accepted.file_name = ranked.file_name
        and accepted.line_number = ranked.line_number
)

select * from final
