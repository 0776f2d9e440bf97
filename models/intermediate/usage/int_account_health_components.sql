with

account_months as (
    select * from {{ ref('int_account_months') }}
),

utilization_colors as (
    select * from {{ ref('int_account_utilization_colors') }}
),

use_case_scores as (
    select * from {{ ref('int_use_case_scores') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
),

-- license utilization: every account month, its color NULL where no band applies
utilization_component as (
    select
        account_months.account_id,
        account_months.month,
        'license_utilization' as component,
        utilization_colors.license_utilization_color as color,
        cast(null as double) as score,
        false as is_adoption_use_case
    from account_months
    left join utilization_colors
        on account_months.account_id = utilization_colors.account_id
        and account_months.month = utilization_colors.month
),

-- the use cases of the account's scored (largest active) subscription
use_case_components as (
    select
        account_months.account_id,
        account_months.month,
        use_case_scores.use_case as component,
        use_case_scores.color,
        use_case_scores.score,
        use_cases.is_adoption_use_case
    from account_months
    inner join use_case_scores
        on account_months.scored_subscription_id = use_case_scores.subscription_id
        and account_months.month = use_case_scores.month
    inner join use_cases on use_case_scores.use_case = use_cases.use_case
),

final as (
    select * from utilization_component
    union all
    select * from use_case_components
)

select * from final
