-- depends_on: {{ ref('use_cases') }}
{%- set use_cases = use_case_list() %}
with

subscription_months as (
    select * from {{ ref('mart_subscription_monthly') }}
),

adoption as (
    select * from {{ ref('mart_use_case_adoption') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
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
        -- the handbook rule (SPEC §4.13): utilization over the subscriptions with usage data only
        cast(sum(case when is_active and billable_users is not null then licensed_seats end) as bigint)
            as reporting_seats,
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
                order by licensed_seats desc nulls last, subscription_id asc
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
            when account_months.reporting_seats > 0
                then account_months.billable_users / cast(account_months.reporting_seats as double)
        end as license_utilization,
        case
            when account_months.licensed_seats > 0
                then account_months.reporting_seats / cast(account_months.licensed_seats as double)
        end as reporting_seat_share,
        -- a subscription that reports nothing makes the color N/A (NULL), never a poor one
        account_months.active_subscription_count > 0
        and account_months.subscriptions_with_usage_count = account_months.active_subscription_count
            as has_all_usage_data
    from account_months
    left join largest_subscription
        on account_months.account_id = largest_subscription.account_id
        and account_months.month = largest_subscription.month
),

-- the matching band with the highest lower bound gives the color (none in term month 1)
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
            on utilization.has_all_usage_data
            and utilization.term_month >= utilization_bands.term_month_from
            and utilization.term_month <= coalesce(utilization_bands.term_month_to, utilization.term_month)
            and (
                utilization.license_utilization > utilization_bands.utilization_from
                or (
                    utilization_bands.is_from_inclusive
                    and utilization.license_utilization = utilization_bands.utilization_from
                )
            )
    ) as ranked
    where band_rank = 1
),

-- health components, one row each: license utilization and the scored subscription's use cases
components as (
    select
        utilization.account_id,
        utilization.month,
        'license_utilization' as component,
        utilization_colors.color,
        cast(null as double) as score,
        false as is_adoption_use_case
    from utilization
    left join utilization_colors
        on utilization.account_id = utilization_colors.account_id
        and utilization.month = utilization_colors.month
    union all
    select
        utilization.account_id,
        utilization.month,
        adoption.use_case as component,
        adoption.color,
        adoption.score,
        use_cases.is_adoption_use_case
    from utilization
    inner join adoption
        on utilization.scored_subscription_id = adoption.subscription_id
        and utilization.month = adoption.month
    inner join use_cases on adoption.use_case = use_cases.use_case
),

-- use cases count with their score, the other components with their color's points
component_points as (
    select
        components.account_id,
        components.month,
        health_weights.weight,
        case
            when components.is_adoption_use_case then components.score
            else color_bands.points
        end as points
    from components
    inner join health_weights on components.component = health_weights.component
    left join color_bands on components.color = color_bands.color
),

-- a missing component's weight is shared among the others
product_scores as (
    select
        account_id,
        month,
        sum(case when points is not null then points * weight end)
        / nullif(sum(case when points is not null then weight end), 0) as product_usage_score
    from component_points
    group by account_id, month
),

all_components as (
    select
        account_id,
        month,
        component,
        color,
        score,
        is_adoption_use_case
    from components
    union all
    select
        product_scores.account_id,
        product_scores.month,
        'product_usage' as component,
        color_bands.color,
        product_scores.product_usage_score as score,
        false as is_adoption_use_case
    from product_scores
    left join color_bands
        on product_scores.product_usage_score >= color_bands.min_score
        and (color_bands.upper_score is null or product_scores.product_usage_score < color_bands.upper_score)
),

-- last month's color of each component, and whether it went down since
component_history as (
    select
        all_components.*,
        lag(all_components.month) over (
            partition by all_components.account_id, all_components.component order by all_components.month
        ) as lagged_month,
        lag(all_components.color) over (
            partition by all_components.account_id, all_components.component order by all_components.month
        ) as lagged_color
    from all_components
),

component_changes as (
    select
        component_history.account_id,
        component_history.month,
        component_history.component,
        component_history.color,
        component_history.score,
        component_history.is_adoption_use_case,
        case
            when component_history.lagged_month = component_history.month - interval 1 month
                then component_history.lagged_color
        end as previous_color
    from component_history
),

component_downgrades as (
    select
        component_changes.*,
        coalesce(current_band.color_rank < previous_band.color_rank, false) as is_downgrade
    from component_changes
    left join color_bands as current_band on component_changes.color = current_band.color
    left join color_bands as previous_band on component_changes.previous_color = previous_band.color
),

pivoted as (
    select
        account_id,
        month,
        max(case when component = 'license_utilization' then color end) as license_utilization_color,
        {%- for row in use_cases %}
        max(case when component = '{{ row.use_case }}' then color end) as {{ row.use_case }}_color,
        max(case when component = '{{ row.use_case }}' then score end) as {{ row.use_case }}_score,
        {%- endfor %}
        max(case when component = 'product_usage' then score end) as product_usage_score,
        max(case when component = 'product_usage' then color end) as product_usage_color,
        case
            when count(case when is_adoption_use_case then color end) > 0
                then count(case when is_adoption_use_case and color = 'green' then 1 end)
        end as use_case_adoption_count,
        max(case when component = 'license_utilization' then previous_color end) as previous_license_utilization_color,
        {%- for row in use_cases %}
        max(case when component = '{{ row.use_case }}' then previous_color end) as previous_{{ row.use_case }}_color,
        {%- endfor %}
        max(case when component = 'product_usage' then previous_color end) as previous_product_usage_color,
        -- SPEC §4.7: a use case or the product-usage color went down
        bool_or((is_adoption_use_case or component = 'product_usage') and is_downgrade) as is_downgrade,
        bool_or(component = 'product_usage' and is_downgrade) as is_product_usage_downgrade
    from component_downgrades
    group by account_id, month
),

final as (
    select
        -- ids
        utilization.account_id,
        utilization.account_name,
        utilization.scored_subscription_id,

        -- attributes
        utilization.month,
        utilization.term_month,
        utilization.active_subscription_count,
        utilization.subscriptions_with_usage_count,

        -- utilization
        utilization.licensed_seats,
        utilization.reporting_seats,
        utilization.reporting_seat_share,
        utilization.billable_users,
        utilization.license_utilization,
        pivoted.license_utilization_color,

        -- use cases (of the largest active subscription; seed use_cases)
        {%- for row in use_cases %}
        pivoted.{{ row.use_case }}_color,
        pivoted.{{ row.use_case }}_score,
        {%- endfor %}

        -- health
        pivoted.product_usage_score,
        pivoted.product_usage_color,
        cast(pivoted.use_case_adoption_count as integer) as use_case_adoption_count,

        -- last month and what went down
        pivoted.previous_license_utilization_color,
        {%- for row in use_cases %}
        pivoted.previous_{{ row.use_case }}_color,
        {%- endfor %}
        pivoted.previous_product_usage_color,
        coalesce(pivoted.is_downgrade, false) as is_downgrade,
        coalesce(pivoted.is_product_usage_downgrade, false) as is_product_usage_downgrade
    from utilization
    left join pivoted
        on utilization.account_id = pivoted.account_id
        and utilization.month = pivoted.month
)

select * from final
