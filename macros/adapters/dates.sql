{#- Engine adapters for dates: one macro per operation, a default__ where the engines agree
    (dbt's cross-database dateadd / datediff where they suffice), an engine variant only where
    one differs, with the reason. -#}

{#- Text -> UTC timestamp, NULL when unparseable (ISO-8601 with Z or offset, 'YYYY-MM-DD HH:MM:SS UTC'). -#}
{% macro parse_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'usage_analytics')(expression)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(expression) %}
    (try_cast({{ expression }} as timestamptz) at time zone 'UTC')
{% endmacro %}

{#- Spark: the session time zone is UTC (profiles.yml), so a text without offset is UTC. -#}
{% macro spark__parse_timestamp_utc(expression) %}
    try_cast({{ expression }} as timestamp)
{% endmacro %}

{#- Text -> DATE, NULL when unparseable. -#}
{% macro parse_date(expression) %}
    {{ return(adapter.dispatch('parse_date', 'usage_analytics')(expression)) }}
{% endmacro %}

{% macro default__parse_date(expression) %}
    try_cast({{ expression }} as date)
{% endmacro %}

{#- Set-returning select expression: the first day of every month from start to end (DATE). -#}
{% macro month_series(start_date, end_date) %}
    {{ return(adapter.dispatch('month_series', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__month_series(start_date, end_date) %}
    unnest(generate_series(
        cast(date_trunc('month', {{ start_date }}) as date),
        cast(date_trunc('month', {{ end_date }}) as date),
        interval 1 month
    ))
{% endmacro %}

{#- Spark: sequence() fails when start > end; the filter gives no month then, as DuckDB does. -#}
{% macro spark__month_series(start_date, end_date) %}
    explode(filter(
        sequence(
            cast(date_trunc('month', {{ start_date }}) as date),
            greatest(cast(date_trunc('month', {{ start_date }}) as date), cast(date_trunc('month', {{ end_date }}) as date)),
            interval 1 month
        ),
        month_start -> month_start <= cast(date_trunc('month', {{ end_date }}) as date)
    ))
{% endmacro %}

{#- Whole months from the month of start_date to the month of end_date (Jan -> Mar = 2). -#}
{% macro months_between(start_date, end_date) %}
    {{ return(adapter.dispatch('months_between', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__months_between(start_date, end_date) %}
    datediff('month', date_trunc('month', {{ start_date }}), date_trunc('month', {{ end_date }}))
{% endmacro %}

{#- Spark: months_between() is fractional; count calendar months instead. -#}
{% macro spark__months_between(start_date, end_date) %}
    ((year({{ end_date }}) * 12 + month({{ end_date }})) - (year({{ start_date }}) * 12 + month({{ start_date }})))
{% endmacro %}

{#- A date plus/minus whole days. -#}
{% macro add_days(date_expression, days) %}
    {{ return(adapter.dispatch('add_days', 'usage_analytics')(date_expression, days)) }}
{% endmacro %}

{#- dbt's cross-database dateadd gives a timestamp: cast back to a date. -#}
{% macro default__add_days(date_expression, days) %}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{% endmacro %}

{#- Spark: dbt-spark's dateadd raises an error on a NULL date (assert_not_null); date_add gives NULL. -#}
{% macro spark__add_days(date_expression, days) %}
    date_add(cast({{ date_expression }} as date), cast({{ days }} as integer))
{% endmacro %}

{#- Whole days from start_date to end_date. -#}
{% macro days_between(start_date, end_date) %}
    {{ return(adapter.dispatch('days_between', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro default__days_between(start_date, end_date) %}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{% endmacro %}

{#- Spark: dbt-spark's datediff raises an error on a NULL date (assert_not_null); datediff gives NULL. -#}
{% macro spark__days_between(start_date, end_date) %}
    datediff(cast({{ end_date }} as date), cast({{ start_date }} as date))
{% endmacro %}

{#- Set-returning select expression: every day from start_date to end_date (DATE), both included. -#}
{% macro day_series(start_date, end_date) %}
    {{ return(adapter.dispatch('day_series', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__day_series(start_date, end_date) %}
    unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{% endmacro %}

{% macro spark__day_series(start_date, end_date) %}
    explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{% endmacro %}
