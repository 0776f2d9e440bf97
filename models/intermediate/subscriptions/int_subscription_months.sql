{#- One row per subscription (current version id) and month, from the month of the first term
    start of any version to the month of the last term end, capped at the as-of date. Plan,
    seats and status are those of the version in effect that month (highest version whose term
    overlaps the month; else the current version). With version_effective_date in the file
    (SPEC §4.13), the version in effect is the highest one that had taken effect on the month's
    last day (the as-of date in the as-of month): an amendment on March 15 does not rewrite
    February. -#}
with

versions as (
    select * from {{ ref('int_subscription_versions') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

spine as (
    select
        versions.current_subscription_id as subscription_id,
        versions.subscription_name,
        versions.first_term_start_date,
        versions.last_term_end_date,
        versions.status as current_status,
        {{ month_series('versions.first_term_start_date', 'least(versions.last_term_end_date, as_of.as_of_date)') }}
            as month_start
    from versions
    cross join as_of
    where versions.is_current_version and versions.first_term_start_date <= as_of.as_of_date
),

months as (
    select
        spine.*,
        cast(spine.month_start as date) as month,
        -- the month's last day, or the as-of date in the as-of month
        least({{ add_days('cast(spine.month_start as date) + interval 1 month', -1) }}, as_of.as_of_date)
            as reference_date
    from spine
    cross join as_of
),

in_effect as (
    select
        months.subscription_id,
        months.month,
        versions.subscription_id as version_subscription_id,
        row_number() over (
            partition by months.subscription_id, months.month
            order by
                -- with effective dates: the versions that had taken effect by the reference day
                case
                    when not versions.has_effective_dates then 0
                    when versions.effective_date <= months.reference_date then 0
                    else 1
                end asc,
                versions.subscription_version desc,
                versions.subscription_id desc
        ) as version_rank
    from months
    inner join versions
        on months.subscription_name = versions.subscription_name
        and months.month + interval 1 month > versions.term_start_date
        and months.month <= versions.term_end_date
),

final as (
    select
        -- ids
        months.subscription_id,
        months.subscription_name,
        current_version.account_id,
        coalesce(in_effect.version_subscription_id, months.subscription_id) as version_subscription_id,

        -- attributes
        months.month,
        current_version.account_name,
        coalesce(effective_version.plan, current_version.plan) as plan,
        current_version.delivery,
        months.current_status as status,
        in_effect.version_subscription_id is not null as is_in_term,
        months.current_status = 'Active' and in_effect.version_subscription_id is not null as is_active,
        cast({{ months_between('months.first_term_start_date', 'months.month') }} + 1 as integer) as term_month,

        -- measures
        coalesce(effective_version.licensed_seats, current_version.licensed_seats) as licensed_seats
    from months
    inner join versions as current_version on months.subscription_id = current_version.subscription_id
    left join in_effect
        on months.subscription_id = in_effect.subscription_id
        and months.month = in_effect.month
        and in_effect.version_rank = 1
    left join versions as effective_version on in_effect.version_subscription_id = effective_version.subscription_id
)

select * from final
