{#- not_null of several columns in one scan of the model: one test node where there would be one
    per column. columns: a list (never NULL), or {column: condition} (never NULL where the
    condition holds, as not_null_where). Fails with one row per column that holds a NULL it should
    not, naming the column and counting those rows. -#}
{% test not_null_columns(model, columns) %}
    {%- set conditions = columns if columns is mapping else dict.fromkeys(columns, 'true') %}
    with

    checks as (
        {%- for column in conditions %}
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
        {%- for column, condition in conditions.items() %}
        {{ 'or' if not loop.first }} (checks.column_name = {{ sql_string(column) }} and {{ column }} is null and ({{ condition }}))
        {%- endfor %}
    group by checks.column_name
{% endtest %}
