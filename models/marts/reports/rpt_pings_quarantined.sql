{{ config(tags=['restricted']) }}
with

rejected as (
    select * from {{ ref('stg_raw__pings') }}
    where
        quarantine_reason is not null
        -- as-of replay: a line received after the as-of date has not arrived yet
        and {{ known_as_of('received_at') }}
),

final as (
    select
        -- ids
        {{ ping_identity_columns() }},

        -- why
        quarantine_reason,

        -- the raw line as received, to fix and replay (restricted: may hold personal data)
        raw_line,
        recorded_at_text,
        received_at_text
    from rejected
)

select * from final
