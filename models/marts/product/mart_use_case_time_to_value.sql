{#- SPEC §4.12: how fast each subscription adopted each use case. Built on mart_use_case_adoption
    (the colors it measures). -#}
with

adoption as (
    select * from {{ ref('mart_use_case_adoption') }}
),

subscription_months as (
    select * from {{ ref('int_subscription_months') }}
),

versions as (
    select * from {{ ref('int_subscription_versions') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
    where is_adoption_use_case
),

subscriptions as (
    select
        subscription_id,
        -- the term month reached by the as-of date (or at the last term's end)
        max(term_month) as last_term_month
    from subscription_months
    group by subscription_id
),

current_versions as (
    select * from versions
    where is_current_version
),

first_colors as (
    select
        subscription_id,
        use_case,
        min(case when color is not null then month end) as first_scored_month,
        min(case when color in ('yellow', 'green') then month end) as first_yellow_month,
        min(case when color = 'green' then month end) as first_green_month
    from adoption
    group by subscription_id, use_case
),

combined as (
    select
        subscriptions.subscription_id,
        current_versions.subscription_name,
        current_versions.account_id,
        use_cases.use_case,
        use_cases.is_ultimate_only,
        current_versions.plan,
        current_versions.delivery,
        current_versions.status as subscription_status,
        current_versions.first_term_start_date as term_start_date,
        subscriptions.last_term_month,
        first_colors.first_scored_month,
        scored_months.term_month as first_scored_term_month,
        first_colors.first_yellow_month,
        first_colors.first_green_month,
        yellow_months.term_month as months_to_yellow,
        green_months.term_month as months_to_green
    from subscriptions
    inner join current_versions on subscriptions.subscription_id = current_versions.subscription_id
    cross join use_cases
    left join first_colors
        on subscriptions.subscription_id = first_colors.subscription_id
        and use_cases.use_case = first_colors.use_case
    left join subscription_months as scored_months
        on first_colors.subscription_id = scored_months.subscription_id
        and first_colors.first_scored_month = scored_months.month
    left join subscription_months as yellow_months
        on first_colors.subscription_id = yellow_months.subscription_id
        and first_colors.first_yellow_month = yellow_months.month
    left join subscription_months as green_months
        on first_colors.subscription_id = green_months.subscription_id
        and first_colors.first_green_month = green_months.month
),

final as (
    select
        -- ids
        subscription_id,
        subscription_name,
        account_id,
        use_case,

        -- attributes
        plan,
        delivery,
        subscription_status,
        term_start_date,
        cast(date_trunc('quarter', term_start_date) as date) as cohort_quarter,
        cast(last_term_month as integer) as last_term_month,
        first_scored_month,
        cast(first_scored_term_month as integer) as first_scored_term_month,
        first_yellow_month,
        first_green_month,
        cast(months_to_yellow as integer) as months_to_yellow,
        cast(months_to_green as integer) as months_to_green,
        case
            when first_green_month is not null then 'adopted'
            when first_yellow_month is not null then 'adopting'
            -- DevSecOps off Ultimate is not scored: not applicable, not late
            when is_ultimate_only and plan <> 'ultimate' then 'not_applicable'
            else 'not_yet'
        end as status
    from combined
)

select * from final
