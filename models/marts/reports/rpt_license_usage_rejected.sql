with

rejected as (
    select * from {{ ref('stg_raw__license_usage') }}
    where
        not is_valid_row
        -- as-of replay: an export generated after the as-of date has not arrived yet
        and {{ known_as_of('generated_at') }}
),

final as (
    select
        -- ids
        file_name,
        line_number,
        license_md5,

        -- why
        rejection_reason,

        -- the line as read (a date and a count; no personal data)
        count_column,
        usage_date,
        billable_users,
        generated_at
    from rejected
)

select * from final
