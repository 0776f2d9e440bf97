-- depends_on: {{ ref('use_cases') }}
{%- set use_cases = use_case_list() %}
with

account_months as (
    select * from {{ ref('int_account_months') }}
),

component_changes as (
    select * from {{ ref('int_account_health_changes') }}
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
    from component_changes
    group by account_id, month
),

final as (
    select
        -- ids
        account_months.account_id,
        account_months.account_name,
        account_months.scored_subscription_id,

        -- attributes
        account_months.month,
        account_months.term_month,
        account_months.active_subscription_count,
        account_months.subscriptions_with_usage_count,

        -- utilization
        account_months.licensed_seats,
        account_months.reporting_seats,
        account_months.reporting_seat_share,
        account_months.billable_users,
        account_months.license_utilization,
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
    from account_months
    left join pivoted
        on account_months.account_id = pivoted.account_id
        and account_months.month = pivoted.month
)

select * from final
