with

components as (
    select * from {{ ref('int_account_health_components') }}
),

product_usage as (
    select * from {{ ref('int_account_product_usage') }}
),

color_bands as (
    select * from {{ ref('int_score_color_bands') }}
),

all_components as (
    select
        account_id,
        month,
        component,
        color,
        score,
        is_adoption_use_case
    from components
    union all
    select
        account_id,
        month,
        'product_usage' as component,
        product_usage_color as color,
        product_usage_score as score,
        false as is_adoption_use_case
    from product_usage
),

-- last month's color of each component (NULL unless it is the calendar-previous month)
component_changes as (
    select
        *,
        case
            when lag(month) over (partition by account_id, component order by month) = month - interval 1 month
                then lag(color) over (partition by account_id, component order by month)
        end as previous_color
    from all_components
),

final as (
    select
        component_changes.*,
        coalesce(current_band.color_rank < previous_band.color_rank, false) as is_downgrade
    from component_changes
    left join color_bands as current_band on component_changes.color = current_band.color
    left join color_bands as previous_band on component_changes.previous_color = previous_band.color
)

select * from final
