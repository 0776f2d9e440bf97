{#- A view: the pings are stored once, in int_service_pings_mapped; publishing writes them into
    the analyst database as a table. -#}
{{ config(materialized='view') }}
with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

final as (
    select * from pings
)

select * from final
