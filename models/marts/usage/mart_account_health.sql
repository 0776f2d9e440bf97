{%- set use_cases = ['scm', 'ci', 'cd', 'devsecops', 'user_engagement'] -%}
{%- set adoption_use_cases = ['scm', 'ci', 'cd', 'devsecops'] -%}
{%- set tracked_colors = ['license_utilization', 'scm', 'ci', 'cd', 'devsecops', 'user_engagement', 'product_usage'] -%}
with

subscription_months as (
    select * from {{ ref('mart_subscription_monthly') }}
),

adoption as (
    select * from {{ ref('mart_use_case_adoption') }}
),

utilization_bands as (
    select * from {{ ref('license_utilization_bands') }}
),

health_weights as (
    select * from {{ ref('health_weights') }}
),

color_bands as (
    select * from {{ ref('int_score_color_bands') }}
),

account_months as (
    select
        account_id,
        month,
        max(account_name) as account_name,
        count(case when is_active then 1 end) as active_subscription_count,
        count(case when is_active and billable_users is not null then 1 end) as subscriptions_with_usage_count,
        cast(sum(case when is_active then licensed_seats end) as bigint) as licensed_seats,
        cast(sum(case when is_active then billable_users end) as bigint) as billable_users
    from subscription_months
    group by account_id, month
),

-- the account's scores are those of its largest active subscription (ties: lowest id)
largest_subscription as (
    select *
    from (
        select
            subscription_id,
            account_id,
            month,
            term_month,
            row_number() over (
                partition by account_id, month
                order by licensed_seats desc nulls last, subscription_id
            ) as size_rank
        from subscription_months
        where is_active
    ) as ranked
    where size_rank = 1
),

utilization as (
    select
        account_months.*,
        largest_subscription.subscription_id as scored_subscription_id,
        largest_subscription.term_month,
        case
            when account_months.licensed_seats > 0
                then account_months.billable_users / cast(account_months.licensed_seats as double)
        end as license_utilization
    from account_months
    left join largest_subscription
        on account_months.account_id = largest_subscription.account_id
        and account_months.month = largest_subscription.month
),

utilization_colors as (
    select *
    from (
        select
            utilization.account_id,
            utilization.month,
            utilization_bands.color,
            row_number() over (
                partition by utilization.account_id, utilization.month
                order by utilization_bands.utilization_from desc
            ) as band_rank
        from utilization
        inner join utilization_bands
            on utilization.term_month >= utilization_bands.term_month_from
            and (utilization_bands.term_month_to is null or utilization.term_month <= utilization_bands.term_month_to)
            and (
                utilization.license_utilization > utilization_bands.utilization_from
                or (utilization_bands.is_from_inclusive and utilization.license_utilization = utilization_bands.utilization_from)
            )
    ) as ranked
    where band_rank = 1
),

use_case_pivot as (
    select
        adoption.subscription_id,
        adoption.month
        {%- for use_case in use_cases %},
        max(case when adoption.use_case = '{{ use_case }}' then adoption.color end) as {{ use_case }}_color,
        max(case when adoption.use_case = '{{ use_case }}' then adoption.score end) as {{ use_case }}_score
        {%- endfor %}
    from adoption
    group by adoption.subscription_id, adoption.month
),

colored as (
    select
        utilization.*,
        utilization_colors.color as license_utilization_color
        {%- for use_case in use_cases %},
        use_case_pivot.{{ use_case }}_color,
        use_case_pivot.{{ use_case }}_score
        {%- endfor %}
    from utilization
    left join utilization_colors
        on utilization.account_id = utilization_colors.account_id
        and utilization.month = utilization_colors.month
    left join use_case_pivot
        on utilization.scored_subscription_id = use_case_pivot.subscription_id
        and utilization.month = use_case_pivot.month
),

-- health components as points: colors are worth their points, use cases their score
components as (
    select account_id, month, 'license_utilization' as component, license_utilization_color as color, cast(null as double) as score
    from colored
    union all
    select account_id, month, 'user_engagement' as component, user_engagement_color as color, cast(null as double) as score
    from colored
    {%- for use_case in adoption_use_cases %}
    union all
    select account_id, month, '{{ use_case }}' as component, cast(null as varchar) as color, {{ use_case }}_score as score
    from colored
    {%- endfor %}
),

component_points as (
    select
        components.account_id,
        components.month,
        health_weights.weight,
        coalesce(components.score, color_bands.points) as points
    from components
    inner join health_weights on components.component = health_weights.component
    left join color_bands on components.color = color_bands.color
),

product_scores as (
    select
        account_id,
        month,
        -- a missing component's weight is shared among the others
        sum(case when points is not null then points * weight end)
        / nullif(sum(case when points is not null then weight end), 0) as product_usage_score
    from component_points
    group by account_id, month
),

scored as (
    select
        colored.*,
        product_scores.product_usage_score,
        color_bands.color as product_usage_color,
        case
            when {% for use_case in adoption_use_cases %}colored.{{ use_case }}_color is not null{{ ' or ' if not loop.last }}{% endfor %}
                then {% for use_case in adoption_use_cases %}case when colored.{{ use_case }}_color = 'green' then 1 else 0 end{{ ' + ' if not loop.last }}{% endfor %}
        end as use_case_adoption_count
    from colored
    left join product_scores
        on colored.account_id = product_scores.account_id
        and colored.month = product_scores.month
    left join color_bands
        on product_scores.product_usage_score >= color_bands.min_score
        and (color_bands.upper_score is null or product_scores.product_usage_score < color_bands.upper_score)
),

with_previous as (
    select
        scored.*,
        lag(month) over (partition by account_id order by month) as lagged_month
        {%- for name in tracked_colors %},
        lag({{ name }}_color) over (partition by account_id order by month) as lagged_{{ name }}_color
        {%- endfor %}
    from scored
),

previous as (
    select
        with_previous.*
        {%- for name in tracked_colors %},
        case when lagged_month = month - interval 1 month then lagged_{{ name }}_color end as previous_{{ name }}_color
        {%- endfor %}
    from with_previous
),

ranked_colors as (
    select
        previous.*
        {%- for name in tracked_colors %},
        {{ name }}_now.color_rank < {{ name }}_before.color_rank as {{ name }}_went_down
        {%- endfor %}
    from previous
    {%- for name in tracked_colors %}
    left join color_bands as {{ name }}_now on previous.{{ name }}_color = {{ name }}_now.color
    left join color_bands as {{ name }}_before on previous.previous_{{ name }}_color = {{ name }}_before.color
    {%- endfor %}
),

final as (
    select
        -- ids
        account_id,
        account_name,
        scored_subscription_id,

        -- attributes
        month,
        term_month,
        active_subscription_count,
        subscriptions_with_usage_count,

        -- utilization
        licensed_seats,
        billable_users,
        license_utilization,
        license_utilization_color,

        -- use cases (of the largest active subscription)
        {%- for use_case in use_cases %}
        {{ use_case }}_color,
        {{ use_case }}_score,
        {%- endfor %}

        -- health
        product_usage_score,
        product_usage_color,
        use_case_adoption_count,

        -- last month and what went down
        {%- for name in tracked_colors %}
        previous_{{ name }}_color,
        {%- endfor %}
        (
            {%- for name in ['scm', 'ci', 'cd', 'devsecops', 'product_usage'] %}
            coalesce({{ name }}_went_down, false){{ ' or' if not loop.last }}
            {%- endfor %}
        ) as is_downgrade,
        coalesce(product_usage_went_down, false) as is_product_usage_downgrade
    from ranked_colors
)

select * from final
