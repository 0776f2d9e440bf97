with

account_months as (
    select * from {{ ref('int_account_months') }}
),

utilization_bands as (
    select * from {{ ref('license_utilization_bands') }}
),

-- the matching band with the highest lower bound gives the color (none in term month 1)
banded as (
    select
        account_months.account_id,
        account_months.month,
        utilization_bands.color,
        row_number() over (
            partition by account_months.account_id, account_months.month
            order by utilization_bands.utilization_from desc
        ) as band_rank
    from account_months
    inner join utilization_bands
        on account_months.has_all_usage_data
        and account_months.term_month >= utilization_bands.term_month_from
        and account_months.term_month <= coalesce(utilization_bands.term_month_to, account_months.term_month)
        and (
            account_months.license_utilization > utilization_bands.utilization_from
            or (
                utilization_bands.is_from_inclusive
                and account_months.license_utilization = utilization_bands.utilization_from
            )
        )
),

final as (
    select
        account_id,
        month,
        color as license_utilization_color
    from banded
    where band_rank = 1
)

select * from final
