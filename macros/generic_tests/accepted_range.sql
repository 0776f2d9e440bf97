{% macro default__test_accepted_range(model, column_name, min_value, max_value) %}
    select *
    from {{ model }}
    where
        1 = 0
        {%- if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
{% endmacro %}
