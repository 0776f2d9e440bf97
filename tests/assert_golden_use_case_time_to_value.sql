-- Golden records: hand-worked subscriptions' time to value of the embedded sample must be in
-- mart_use_case_time_to_value with exactly these values (an empty month: not reached).
-- Returns the rows that differ or are missing. Embedded sample as of its latest ping only.
{{ config(enabled=not var('raw_data_dir', '') and not var('as_of_date', '')) }}
with

golden as (
    select * from {{ ref('golden_use_case_time_to_value') }}
),

time_to_value as (
    select * from {{ ref('mart_use_case_time_to_value') }}
)

select
    golden.subscription_name,
    golden.use_case,
    golden.why
from golden
left join time_to_value
    on golden.subscription_name = time_to_value.subscription_name
    and golden.use_case = time_to_value.use_case
where
    time_to_value.subscription_name is null
    or time_to_value.status <> golden.status
    or time_to_value.last_term_month <> golden.last_term_month
    or coalesce(time_to_value.months_to_yellow, -1) <> coalesce(golden.months_to_yellow, -1)
    or coalesce(time_to_value.months_to_green, -1) <> coalesce(golden.months_to_green, -1)
