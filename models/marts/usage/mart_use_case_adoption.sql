with

scores as (
    select * from {{ ref('int_use_case_scores') }}
),

final as (
    select * from scores
)

select * from final
