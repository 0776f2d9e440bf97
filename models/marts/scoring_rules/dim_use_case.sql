with

use_cases as (
    select * from {{ ref('use_cases') }}
),

final as (
    select
        -- ids
        use_case,

        -- attributes
        is_ultimate_only,
        is_adoption_use_case,
        description,
        display_order
    from use_cases
)

select * from final
