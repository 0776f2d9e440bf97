with

components as (
    select * from {{ ref('int_account_health_components') }}
),

health_weights as (
    select * from {{ ref('health_weights') }}
),

color_bands as (
    select * from {{ ref('int_score_color_bands') }}
),

-- use cases count with their score, the other components with their color's points
component_points as (
    select
        components.account_id,
        components.month,
        health_weights.weight,
        case
            when components.is_adoption_use_case then components.score
            else color_bands.points
        end as points
    from components
    inner join health_weights on components.component = health_weights.component
    left join color_bands on components.color = color_bands.color
),

-- a missing component's weight is shared among the others
product_scores as (
    select
        account_id,
        month,
        sum(case when points is not null then points * weight end)
        / nullif(sum(case when points is not null then weight end), 0) as product_usage_score
    from component_points
    group by account_id, month
),

final as (
    select
        product_scores.account_id,
        product_scores.month,
        product_scores.product_usage_score,
        color_bands.color as product_usage_color
    from product_scores
    left join color_bands
        on product_scores.product_usage_score >= color_bands.min_score
        and (color_bands.upper_score is null or product_scores.product_usage_score < color_bands.upper_score)
)

select * from final
