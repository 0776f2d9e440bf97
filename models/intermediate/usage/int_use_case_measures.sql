with

subscription_months as (
    select * from {{ ref('int_subscription_usage_monthly') }}
),

measures as (
    select * from {{ ref('use_case_measures') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
),

score_colors as (
    select * from {{ ref('score_colors') }}
),

primary_instances as (
    select * from {{ ref('int_instance_months_typed') }}
    where is_primary_instance
),

metrics as (
    select * from {{ ref('int_primary_ping_metrics') }}
),

grid as (
    select
        subscription_months.subscription_id,
        subscription_months.account_id,
        subscription_months.month,
        subscription_months.plan,
        subscription_months.delivery,
        subscription_months.term_month,
        subscription_months.licensed_seats,
        subscription_months.primary_ping_id,
        measures.use_case,
        measures.measure,
        measures.numerator_column,
        measures.denominator as denominator_type,
        measures.yellow_from,
        measures.yellow_inclusive,
        measures.green_from,
        measures.weight,
        use_cases.is_ultimate_only
    from subscription_months
    cross join measures
    inner join use_cases on measures.use_case = use_cases.use_case
),

valued as (
    select
        grid.*,
        metrics.metric_value as numerator,
        metrics.value_status as numerator_status,
        case grid.denominator_type
            when 'licensed_seats' then grid.licensed_seats
            when 'billable_users' then primary_instances.billable_users
            when 'umau' then primary_instances.umau
            when 'none' then 1
        end as denominator
    from grid
    left join primary_instances on grid.primary_ping_id = primary_instances.ping_id
    left join metrics
        on grid.primary_ping_id = metrics.ping_id
        and grid.numerator_column = metrics.column_name
),

rated as (
    select
        *,
        case when denominator > 0 then numerator / cast(denominator as double) end as ratio,
        case
            when term_month <= 1 then 'onboarding'
            when is_ultimate_only and plan <> 'ultimate' then 'not_applicable'
            when primary_ping_id is null then 'no_primary_instance'
            when numerator is null or not denominator > 0 then 'no_data'
            else 'scored'
        end as scoring_status
    from valued
),

colored as (
    select
        *,
        case
            when scoring_status <> 'scored' then null
            when ratio >= green_from then 'green'
            when ratio > yellow_from or (yellow_inclusive and ratio = yellow_from) then 'yellow'
            else 'red'
        end as color
    from rated
),

final as (
    select
        -- ids
        colored.subscription_id,
        colored.account_id,
        colored.primary_ping_id as ping_id,

        -- attributes
        colored.delivery,
        colored.month,
        colored.use_case,
        colored.measure,
        colored.numerator_column,
        colored.denominator_type,
        colored.scoring_status,
        colored.numerator_status,

        -- measures
        colored.numerator,
        colored.denominator,
        colored.ratio,
        colored.yellow_from,
        colored.yellow_inclusive,
        colored.green_from,
        colored.weight,
        colored.color,
        score_colors.points
    from colored
    left join score_colors on colored.color = score_colors.color
)

select * from final
