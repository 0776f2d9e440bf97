with

measures as (
    select * from {{ ref('int_use_case_measures') }}
),

color_bands as (
    select * from {{ ref('int_score_color_bands') }}
),

scored as (
    select
        subscription_id,
        account_id,
        delivery,
        month,
        use_case,
        count(color) as colored_measure_count,
        count(*) as measure_count,
        sum(case when color is not null then points * weight end)
        / nullif(sum(case when color is not null then weight end), 0) as score,
        case
            when count(color) > 0 then 'scored'
            when bool_or(scoring_status = 'onboarding') then 'onboarding'
            when bool_or(scoring_status = 'not_applicable') then 'not_applicable'
            when bool_or(scoring_status = 'no_primary_instance') then 'no_primary_instance'
            else 'no_data'
        end as scoring_status
    from measures
    group by subscription_id, account_id, delivery, month, use_case
),

colored as (
    select
        scored.*,
        color_bands.color,
        color_bands.color_rank
    from scored
    left join color_bands
        on scored.score >= color_bands.min_score
        and (color_bands.upper_score is null or scored.score < color_bands.upper_score)
),

with_previous as (
    select
        *,
        lag(color) over (partition by subscription_id, use_case order by month) as lagged_color,
        lag(color_rank) over (partition by subscription_id, use_case order by month) as lagged_color_rank,
        lag(month) over (partition by subscription_id, use_case order by month) as lagged_month
    from colored
),

final as (
    select
        -- ids
        with_previous.subscription_id,
        with_previous.account_id,

        -- attributes
        with_previous.delivery,
        with_previous.month,
        with_previous.use_case,
        with_previous.scoring_status,

        -- measures
        with_previous.colored_measure_count,
        with_previous.measure_count,
        with_previous.score,
        with_previous.color,
        case
            when with_previous.lagged_month = with_previous.month - interval 1 month then with_previous.lagged_color
        end as previous_color,
        coalesce(
            with_previous.lagged_month = with_previous.month - interval 1 month
            and with_previous.color_rank < with_previous.lagged_color_rank,
            false
        ) as is_downgrade
    from with_previous
)

select * from final
