{#- not_null of several columns in one scan of the model: one test node where there would be one
    per column. Fails with one row per column that holds a NULL, naming the column and counting
    its NULL rows. -#}
{% test not_null_columns(model, columns) %}
    with

    checks as (
        {%- for column in columns %}
        {{ 'union all' if not loop.first }}
        select {{ sql_string(column) }} as column_name
        {%- endfor %}
    )

    select
        checks.column_name,
        count(*) as null_rows
    from {{ model }}
    cross join checks
    where
        {%- for column in columns %}
        {{ 'or' if not loop.first }} (checks.column_name = {{ sql_string(column) }} and {{ column }} is null)
        {%- endfor %}
    group by checks.column_name
{% endtest %}
