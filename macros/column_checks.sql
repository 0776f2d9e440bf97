{#- The rows of several columns' checks in one scan of a model, counted per column: what the
    generic tests of several columns (tests/generic/*_of_columns.sql, not_null_columns) share.
    failures: {column: SQL predicate that holds on a row failing that column's check}. -#}
{% macro failing_rows_per_column(model, failures, count_name) %}
    with

    checks as (
        {{ column_name_rows(failures) }}
    )

    select
        checks.column_name,
        count(*) as {{ count_name }}
    from {{ model }}
    cross join checks
    where
        {%- for column, failing in failures.items() %}
        {{ 'or' if not loop.first }} (checks.column_name = {{ sql_string(column) }} and ({{ failing }}))
        {%- endfor %}
    group by checks.column_name
{% endmacro %}

{#- One row per column name (column column_name): a cross join with it checks each column in turn. -#}
{% macro column_name_rows(columns) %}
    {%- for column in columns %}
    {{ 'union all' if not loop.first }}
    select {{ sql_string(column) }} as column_name
    {%- endfor %}
{% endmacro %}
