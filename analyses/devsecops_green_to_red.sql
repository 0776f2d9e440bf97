-- Subscriptions whose DevSecOps use case went from green to red from one month to the next.
select
    adoption.account_id,
    adoption.subscription_id,
    adoption.month,
    adoption.previous_color,
    adoption.color,
    adoption.score
from {{ ref('mart_use_case_adoption') }} as adoption
where
    adoption.use_case = 'devsecops'
    and adoption.previous_color = 'green'
    and adoption.color = 'red'
order by adoption.month desc, adoption.subscription_id asc
