-- Golden records: hand-worked cohort points of the embedded sample must be in
-- mart_adoption_cohorts with exactly these counts. Returns the rows that differ or are missing.
-- Embedded sample as of its latest ping only.
{{ config(enabled=not var('raw_data_dir', '') and not var('as_of_date', '')) }}
with

golden as (
    select * from {{ ref('golden_adoption_cohorts') }}
),

cohorts as (
    select * from {{ ref('mart_adoption_cohorts') }}
)

select
    golden.cohort_quarter,
    golden.use_case,
    golden.term_month,
    golden.why
from golden
left join cohorts
    on golden.cohort_quarter = cohorts.cohort_quarter
    and golden.use_case = cohorts.use_case
    and golden.term_month = cohorts.term_month
where
    cohorts.cohort_quarter is null
    or cohorts.cohort_subscriptions <> golden.cohort_subscriptions
    or cohorts.subscriptions_reached <> golden.subscriptions_reached
    or cohorts.adopted_by_n <> golden.adopted_by_n
