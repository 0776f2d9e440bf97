{#- Fails with one row per combination of the columns that occurs more than once
    (primary key of a multi-column grain). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'usage_analytics')(model, combination_of_columns)) }}
{% endtest %}
