-- Golden records: hand-verified instance-months of the embedded sample must be in
-- mart_instance_monthly with exactly these values. Returns the rows that differ or are missing.
-- Runs on the embedded sample as of its latest ping only (a raw data directory or an as-of
-- replay holds other instance-months).
{{ config(enabled=not var('raw_data_dir', '') and not var('as_of_date', '')) }}
with

golden as (
    select * from {{ ref('golden_instance_months') }}
),

monthly as (
    select * from {{ ref('mart_instance_monthly') }}
)

select
    golden.uuid,
    golden.hostname,
    golden.month,
    golden.why
from golden
left join monthly
    on golden.uuid = monthly.uuid
    and golden.hostname = monthly.hostname
    and golden.month = monthly.month
where
    monthly.uuid is null
    or monthly.instance_type <> golden.instance_type
    or monthly.instance_type_source <> golden.instance_type_source
    or monthly.is_primary_instance <> golden.is_primary_instance
    or (monthly.billable_users is not null) <> golden.has_billable_users
