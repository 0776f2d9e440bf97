-- Which stage's estimated xMAU grew most this quarter: each stage's headline xMAU (its SMAU
-- metric; the largest one where the dictionary names several, UMAU for manage), estimated for
-- every paid seat (delivery all), in the latest month of the data against the last month of the
-- quarter before. Fastest growth first; a stage without an estimate in either month last.
with

kpis as (
    select * from {{ ref('mart_product_kpis_monthly') }}
    where delivery = 'all'
),

this_month as (
    select max(month) as month from kpis
),

-- the last month before the quarter of the latest month
periods as (
    select
        month as current_month,
        cast(date_trunc('quarter', month) - interval 1 month as date) as baseline_month
    from this_month
),

compared as (
    select
        current_kpis.product_stage,
        current_kpis.key_path,
        current_kpis.performance_indicator_type,
        periods.baseline_month,
        periods.current_month,
        baseline_kpis.estimated_value as baseline_estimate,
        current_kpis.estimated_value as current_estimate,
        current_kpis.reporting_share as current_reporting_share
    from kpis as current_kpis
    inner join periods on current_kpis.month = periods.current_month
    left join kpis as baseline_kpis
        on current_kpis.key_path = baseline_kpis.key_path
        and periods.baseline_month = baseline_kpis.month
    where current_kpis.product_stage is not null
),

headline as (
    select
        *,
        row_number() over (
            partition by product_stage
            order by
                case when concat('|', performance_indicator_type, '|') like '%|smau|%' then 0 else 1 end asc,
                current_estimate desc nulls last,
                key_path asc
        ) as headline_rank
    from compared
)

select
    product_stage,
    key_path as headline_metric,
    baseline_month,
    current_month,
    round(baseline_estimate, 1) as baseline_estimate,
    round(current_estimate, 1) as current_estimate,
    round(current_estimate - baseline_estimate, 1) as growth,
    round((current_estimate - baseline_estimate) / nullif(baseline_estimate, 0), 3) as growth_rate,
    round(current_reporting_share, 3) as current_reporting_share
from headline
where headline_rank = 1
order by growth_rate desc nulls last, growth desc nulls last, product_stage asc
