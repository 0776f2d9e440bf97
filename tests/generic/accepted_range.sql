{#- Fails with the rows whose value lies outside [min_value, max_value] (either bound optional;
    NULL values pass: nullness is a separate test). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
    {{ return(adapter.dispatch('test_accepted_range', 'usage_analytics')(model, column_name, min_value, max_value)) }}
{% endtest %}
