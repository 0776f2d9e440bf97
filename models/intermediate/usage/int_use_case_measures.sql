{#- Incremental by changed rows (macros/incremental_changed_rows.sql): the grid of subscription-months
    and seed measures, with everything a row is scored from but the numerator (the subscription-
    month's columns, the primary instance's denominators, the seed's thresholds, weight and colour
    points), is recomputed on every build and compared with the stored rows; only the rows that
    differ are scored again, the numerator being a function of the primary ping alone (a change of
    the catalog needs --full-refresh). Spark writes again every row of the months that hold
    such a row (it overwrites month partitions). -#}
{%- set key = ['subscription_id', 'month', 'use_case', 'measure'] %}
{{ config(**changed_rows_config(key)) }}
{#- the rows of a subscription-month or a measure no longer there -#}
{{ config(**gone_rows_hook("not exists (
        select 1 from {{ ref('int_subscription_usage_monthly') }} as kept
        where kept.subscription_id = stored.subscription_id and kept.month = stored.month
    )
    or not exists (
        select 1 from {{ ref('use_case_measures') }} as measures
        inner join {{ ref('use_cases') }} as use_cases on measures.use_case = use_cases.use_case
        where measures.use_case = stored.use_case and measures.measure = stored.measure
    )")) }}
with

subscription_months as (
    select * from {{ ref('int_subscription_usage_monthly') }}
),

measures as (
    select * from {{ ref('use_case_measures') }}
),

use_cases as (
    select * from {{ ref('use_cases') }}
),

score_colors as (
    select * from {{ ref('score_colors') }}
),

primary_instances as (
    select * from {{ ref('int_instance_months_typed') }}
    where is_primary_instance
),

metrics as (
    select * from {{ ref('int_primary_ping_metrics') }}
),

-- the subscription-months with their primary instance's denominators
denominated_months as (
    select
        subscription_months.subscription_id,
        subscription_months.account_id,
        subscription_months.month,
        subscription_months.plan,
        subscription_months.delivery,
        subscription_months.term_month,
        subscription_months.licensed_seats,
        subscription_months.primary_ping_id,
        primary_instances.billable_users,
        primary_instances.umau
    from subscription_months
    left join primary_instances on subscription_months.primary_ping_id = primary_instances.ping_id
),

-- every row's inputs but the numerator: what a correction or a seed change can change
grid as (
    select
        denominated_months.subscription_id,
        denominated_months.account_id,
        denominated_months.month,
        denominated_months.delivery,
        denominated_months.primary_ping_id as ping_id,
        measures.use_case,
        measures.measure,
        measures.numerator_column,
        measures.denominator as denominator_type,
        measures.yellow_from,
        measures.yellow_inclusive,
        measures.green_from,
        measures.weight,
        case measures.denominator
            when 'licensed_seats' then denominated_months.licensed_seats
            when 'billable_users' then denominated_months.billable_users
            when 'umau' then denominated_months.umau
            when 'none' then 1
        end as denominator,
        -- the status decided before the numerator is read (NULL: scored or no_data, by the values)
        case
            when denominated_months.term_month <= 1 then 'onboarding'
            when use_cases.is_ultimate_only and denominated_months.plan <> 'ultimate' then 'not_applicable'
            when denominated_months.primary_ping_id is null then 'no_primary_instance'
        end as status_before_values
    from denominated_months
    cross join measures
    inner join use_cases on measures.use_case = use_cases.use_case
),

-- on an incremental build, the rows whose inputs differ from the stored row's (a new key, a
-- changed column, a status decided otherwise, or its colour's points changed in the seed)
{%- set changed_rows %}
    from grid as fresh
    left join {{ this }} as stored
        on fresh.subscription_id = stored.subscription_id
        and fresh.month = stored.month
        and fresh.use_case = stored.use_case
        and fresh.measure = stored.measure
    left join score_colors as stored_colors on stored.color = stored_colors.color
    where stored.subscription_id is null
        or fresh.account_id is distinct from stored.account_id
        or fresh.delivery is distinct from stored.delivery
        or fresh.ping_id is distinct from stored.ping_id
        or fresh.numerator_column is distinct from stored.numerator_column
        or fresh.denominator_type is distinct from stored.denominator_type
        or fresh.denominator is distinct from stored.denominator
        or fresh.yellow_from is distinct from stored.yellow_from
        or fresh.yellow_inclusive is distinct from stored.yellow_inclusive
        or fresh.green_from is distinct from stored.green_from
        or fresh.weight is distinct from stored.weight
        or fresh.status_before_values is distinct from (
            case when stored.scoring_status not in ('scored', 'no_data') then stored.scoring_status end
        )
        or stored.points is distinct from stored_colors.points
{%- endset %}
changed as (
    {%- if not is_incremental() %}
    select * from grid
    {%- elif target.type == 'spark' %}
    -- Spark overwrites month partitions: every row of a month that holds a changed row
    select * from grid
    where month in (select fresh.month {{ changed_rows }})
    {%- else %}
    select fresh.* {{ changed_rows }}
    {%- endif %}
),

-- the metrics of the changed rows' pings (a semi join: the changed pings are few)
changed_metrics as (
    select * from metrics
    where ping_id in (select changed.ping_id from changed)
),

valued as (
    select
        changed.*,
        changed_metrics.metric_value as numerator,
        changed_metrics.value_status as numerator_status
    from changed
    left join changed_metrics
        on changed.ping_id = changed_metrics.ping_id
        and changed.numerator_column = changed_metrics.column_name
),

rated as (
    select
        *,
        case when denominator > 0 then numerator / cast(denominator as double) end as ratio,
        coalesce(
            status_before_values,
            case when numerator is null or not denominator > 0 then 'no_data' else 'scored' end
        ) as scoring_status
    from valued
),

colored as (
    select
        *,
        case
            when scoring_status <> 'scored' then null
            when ratio >= green_from then 'green'
            when ratio > yellow_from or (yellow_inclusive and ratio = yellow_from) then 'yellow'
            else 'red'
        end as color
    from rated
),

final as (
    select
        -- ids
        colored.subscription_id,
        colored.account_id,
        colored.ping_id,

        -- attributes
        colored.delivery,
        colored.month,
        colored.use_case,
        colored.measure,
        colored.numerator_column,
        colored.denominator_type,
        colored.scoring_status,
        colored.numerator_status,

        -- measures
        colored.numerator,
        colored.denominator,
        colored.ratio,
        colored.yellow_from,
        colored.yellow_inclusive,
        colored.green_from,
        colored.weight,
        colored.color,
        score_colors.points,

        -- bookkeeping: the build that wrote the row
        {{ written_at() }} as _written_at
    from colored
    left join score_colors on colored.color = score_colors.color
)

select * from final
