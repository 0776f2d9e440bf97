-- Which cohort adopts CI slowest: each term-start quarter's CI adoption curve at term months 3,
-- 6 and 12, the first month half of it was green, and the mean months to green of its adopters.
-- Slowest first: the lowest adoption rate at term month 6 (var cohort_comparison_term_month);
-- a cohort that has not reached that month yet comes last, by its rate at the furthest month.
{% set comparison_month = var('cohort_comparison_term_month', 6) %}
with

cohorts as (
    select * from {{ ref('mart_adoption_cohorts') }}
    where use_case = 'ci'
),

time_to_value as (
    select * from {{ ref('mart_use_case_time_to_value') }}
    where use_case = 'ci' and status <> 'not_applicable'
),

curves as (
    select
        cohort_quarter,
        max(cohort_subscriptions) as cohort_subscriptions,
        max(term_month) as furthest_term_month,
        max(case when term_month = 3 then adoption_rate end) as adoption_rate_month_3,
        max(case when term_month = 6 then adoption_rate end) as adoption_rate_month_6,
        max(case when term_month = 12 then adoption_rate end) as adoption_rate_month_12,
        max(case when term_month = {{ comparison_month }} then adoption_rate end) as comparison_rate,
        min(case when adoption_rate >= 0.5 then term_month end) as first_month_half_green
    from cohorts
    group by cohort_quarter
),

furthest as (
    select
        cohorts.cohort_quarter,
        cohorts.adoption_rate as furthest_adoption_rate
    from cohorts
    inner join curves
        on cohorts.cohort_quarter = curves.cohort_quarter
        and cohorts.term_month = curves.furthest_term_month
),

adopters as (
    select
        cohort_quarter,
        avg(months_to_green) as mean_months_to_green,
        count(case when status = 'not_yet' then 1 end) as not_yet_count
    from time_to_value
    group by cohort_quarter
)

select
    curves.cohort_quarter,
    curves.cohort_subscriptions,
    curves.furthest_term_month,
    round(curves.adoption_rate_month_3, 3) as adoption_rate_month_3,
    round(curves.adoption_rate_month_6, 3) as adoption_rate_month_6,
    round(curves.adoption_rate_month_12, 3) as adoption_rate_month_12,
    round(furthest.furthest_adoption_rate, 3) as furthest_adoption_rate,
    curves.first_month_half_green,
    round(adopters.mean_months_to_green, 1) as mean_months_to_green,
    adopters.not_yet_count
from curves
inner join furthest on curves.cohort_quarter = furthest.cohort_quarter
left join adopters on curves.cohort_quarter = adopters.cohort_quarter
order by
    curves.comparison_rate is null asc,
    curves.comparison_rate asc,
    furthest.furthest_adoption_rate asc,
    curves.cohort_quarter asc
