with

measures as (
    select * from {{ ref('int_use_case_measures') }}
),

final as (
    select * from measures
)

select * from final
