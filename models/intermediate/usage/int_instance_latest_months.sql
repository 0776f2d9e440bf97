{#- Each instance's latest month with a snapshot: what its type and usage looked like last. -#}
with

instance_months as (
    select * from {{ ref('int_instance_months_typed') }}
),

ranked_months as (
    select
        *,
        row_number() over (partition by uuid, hostname order by month desc) as month_rank
    from instance_months
),

final as (
    select * from ranked_months
    where month_rank = 1
)

select * from final
