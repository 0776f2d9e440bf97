{#- A row's fields as one JSON object text ({"name": "value", ...}, NULL values kept), for the
    report of rejected input rows. `fields`: {json key: SQL expression}. -#}
{% macro json_object_text(fields) %}
    {{ return(adapter.dispatch('json_object_text', 'usage_analytics')(fields)) }}
{% endmacro %}

{% macro duckdb__json_object_text(fields) %}
    cast(json_object(
        {%- for key, expression in fields.items() %}
        {{ sql_string(key) }}, {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{% endmacro %}

{#- Spark drops NULL fields unless told otherwise -#}
{% macro spark__json_object_text(fields) %}
    to_json(named_struct(
        {%- for key, expression in fields.items() %}
        {{ sql_string(key) }}, {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{% endmacro %}
