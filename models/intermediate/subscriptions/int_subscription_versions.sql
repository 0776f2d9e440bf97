{#- One row per subscription version (subscription_id), with the current version of its
    subscription_name (highest subscription_version, then highest subscription_id), the
    subscription's whole span across versions and the day each version took effect. -#}
with

subscriptions as (
    select * from {{ ref('stg_raw__subscriptions') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by subscription_name
            order by subscription_version desc, subscription_id desc
        ) as version_rank,
        min(term_start_date) over (partition by subscription_name) as first_term_start_date,
        -- SPEC §4.13: a subscription whose file gives version_effective_date on any version
        max(case when version_effective_date is not null then 1 else 0 end) over (
            partition by subscription_name
        ) = 1 as has_effective_dates,
        max(term_end_date) over (partition by subscription_name) as last_term_end_date
    from subscriptions
),

current_versions as (
    select
        subscription_name,
        subscription_id as current_subscription_id
    from ranked
    where version_rank = 1
),

final as (
    select
        ranked.subscription_id,
        ranked.subscription_name,
        ranked.subscription_version,
        current_versions.current_subscription_id,
        ranked.version_rank = 1 as is_current_version,
        ranked.account_id,
        ranked.account_name,
        ranked.plan,
        ranked.delivery,
        ranked.status,
        ranked.namespace_id,
        ranked.licensed_seats,
        ranked.term_start_date,
        ranked.term_end_date,
        ranked.version_effective_date,
        -- the day the version took effect: its version_effective_date, else its term start
        coalesce(ranked.version_effective_date, ranked.term_start_date) as effective_date,
        ranked.has_effective_dates,
        ranked.first_term_start_date,
        ranked.last_term_end_date
    from ranked
    inner join current_versions on ranked.subscription_name = current_versions.subscription_name
)

select * from final
