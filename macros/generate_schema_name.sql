{#- Each layer in a schema of its own, under its plain name (staging, intermediate, marts,
    reference, sample, golden: `+schema` in dbt_project.yml), instead of dbt's default
    `<target schema>_<name>`; a model tagged `restricted` (it keeps input as received, which may
    hold personal data) goes to `restricted`, away from the marts analysts read. Nodes without a
    schema (tests, the incremental state table) stay in the target's schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if node is not none and 'restricted' in (node.tags or []) -%}
        restricted
    {%- elif custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
