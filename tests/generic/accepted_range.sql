{#- Fails with the rows whose value lies outside [min_value, max_value] (either bound optional;
    NULL values pass: nullness is a separate test). Plain SQL both engines run: no dispatch. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
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
{% endtest %}
