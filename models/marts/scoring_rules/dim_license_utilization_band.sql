with

bands as (
    select * from {{ ref('license_utilization_bands') }}
),

final as (
    select
        -- ids
        term_month_from,
        utilization_from,

        -- attributes
        term_month_to,
        is_from_inclusive,
        color
    from bands
)

select * from final
