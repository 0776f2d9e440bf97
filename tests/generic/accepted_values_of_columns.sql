{#- accepted_values of several columns in one scan of the model: one test node where there would
    be one per column. columns: a list of columns that share `values`, or a mapping {column: its
    values}. Fails with one row per column and value outside its list, naming the column (values
    compared as strings; NULL passes: nullness is not_null_columns' test). -#}
{% test accepted_values_of_columns(model, columns, values=none) %}
    {%- set allowed = columns if columns is mapping else dict.fromkeys(columns, values) -%}
    {%- if not allowed or none in allowed.values() -%}
        {{ exceptions.raise_compiler_error("accepted_values_of_columns on " ~ model ~ ": give columns and values, or columns as {column: values}") }}
    {%- endif %}
    with

    checks as (
        {{ column_name_rows(allowed) }}
    ),

    cells as (
        select
            checks.column_name,
            case checks.column_name
                {%- for column in allowed %}
                when {{ sql_string(column) }} then cast({{ column }} as {{ dbt.type_string() }})
                {%- endfor %}
            end as value
        from {{ model }}
        cross join checks
    )

    select
        column_name,
        value,
        count(*) as occurrences
    from cells
    where
        {%- for column, column_values in allowed.items() %}
        {{ 'or' if not loop.first }} (column_name = {{ sql_string(column) }} and value not in (
            {%- for value in column_values %}{{ sql_string(value | string) }}{{ ', ' if not loop.last }}{% endfor %}))
        {%- endfor %}
    group by column_name, value
{% endtest %}
