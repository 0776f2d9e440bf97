-- Every SaaS measurement line is accounted for: lines read = accepted + duplicates + quarantined.
with

lines_read as (
    select count(*) as line_count from {{ ref('stg_raw__saas_usage') }}
    where {{ known_as_of('recorded_at') }}
),

accepted as (
    select count(*) as measurement_count from {{ ref('fct_service_ping') }}
    where upload_method = 'saas'
),

duplicates as (
    select count(*) as duplicate_count from {{ ref('int_saas_measurements') }}
    where is_duplicate
),

quarantined as (
    select count(*) as quarantined_count from {{ ref('stg_raw__saas_usage') }}
    where quarantine_reason is not null and {{ known_as_of('recorded_at') }}
)

select
    lines_read.line_count,
    accepted.measurement_count,
    duplicates.duplicate_count,
    quarantined.quarantined_count
from lines_read
cross join accepted
cross join duplicates
cross join quarantined
where lines_read.line_count <> accepted.measurement_count + duplicates.duplicate_count + quarantined.quarantined_count
