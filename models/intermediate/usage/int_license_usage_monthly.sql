{#- One row per subscription and month covered by an offline license usage export: the
    billable users of the export's latest day in that month (SPEC §2.3, §4.4). When several
    exports cover that day, the most recently generated one wins. -#}
with

usage_rows as (
    select * from {{ ref('stg_raw__license_usage') }}
    where is_valid_row and {{ known_as_of('generated_at') }} and {{ known_as_of('usage_date') }}
),

license_subscriptions as (
    select * from {{ ref('int_license_subscriptions') }}
),

mapped as (
    select
        license_subscriptions.subscription_id,
        usage_rows.license_md5,
        usage_rows.usage_date,
        usage_rows.billable_users,
        usage_rows.generated_at,
        usage_rows.file_name,
        cast(date_trunc('month', usage_rows.usage_date) as date) as month
    from usage_rows
    inner join license_subscriptions on usage_rows.license_md5 = license_subscriptions.license_md5
    where license_subscriptions.subscription_id is not null and not license_subscriptions.is_trial_license
),

ranked as (
    select
        *,
        row_number() over (
            partition by subscription_id, month
            order by usage_date desc, generated_at desc, file_name desc, license_md5 asc
        ) as day_rank
    from mapped
),

final as (
    select
        subscription_id,
        month,
        license_md5,
        usage_date,
        billable_users,
        file_name
    from ranked
    where day_rank = 1
)

select * from final
