{#- A view: the pings are stored once, in int_service_pings_mapped; publishing writes them into
    the analyst database as a table, then only the pings that model wrote since (meta
    publish_written_rows_of, macros/publish.sql). -#}
{{ config(materialized='view', meta={'publish_written_rows_of': 'int_service_pings_mapped'}) }}
with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

final as (
    select
        {{ public_columns(ref('int_service_pings_mapped')) }}
    from pings
)

select * from final
