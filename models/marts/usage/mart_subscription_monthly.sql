{#- A view: the rows are stored once, in int_subscription_usage_monthly; publishing writes them into the analyst
    database as a table. -#}
{{ config(materialized='view') }}
with

subscription_months as (
    select * from {{ ref('int_subscription_usage_monthly') }}
),

final as (
    select * from subscription_months
)

select * from final
