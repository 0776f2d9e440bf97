{#- Fails with the rows where the column is NULL although the condition holds. -#}
{% test not_null_where(model, column_name, condition) %}
    select *
    from {{ model }}
    where {{ column_name }} is null and ({{ condition }})
{% endtest %}
