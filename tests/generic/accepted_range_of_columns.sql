{#- accepted_range of several columns in one scan of the model: one test node where there would be
    one per column. columns: {column: {min_value: ..., max_value: ...}} (either bound optional).
    Fails with one row per column that holds a value outside its range, naming the column and
    counting the rows (NULL passes: nullness is not_null_columns' test). -#}
{% test accepted_range_of_columns(model, columns) %}
    with

    checks as (
        {%- for column in columns %}
        {{ 'union all' if not loop.first }}
        select {{ sql_string(column) }} as column_name
        {%- endfor %}
    )

    select
        checks.column_name,
        count(*) as out_of_range_rows
    from {{ model }}
    cross join checks
    where
        {%- for column, bounds in columns.items() %}
        {%- if bounds.get('min_value') is none and bounds.get('max_value') is none -%}
            {{ exceptions.raise_compiler_error("accepted_range_of_columns on " ~ model ~ ": " ~ column ~ " has no bound") }}
        {%- endif %}
        {{ 'or' if not loop.first }} (checks.column_name = {{ sql_string(column) }} and (
            {%- if bounds.get('min_value') is not none %}{{ column }} < {{ bounds.min_value }}{% endif %}
            {%- if bounds.get('min_value') is not none and bounds.get('max_value') is not none %} or {% endif %}
            {%- if bounds.get('max_value') is not none %}{{ column }} > {{ bounds.max_value }}{% endif %}))
        {%- endfor %}
    group by checks.column_name
{% endtest %}
