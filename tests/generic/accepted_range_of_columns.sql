{#- accepted_range of several columns in one scan of the model: one test node where there would be
    one per column. columns: {column: {min_value: ..., max_value: ...}} (either bound optional).
    Fails with one row per column that holds a value outside its range, naming the column and
    counting the rows (NULL passes: nullness is not_null_columns' test). -#}
{% test accepted_range_of_columns(model, columns) %}
    {%- set failures = {} %}
    {%- for column, bounds in columns.items() %}
        {%- set outside = [] %}
        {%- if bounds.get('min_value') is not none %}{% do outside.append(column ~ ' < ' ~ bounds.min_value) %}{% endif %}
        {%- if bounds.get('max_value') is not none %}{% do outside.append(column ~ ' > ' ~ bounds.max_value) %}{% endif %}
        {%- if not outside -%}
            {{ exceptions.raise_compiler_error("accepted_range_of_columns on " ~ model ~ ": " ~ column ~ " has no bound") }}
        {%- endif %}
        {%- do failures.update({column: outside | join(' or ')}) %}
    {%- endfor %}
    {{ failing_rows_per_column(model, failures, 'out_of_range_rows') }}
{% endtest %}
