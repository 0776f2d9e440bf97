{#- SPEC §4.12: adoption curves of the subscriptions that started in the same quarter. Built on
    mart_use_case_time_to_value (each subscription's first green month). -#}
with

time_to_value as (
    select * from {{ ref('mart_use_case_time_to_value') }}
),

subscription_months as (
    select * from {{ ref('int_subscription_months') }}
),

-- a use case a subscription cannot be scored on (DevSecOps off Ultimate) is no member of its curve
members as (
    select * from time_to_value
    where status <> 'not_applicable'
),

-- one row per member and term month its term has reached by the as-of date: a member that has
-- not reached month N yet is not in month N's denominator
reached as (
    select
        members.cohort_quarter,
        members.use_case,
        subscription_months.term_month,
        members.subscription_id,
        members.months_to_yellow,
        members.months_to_green
    from members
    inner join subscription_months on members.subscription_id = subscription_months.subscription_id
),

cohort_sizes as (
    select
        cohort_quarter,
        use_case,
        count(*) as cohort_subscriptions
    from members
    group by cohort_quarter, use_case
),

curves as (
    select
        cohort_quarter,
        use_case,
        term_month,
        count(*) as subscriptions_reached,
        count(case when months_to_green <= term_month then 1 end) as adopted_by_n,
        count(case when months_to_yellow <= term_month then 1 end) as yellow_by_n
    from reached
    group by cohort_quarter, use_case, term_month
),

final as (
    select
        -- ids
        curves.cohort_quarter,
        curves.use_case,
        cast(curves.term_month as integer) as term_month,

        -- measures
        cast(cohort_sizes.cohort_subscriptions as bigint) as cohort_subscriptions,
        cast(curves.subscriptions_reached as bigint) as subscriptions_reached,
        cast(curves.adopted_by_n as bigint) as adopted_by_n,
        curves.adopted_by_n / cast(curves.subscriptions_reached as double) as adoption_rate,
        cast(curves.yellow_by_n as bigint) as yellow_by_n,
        curves.yellow_by_n / cast(curves.subscriptions_reached as double) as yellow_rate
    from curves
    inner join cohort_sizes
        on curves.cohort_quarter = cohort_sizes.cohort_quarter
        and curves.use_case = cohort_sizes.use_case
)

select * from final
