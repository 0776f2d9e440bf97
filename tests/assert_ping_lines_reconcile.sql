-- Every raw line is accounted for (SPEC §3): lines read = accepted + duplicates + quarantined.
-- Returns a row (fails) when the counts disagree, e.g. a join that drops or fans out pings.
with

lines_read as (
    select count(*) as line_count from {{ ref('stg_raw__pings') }}
    where {{ known_as_of('received_at') }}
),

accepted as (
    select count(*) as ping_count from {{ ref('fct_service_ping') }}
    where upload_method <> 'saas'
),

duplicates as (
    select count(*) as duplicate_count from {{ ref('int_service_pings_deduplicated') }}
    where is_duplicate
),

quarantined as (
    select count(*) as quarantined_count from {{ ref('rpt_pings_quarantined') }}
),

final as (
    select
        lines_read.line_count,
        accepted.ping_count,
        duplicates.duplicate_count,
        quarantined.quarantined_count
    from lines_read
    cross join accepted
    cross join duplicates
    cross join quarantined
    where lines_read.line_count <> accepted.ping_count + duplicates.duplicate_count + quarantined.quarantined_count
)

select * from final
