{#- One row per color: the score band [min_score, upper_score) that earns it and the points
    the color is worth (seed score_colors: red 0, yellow 50, green 100; >= 75 green, >= 50 yellow). -#}
with

score_colors as (
    select * from {{ ref('score_colors') }}
),

final as (
    select
        color,
        points,
        rank as color_rank,
        min_score,
        lead(min_score) over (order by min_score) as upper_score
    from score_colors
)

select * from final
