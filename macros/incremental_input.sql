{#-
    Incremental models remember which raw files they have read, by name. That holds for one
    raw data directory only: a build on another directory (or on the embedded seeds after a
    directory), or a replay as of another date, must start an incremental model again. The input each incremental model was
    last built from is kept in the one-table `incremental_input` (model_name, raw_data_dir),
    written after the build (on-run-end, successful models only). A model whose recorded input
    differs from this build's is built as with --full-refresh, automatically: the previous
    table stays until the new one has been built, so a failed build on a wrong directory loses
    nothing.
-#}

{#- dbt's own should_full_refresh() (config full_refresh, else the --full-refresh flag), plus a
    changed input for incremental models. is_incremental() calls it, so both agree. -#}
{% macro should_full_refresh() %}
    {%- set config_full_refresh = config.get('full_refresh') -%}
    {%- if config_full_refresh is none -%}
        {%- set config_full_refresh = flags.FULL_REFRESH -%}
    {%- endif -%}
    {{ return(config_full_refresh or incremental_input_changed()) }}
{% endmacro %}

{#- the raw data directory, and the as-of date of a replay: the accepted pings, so every month an
    incremental model keeps, depend on it -#}
{% macro current_incremental_input() %}
    {%- set as_of = var('as_of_date', '') | string -%}
    {{ return(var('raw_data_dir', '') | string ~ ((' as of ' ~ as_of) if as_of else '')) }}
{% endmacro %}

{% macro incremental_input_changed() %}
    {%- if not execute or model.resource_type != 'model' or model.config.materialized != 'incremental' -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(recorded_incremental_inputs().get(model.name) != current_incremental_input()) }}
{% endmacro %}

{% macro incremental_input_relation() %}
    {#- Spark's targets have no database (catalog) -#}
    {{ return(api.Relation.create(database=target.database if target.database is defined else none,
                                  schema=target.schema, identifier='incremental_input')) }}
{% endmacro %}

{% macro recorded_incremental_inputs() %}
    {%- set state = incremental_input_relation() -%}
    {%- set existing = adapter.get_relation(database=state.database, schema=state.schema, identifier=state.identifier) -%}
    {%- set inputs = {} -%}
    {%- if existing -%}
        {%- for row in run_query('select model_name, raw_data_dir from ' ~ existing).rows -%}
            {%- do inputs.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(inputs) }}
{% endmacro %}

{#- on-run-end: record this build's input for every incremental model it built successfully. -#}
{% macro record_incremental_inputs(results) %}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}{{ return('') }}{%- endif -%}
    {%- set recorded = recorded_incremental_inputs() -%}
    {%- set inputs = dict(recorded) -%}
    {%- for result in results
            if result.node.resource_type == 'model' and result.node.config.materialized == 'incremental'
            and result.status == 'success' -%}
        {%- do inputs.update({result.node.name: current_incremental_input()}) -%}
    {%- endfor -%}
    {%- if inputs != recorded -%}
        {%- set rows = [] -%}
        {%- for name, raw_data_dir in inputs | dictsort -%}
            {%- do rows.append("select " ~ sql_string(name) ~ " as model_name, "
                               ~ sql_string(raw_data_dir) ~ " as raw_data_dir") -%}
        {%- endfor -%}
        {%- set state = incremental_input_relation() -%}
        {#- the target's own schema holds no model (each layer has its own): create it if need be -#}
        {%- do adapter.create_schema(state) -%}
        {%- do run_query('drop table if exists ' ~ state) -%}
        {%- do run_query('create table ' ~ state ~ ' as ' ~ rows | join(' union all ')) -%}
    {%- endif -%}
{% endmacro %}
