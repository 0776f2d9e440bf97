{#- Incremental by changed rows (macros/incremental_changed_rows.sql): a build scores again the
    subscription-use-case-months whose measures were written since this model last wrote a row,
    those whose stored color, downgrade or number of measures the seeds now give otherwise, and
    the month after each (its previous color); the rows of a use-case month no longer among the
    measures are deleted. Spark writes again every row of those months (it overwrites month
    partitions), and of the months that lost a row (dropped before the build). -#}
{%- set key = ['subscription_id', 'month', 'use_case'] %}
{%- set grain = rewritten_grain(key) %}
-- depends_on: {{ ref('use_case_measures') }} {{ ref('use_cases') }}
{#- keys_from: the rows of a use-case month no longer among the measures are deleted -#}
{{ config(**changed_rows_config(key, keys_from='int_use_case_measures')) }}
with

measures as (
    select * from {{ ref('int_use_case_measures') }}
),

color_bands as (
    select * from {{ ref('int_score_color_bands') }}
),

{% if is_incremental() %}
-- the use-case months whose measures were written since this model last wrote a row (by this
-- build, or by one whose scoring did not run)
written as (
    select distinct
        subscription_id,
        month,
        use_case
    from measures
    where _written_at > (
            select coalesce(max(stored._written_at), cast('1970-01-01' as timestamp)) from {{ this }} as stored
        )
),

-- each use case's number of measures (seed use_case_measures)
seed_measure_counts as (
    select
        seed_measures.use_case,
        count(*) as measure_count
    from {{ ref('use_case_measures') }} as seed_measures
    inner join {{ ref('use_cases') }} as seed_use_cases on seed_measures.use_case = seed_use_cases.use_case
    group by seed_measures.use_case
),

-- the stored rows the seeds now give otherwise: their color or downgrade (the color bands), or
-- their number of measures (a measure removed: no measure row of the month is written again)
outdated as (
    select
        stored.subscription_id,
        stored.month,
        stored.use_case
    from {{ this }} as stored
    left join color_bands as band
        on stored.score >= band.min_score
        and (band.upper_score is null or stored.score < band.upper_score)
    left join color_bands as own_band on stored.color = own_band.color
    left join color_bands as previous_band on stored.previous_color = previous_band.color
    left join seed_measure_counts on stored.use_case = seed_measure_counts.use_case
    where stored.color is distinct from band.color
        or stored.measure_count is distinct from seed_measure_counts.measure_count
        or stored.is_downgrade is distinct from coalesce(own_band.color_rank < previous_band.color_rank, false)
),

changed_keys as (
    select * from written
    union
    select * from outdated
    {%- if target.type == 'spark' %}
    union
    -- the use-case months of a month partition dropped before the build (a row no longer there)
    select distinct
        fresh.subscription_id,
        fresh.month,
        fresh.use_case
    from measures as fresh
    where not exists (
            select 1
            from {{ this }} as stored
            where
                stored.subscription_id = fresh.subscription_id
                and stored.month = fresh.month
                and stored.use_case = fresh.use_case
        )
    {%- endif %}
),

-- the rows written again: those and the month after each (its previous color)
rewritten_keys as (
    select * from changed_keys
    union
    select
        subscription_id,
        cast(month + interval 1 month as date) as month,
        use_case
    from changed_keys
),

-- the rows read: those and the month before each
read_keys as (
    select * from rewritten_keys
    union
    select
        subscription_id,
        cast(month - interval 1 month as date) as month,
        use_case
    from rewritten_keys
),

{% endif %}
read_measures as (
    select * from measures
    {% if is_incremental() %}
    where ({{ grain | join(', ') }}) in (select {{ grain | join(', ') }} from read_keys)
    {% endif %}
),

scored as (
    select
        subscription_id,
        account_id,
        delivery,
        month,
        use_case,
        count(color) as colored_measure_count,
        count(*) as measure_count,
        sum(case when color is not null then points * weight end)
        / nullif(sum(case when color is not null then weight end), 0) as score,
        case
            when count(color) > 0 then 'scored'
            when bool_or(scoring_status = 'onboarding') then 'onboarding'
            when bool_or(scoring_status = 'not_applicable') then 'not_applicable'
            when bool_or(scoring_status = 'no_primary_instance') then 'no_primary_instance'
            else 'no_data'
        end as scoring_status
    from read_measures
    group by subscription_id, account_id, delivery, month, use_case
),

colored as (
    select
        scored.*,
        color_bands.color,
        color_bands.color_rank
    from scored
    left join color_bands
        on scored.score >= color_bands.min_score
        and (color_bands.upper_score is null or scored.score < color_bands.upper_score)
),

-- the same use case's previous month, by a join: a window would sort every row it carries
with_previous as (
    select
        colored.*,
        previous.color as previous_color,
        previous.color_rank as previous_color_rank
    from colored
    left join colored as previous
        on colored.subscription_id = previous.subscription_id
        and colored.use_case = previous.use_case
        and previous.month = colored.month - interval 1 month
),

final as (
    select
        -- ids
        subscription_id,
        account_id,

        -- attributes
        delivery,
        month,
        use_case,
        scoring_status,

        -- measures
        colored_measure_count,
        measure_count,
        score,
        color,
        previous_color,
        coalesce(color_rank < previous_color_rank, false) as is_downgrade,

        -- bookkeeping: the build that wrote the row
        {{ written_at() }} as _written_at
    from with_previous
    {% if is_incremental() %}
    where ({{ grain | join(', ') }}) in (select {{ grain | join(', ') }} from rewritten_keys)
    {% endif %}
)

select * from final
