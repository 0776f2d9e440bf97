{#- A view: the rows are stored once, in int_use_case_scores; publishing writes them into the analyst
    database as a table, then only the rows that model wrote since (meta publish_written_rows_of,
    macros/publish.sql). -#}
{{ config(materialized='view', meta={'publish_written_rows_of': 'int_use_case_scores'}) }}
with

scores as (
    select * from {{ ref('int_use_case_scores') }}
),

final as (
    select
        {{ public_columns(ref('int_use_case_scores')) }}
    from scores
)

select * from final
