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
