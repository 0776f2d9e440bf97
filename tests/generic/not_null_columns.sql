{#- not_null of several columns in one scan of the model: one test node where there would be one
    per column. columns: a list (never NULL), or {column: condition} (never NULL where the
    condition holds, as not_null_where). Fails with one row per column that holds a NULL it should
    not, naming the column and counting those rows. -#}
{% test not_null_columns(model, columns) %}
    {%- set conditions = columns if columns is mapping else dict.fromkeys(columns, 'true') %}
    {%- set failures = {} %}
    {%- for column, condition in conditions.items() %}
        {%- do failures.update({column: column ~ ' is null and (' ~ condition ~ ')'}) %}
    {%- endfor %}
    {{ failing_rows_per_column(model, failures, 'null_rows') }}
{% endtest %}
