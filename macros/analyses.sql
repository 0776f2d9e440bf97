{#- The saved question "whose <use case> adoption fell from green to red from one month to the
    next?", one analysis per use case that Customer Success asks about (analyses/*_green_to_red). -#}
{% macro use_case_green_to_red(use_case) %}
select
    adoption.account_id,
    adoption.subscription_id,
    adoption.month,
    adoption.previous_color,
    adoption.color,
    adoption.score
from {{ ref('mart_use_case_adoption') }} as adoption
where
    adoption.use_case = '{{ use_case }}'
    and adoption.previous_color = 'green'
    and adoption.color = 'red'
order by adoption.month desc, adoption.subscription_id asc
{% endmacro %}
