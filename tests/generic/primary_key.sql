{#- Fails with one row per key value that is NULL or occurs more than once: unique and not_null
    of a single-column primary key in one scan of the model (a view's whole chain is computed
    once, not twice). -#}
{% test primary_key(model, column_name) %}
    select
        {{ column_name }},
        count(*) as occurrences
    from {{ model }}
    group by {{ column_name }}
    having {{ column_name }} is null or count(*) > 1
{% endtest %}
