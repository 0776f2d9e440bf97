{#- Product KPIs (SPEC §4.11): which catalog metrics are xMAU. The dictionary's
    performance_indicator_type lists a metric's types joined by '|' (smau|gmau|paid_gmau); a metric
    naming one of var xmau_indicator_types is an xMAU. -#}

{#- SQL predicate: the types text names an xMAU type (whole '|'-separated items, so 'paid_gmau'
    alone is no 'gmau'). -#}
{% macro is_xmau_metric(types_expression) %}
    {%- set types = var('xmau_indicator_types', []) -%}
    {%- if not types -%}
    false
    {%- else -%}
    (
        {%- for type in types %}
        concat('|', coalesce({{ types_expression }}, ''), '|') like {{ sql_string('%|' ~ type ~ '|%') }}
        {{- ' or' if not loop.last }}
        {%- endfor %}
    )
    {%- endif -%}
{% endmacro %}

{#- The xMAU metrics of the catalog as a list of rows (key_path, column_name, milestone), ordered by
    key_path: the columns the product KPIs unpivot. Callers declare
    `-- depends_on: ref('metrics_catalog')`. -#}
{% macro xmau_metrics() %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select key_path, column_name, milestone
        from {{ ref('metrics_catalog') }}
        where {{ is_xmau_metric('performance_indicator_type') }}
        order by key_path
    {%- endset -%}
    {%- set rows = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do rows.append({'key_path': row[0], 'column_name': row[1], 'milestone': row[2]}) -%}
    {%- endfor -%}
    {{ return(rows) }}
{% endmacro %}
