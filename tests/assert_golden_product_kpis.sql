-- Golden records: hand-computed xMAU rows of the embedded sample must be in
-- mart_product_kpis_monthly with exactly these values (the estimate to three decimals).
-- Returns the rows that differ or are missing. Embedded sample as of its latest ping only.
{{ config(enabled=not var('raw_data_dir', '') and not var('as_of_date', '')) }}
with

golden as (
    select * from {{ ref('golden_product_kpis') }}
),

kpis as (
    select * from {{ ref('mart_product_kpis_monthly') }}
)

select
    golden.month,
    golden.key_path,
    golden.delivery,
    golden.why
from golden
left join kpis
    on golden.month = kpis.month
    and golden.key_path = kpis.key_path
    and golden.delivery = kpis.delivery
where
    kpis.month is null
    or not coalesce(kpis.recorded_value = golden.recorded_value, false)
    or not coalesce(kpis.paid_recorded_value = golden.paid_recorded_value, false)
    or not coalesce(kpis.reporting_deployments = golden.reporting_deployments, false)
    or not coalesce(kpis.reporting_seats = golden.reporting_seats, false)
    or not coalesce(kpis.total_paid_seats = golden.total_paid_seats, false)
    or not coalesce(abs(kpis.estimated_value - golden.estimated_value) < 0.0005, false)
