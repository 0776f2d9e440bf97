{#- One row per labelled instance (uuid, hostname): its latest Customer Success label
    (latest updated_at; ties broken by instance_type for determinism). -#}
with

labels as (
    select * from {{ ref('stg_raw__instance_types') }}
    where rejection_reason is null and {{ known_as_of('updated_at') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by uuid, hostname
            order by updated_at desc, instance_type asc
        ) as label_rank
    from labels
),

final as (
    select
        uuid,
        hostname,
        instance_type as label_instance_type,
        included_in_health_measure,
        updated_at as label_updated_at
    from ranked
    where label_rank = 1
)

select * from final
