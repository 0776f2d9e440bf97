{#- A view: the rows are stored once, in int_instance_month_metrics; publishing writes them into
    the analyst database as a table, then only the rows that model wrote since (meta
    publish_written_rows_of, macros/publish.sql). -#}
{{ config(materialized='view', meta={'publish_written_rows_of': 'int_instance_month_metrics'}) }}
with

instance_months as (
    select * from {{ ref('int_instance_month_metrics') }}
),

final as (
    select
        {{ public_columns(ref('int_instance_month_metrics')) }}
    from instance_months
)

select * from final
