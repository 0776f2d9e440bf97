with

alert_rules as (
    select * from {{ ref('alert_rules') }}
),

final as (
    select
        -- ids
        alert_type,

        -- attributes
        threshold,
        from_term_month,
        description
    from alert_rules
)

select * from final
