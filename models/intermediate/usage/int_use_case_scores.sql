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

-- the same use case's previous month, by a join: a window would sort every row it carries
with_previous as (
    select
        colored.*,
        previous.color as previous_color,
        previous.color_rank as previous_color_rank
    from colored
    left join colored as previous
        on colored.subscription_id = previous.subscription_id
        and colored.use_case = previous.use_case
        and previous.month = colored.month - interval 1 month
),

final as (
    select
        -- ids
        subscription_id,
        account_id,

        -- attributes
        delivery,
        month,
        use_case,
        scoring_status,

        -- measures
        colored_measure_count,
        measure_count,
        score,
        color,
        previous_color,
        coalesce(color_rank < previous_color_rank, false) as is_downgrade
    from with_previous
)

select * from final
