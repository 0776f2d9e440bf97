{{ config(materialized='table') }}
{#- Which copy of a ping is kept: the one ranking of accepted lines, computed once a build and
    stored narrow (two key columns and the rank), so the many readers of the wide, viewed
    int_service_pings_deduplicated join a stored rank instead of each sorting every ping again. -#}
with

pings as (
    select * from {{ ref('stg_raw__pings') }}
),

-- accepted lines (no quarantine reason) received by the as-of date (a replay: a ping received
-- later has not arrived yet)
accepted as (
    select * from pings
    where quarantine_reason is null and {{ known_as_of('received_at') }}
),

final as (
    select
        file_name,
        line_number,
        row_number() over (
            partition by uuid, hostname, ping_at
            order by
                case when upload_method = 'automatic' then 0 else 1 end asc,
                received_at asc,
                ping_id asc
        ) as duplicate_rank
    from accepted
)

select * from final
