{#- The metrics catalog seed as a list of rows (key_path, column_name, time_frame, data_category,
    value_type, milestone), ordered by key_path. Models that call it declare `-- depends_on: ref('metrics_catalog')`.
    Adding a metric is one row in seeds/reference/metrics_catalog.csv, never an SQL edit. -#}
{% macro metrics_catalog() %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select key_path, column_name, time_frame, data_category, value_type, milestone
        from {{ ref('metrics_catalog') }}
        order by key_path
    {%- endset -%}
    {%- set rows = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do rows.append({'key_path': row[0], 'column_name': row[1], 'time_frame': row[2],
                            'data_category': row[3], 'value_type': row[4], 'milestone': row[5]}) -%}
    {%- endfor -%}
    {{ return(rows) }}
{% endmacro %}

{#- The metrics the use-case measures score (use_case_measures.numerator_column), distinct and
    sorted: the one place scoring narrows the catalog. Callers declare
    `-- depends_on: ref('use_case_measures')`. -#}
{% macro measured_metric_columns() %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select distinct numerator_column from {{ ref('use_case_measures') }} order by numerator_column
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}

{#- Unpivot wide metric columns into (column_name, metric_json) rows, NULLs kept. -#}
{% macro unpivot_metrics(relation, id_columns, metric_columns) %}
    {{ return(adapter.dispatch('unpivot_metrics', 'usage_analytics')(relation, id_columns, metric_columns)) }}
{% endmacro %}

{#- Standard UNPIVOT (Spark >= 3.4). -#}
{% macro default__unpivot_metrics(relation, id_columns, metric_columns) %}
    select {{ id_columns | join(', ') }}, column_name, metric_json
    from (select {{ id_columns | join(', ') }}, {{ metric_columns | join(', ') }} from {{ relation }}) as wide
    unpivot include nulls (metric_json for column_name in ({{ metric_columns | join(', ') }}))
{% endmacro %}

{#- DuckDB turns UNPIVOT into an UNNEST, and pushes no filter through an UNNEST: a filter on the
    ids (the sampled key test of fct_service_ping_metric) or on column_name still unpivoted every
    metric of every row. Here each row's metrics are one list and a cross join with the metrics'
    positions picks one per output row, so a filter on the ids or on column_name passes the join
    (one on key_path, which comes from the catalog joined after, does not). Same rows, NULLs
    kept; measurements in docs/performance.md. -#}
{% macro duckdb__unpivot_metrics(relation, id_columns, metric_columns) %}
    select
        {%- for column in id_columns %}
        wide.{{ column }},
        {%- endfor %}
        positions.column_name,
        wide.metric_jsons[positions.metric_position] as metric_json
    from (
        select {{ id_columns | join(', ') }}, [{{ metric_columns | join(', ') }}] as metric_jsons
        from {{ relation }}
    ) as wide
    cross join (
        values
        {%- for column in metric_columns %}
        ('{{ column }}', {{ loop.index }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as positions (column_name, metric_position)
{% endmacro %}

{#- The long form of a wide relation's catalog metrics: one row per row x catalog metric with
    column_name, the typed metric_value, its value_status and the raw JSON value (SPEC §3, §4.13).
    The relation carries version_major and version_minor when with_version: a missing metric is
    then not_instrumented or not_collected by the catalog's milestone (macro metric_status). -#}
{% macro metric_rows(relation, id_columns, catalog, with_version=false) %}
    {%- set version_columns = ['version_major', 'version_minor'] if with_version else [] -%}
    select
        {{ id_columns | join(', ') }},
        column_name,
        {{ metric_value('metric_json') }} as metric_value,
        {{ metric_status('metric_json', version_rank('version_major', 'version_minor') if with_version else none,
                         milestone_rank_of('column_name', catalog)) }} as value_status,
        -- a JSON null is NULL on both engines (Spark's leaf is the text 'null'; a JSON string
        -- 'null' keeps its quotes, so it is not taken for one)
        nullif(cast(metric_json as string), 'null') as raw_value
    from (
        {{ unpivot_metrics(relation, id_columns + version_columns, catalog | map(attribute='column_name') | list) }}
    ) as unpivoted
{% endmacro %}

{#- A version's major.minor as one comparable number (17.2 -> 17002); NULL when unparsed. -#}
{% macro version_rank(major_expression, minor_expression) %}
    ({{ major_expression }} * 1000 + {{ minor_expression }})
{%- endmacro %}

{#- The dictionary's milestone (the version that introduced the metric) of each catalog metric, as
    version_rank, by column_name: '15.2' -> 15002; '<13.9' (older than the dictionary) -> 13009;
    NULL where the dictionary gives none. A CASE over the few metrics that have one. -#}
{% macro milestone_rank_of(column_expression, catalog) %}
    {%- set ranked = [] -%}
    {%- for metric in catalog -%}
        {%- set parts = ((metric.get('milestone') or '') | string).strip().lstrip('<').split('.') -%}
        {%- if parts | length >= 2 and parts[0].isdigit() and parts[1].isdigit() -%}
            {%- do ranked.append((metric.column_name, parts[0] | int * 1000 + parts[1] | int)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not ranked -%}
        cast(null as integer)
    {%- else -%}
        case {{ column_expression }}
        {%- for column_name, rank in ranked %}
            when '{{ column_name }}' then {{ rank }}
        {%- endfor %}
        end
    {%- endif -%}
{% endmacro %}

{#- Select-list of the catalog metrics as numbers (NULL unless the status is ok). -#}
{% macro catalog_value_columns(relation_alias, catalog) %}
    {%- for metric in catalog %}
    {{ metric_value(relation_alias ~ '.' ~ metric.column_name) }} as {{ metric.column_name }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}

{#- Whether each catalog metric of a row failed (-1, -2 or {"-1": -1}: the instance's query or
    counter failed), as 1 or 0: a select-list of columns failed__<column>, each after its comma.
    Selected in a CTE before catalog_failed_count adds them up. -#}
{% macro catalog_failed_flags(catalog) %}
    {%- for metric in catalog %},
    case when {{ metric_failed(metric.column_name) }} then 1 else 0 end as failed__{{ metric.column_name }}
    {%- endfor %}
{% endmacro %}

{#- How many of a row's catalog metrics failed: one number a measurement, counted once where it
    is parsed, so data-quality counts never unpivot. It adds up the flags of catalog_failed_flags,
    selected in a CTE before: DuckDB's common-subexpression optimizer takes about a second to plan
    the same count written as one expression over every metric column, in every build. -#}
{% macro catalog_failed_count(catalog) %}
    {%- if not catalog -%}cast(0 as integer){%- endif -%}
    {%- for metric in catalog %}
    failed__{{ metric.column_name }}{{ ' +' if not loop.last }}
    {%- endfor %}
{% endmacro %}

{#- Select-list of the catalog metric columns, as they are, each after its comma (the caller
    writes no comma before it): an empty catalog adds nothing, not a trailing comma. -#}
{% macro catalog_columns(catalog) %}
    {%- for metric in catalog %},
    {{ metric.column_name }}
    {%- endfor %}
{% endmacro %}

{#- The use cases of seed use_cases, in display_order: [{use_case, is_adoption_use_case}]. The
    one list every pivot by use case loops over: adding a use case is one seed row (and its
    measures), never an SQL edit. Callers declare `-- depends_on: ref('use_cases')`. -#}
{% macro use_case_list() %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select use_case, is_adoption_use_case from {{ ref('use_cases') }} order by display_order, use_case
    {%- endset -%}
    {%- set rows = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do rows.append({'use_case': row[0], 'is_adoption_use_case': row[1]}) -%}
    {%- endfor -%}
    {{ return(rows) }}
{% endmacro %}
