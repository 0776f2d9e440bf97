with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

final as (
    select * from pings
)

select * from final
