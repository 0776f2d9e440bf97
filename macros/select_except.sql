{#- Comma-separated column list of a relation minus some columns (portable `* exclude`). -#}
{% macro columns_except(relation, excluded, prefix='') %}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name | lower not in excluded -%}
            {%- do names.append(prefix ~ column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | join(',\n        ')) }}
{% endmacro %}

{#- Personal data columns of staging: they never leave staging (SPEC §3). -#}
{% macro personal_data_columns() %}
    {{ return(['source_ip', 'licensee_name', 'licensee_email', 'raw_line']) }}
{% endmacro %}
