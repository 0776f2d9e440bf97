{#- Spark has no length-less VARCHAR: contracts and unit-test fixtures name `varchar` (the
    DuckDB spelling), so dbt's own cast reads it as STRING on Spark. -#}
{% macro spark__cast(field, type) %}
    {%- set spark_type = 'string' if type | lower | trim == 'varchar' else type -%}
    cast({{ field }} as {{ spark_type }})
{% endmacro %}

{% macro spark__safe_cast(field, type) %}
    {%- set spark_type = 'string' if type | lower | trim == 'varchar' else type -%}
    try_cast({{ field }} as {{ spark_type }})
{% endmacro %}
