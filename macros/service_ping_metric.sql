{#- The logic CTEs of fct_service_ping_metric (metric_rows, final) over CTEs `pings` (ping_id and
    the wide catalog columns) and `catalog` (the metrics_catalog seed): one definition for the
    model and for its view in the analyst database. -#}
{% macro service_ping_metric_ctes(catalog) %}
metric_rows as (
    {{ metric_rows('pings', ['ping_id'], catalog, with_version=true) }}
),

final as (
    select
        -- ids
        metric_rows.ping_id,
        catalog.key_path,
        catalog.column_name,

        -- measures
        metric_rows.metric_value,
        metric_rows.value_status,
        metric_rows.raw_value,

        -- attributes
        catalog.time_frame,
        catalog.data_category
    from metric_rows
    inner join catalog on metric_rows.column_name = catalog.column_name
)
{%- endmacro %}

{#- In the analyst database (macros/publish.sql) the long form stays a view, as in the build: over
    a table of each ping's wide catalog columns and a copy of the catalog, in schema `storage`
    (a 161-metric catalog would otherwise multiply the file by 161). Returns the statements.
    kept: the table is there as last published (same catalog and code): only the pings no longer
    kept are deleted and the new ones added (a ping's values are a function of its line). -#}
{% macro duckdb__fct_service_ping_metric_analyst_view(database, node, kept=false) %}
    {%- set catalog = [] -%}
    {%- for row in run_query('select key_path, column_name, milestone from ' ~ graph_relation('metrics_catalog')
                             ~ ' order by key_path').rows -%}
        {%- do catalog.append({'key_path': row[0], 'column_name': row[1], 'milestone': row[2]}) -%}
    {%- endfor -%}
    {%- set storage = database ~ '.storage' -%}
    {%- set values = storage ~ '.service_ping_metric_values' -%}
    {%- set pings = 'select ping_id, version_major, version_minor' ~ catalog_columns(catalog)
                    ~ ' from ' ~ graph_relation('int_usage_measurements') ~ ' as pings' -%}
    {%- set statements = [
        'create schema if not exists ' ~ storage,
        'create table ' ~ storage ~ '.metrics_catalog as select key_path, column_name, time_frame, data_category from '
            ~ graph_relation('metrics_catalog'),
    ] -%}
    {%- if kept -%}
        {%- do statements.extend([
            'delete from ' ~ values ~ ' where ping_id not in (select ping_id from '
                ~ graph_relation('int_usage_measurements') ~ ' where ping_id is not null)',
            'insert into ' ~ values ~ ' ' ~ pings ~ ' where not exists (select 1 from ' ~ values
                ~ ' as published where published.ping_id = pings.ping_id)',
        ]) -%}
    {%- else -%}
        {%- do statements.append('create table ' ~ values ~ ' as ' ~ pings) -%}
    {%- endif -%}
    {%- set view_sql -%}
with

pings as (
    select * from storage.service_ping_metric_values
),

catalog as (
    select * from storage.metrics_catalog
),

{{ service_ping_metric_ctes(catalog) }}

select * from final
    {%- endset -%}
    {%- do statements.append('create view ' ~ database ~ '.main.' ~ node.name ~ ' as ' ~ view_sql) -%}
    {{ return(statements) }}
{% endmacro %}
