{#- A view: the rows are stored once, in int_use_case_scores; publishing writes them into the analyst
    database as a table. -#}
{{ config(materialized='view') }}
with

scores as (
    select * from {{ ref('int_use_case_scores') }}
),

final as (
    select * from scores
)

select * from final
