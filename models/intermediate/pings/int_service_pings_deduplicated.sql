{#- Accepted pings (no quarantine reason), personal data removed, each flagged as the kept copy
    or a duplicate of it. -#}
with

accepted as (
    select {{ columns_except(ref('stg_raw__pings'), personal_data_columns()) }}
    from {{ ref('stg_raw__pings') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by uuid, hostname, ping_at
            order by
                case when upload_method = 'automatic' then 0 else 1 end,
                received_at,
                ping_id
        ) as duplicate_rank
    from accepted
),

final as (
    select
        *,
        duplicate_rank > 1 as is_duplicate
    from ranked
)

select * from final
