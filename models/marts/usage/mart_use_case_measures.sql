{#- A view: the rows are stored once, in int_use_case_measures; publishing writes them into the analyst
    database as a table. -#}
{{ config(materialized='view') }}
with

measures as (
    select * from {{ ref('int_use_case_measures') }}
),

final as (
    select * from measures
)

select * from final
