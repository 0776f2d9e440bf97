{#-
    Publishing for analysts (on-run-end of `dbt build`): after a build in which every node
    passed, the models of schema `marts` are copied into the analyst database
    (env ANALYTICS_DUCKDB_PATH, default target/analytics.duckdb; schema main, one table per
    model under its name, dbt descriptions as comments, plus a one-row `build_info`) and as
    Parquet files, one per table of that file (env ANALYTICS_PARQUET_DIR, default the analyst
    path without `.duckdb`);
    the models of schema `restricted` (quarantines that keep input as received) go to
    RESTRICTED_DUCKDB_PATH (default target/restricted.duckdb) instead. The layer decides, so a
    model added later is published with no edit here.
    Each file is written beside its published path under a temporary name and renamed over it
    (plugins/analytics_publish.py): readers never see a half-written file and a reader holding
    the old one never blocks the build. A build with a failed or skipped node, or one that did
    not select every published model (`--select`), publishes nothing and leaves the files as
    they were. The files are written in a storage format DuckDB 1.4 and later read.
-#}
{% macro publish_analytics(results) %}
    {%- if not execute or flags.WHICH != 'build' -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('publish_analytics', 'usage_analytics')(results)) }}
{% endmacro %}

{#- Spark: analysts query the `marts` schema of the metastore; the files are DuckDB's. -#}
{% macro default__publish_analytics(results) %}
    {%- do log('Analyst database: published on DuckDB targets only; on ' ~ target.type
               ~ ' analysts read the tables of schema marts', info=true) -%}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__publish_analytics(results) %}
    {%- set analyst_models = schema_models('marts') -%}
    {%- set restricted_models = schema_models('restricted') -%}
    {%- set ran = [] -%}
    {%- set failed = [] -%}
    {%- for result in results -%}
        {%- do ran.append(result.node.unique_id) -%}
        {%- if result.status in ['error', 'fail', 'skipped', 'runtime error'] -%}
            {%- do failed.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set unselected = [] -%}
    {%- for node in analyst_models + restricted_models if node.unique_id not in ran -%}
        {%- do unselected.append(node.name) -%}
    {%- endfor -%}
    {%- if failed -%}
        {%- do log('Analyst database not published (the published files are unchanged): ' ~ failed | length
                   ~ ' node(s) failed or were skipped, e.g. ' ~ failed[:3] | join(', '), info=true) -%}
        {{ return('') }}
    {%- elif unselected -%}
        {%- do log('Analyst database not published: this build did not select every published model ('
                   ~ unselected | length ~ ' left out, e.g. ' ~ unselected[:3] | join(', ') ~ ')', info=true) -%}
        {{ return('') }}
    {%- endif -%}

    {%- set paths = publish_paths() -%}
    {%- set suffix = '.' ~ invocation_id ~ '.publishing' -%}
    {%- set parquet_written = paths.parquet ~ '/.' ~ invocation_id ~ '.publishing' -%}
    {%- set check = {'action': 'prepare', 'files': [paths.analytics, paths.restricted],
                     'directories': [[parquet_written, paths.parquet]]} -%}
    {%- do publish_files(check) -%}
    {%- if check.get('error') -%}
        {#- the hook's SQL fails with the reason: dbt reports the hook as failed, the build exits 1 -#}
        {{ return('select ' ~ raise_query_error(check.error)) }}
    {%- endif -%}
    {%- do write_published_database(paths.analytics ~ suffix, analyst_models) -%}
    {%- do write_published_database(paths.restricted ~ suffix, restricted_models) -%}
    {%- do write_published_parquet(paths.analytics ~ suffix, parquet_written) -%}
    {%- set swap = {'action': 'swap',
                    'files': [[paths.analytics ~ suffix, paths.analytics], [paths.restricted ~ suffix, paths.restricted]],
                    'directories': [[parquet_written, paths.parquet]]} -%}
    {%- do publish_files(swap) -%}
    {%- do log('Analyst database published: ' ~ analyst_models | length ~ ' models to ' ~ paths.analytics
               ~ ' and ' ~ paths.parquet ~ '/, ' ~ restricted_models | length ~ ' restricted to '
               ~ paths.restricted ~ ' (publishing took ' ~ swap.seconds ~ ' s, ' ~ swap.cpu_seconds ~ ' s of CPU)',
               info=true) -%}
    {{ return('') }}
{% endmacro %}

{% macro publish_paths() %}
    {%- set analytics = env_var('ANALYTICS_DUCKDB_PATH', '') or 'target/analytics.duckdb' -%}
    {%- set parquet = env_var('ANALYTICS_PARQUET_DIR', '') or
        (analytics[:-7] if analytics.endswith('.duckdb') else analytics ~ '_parquet') -%}
    {{ return({'analytics': analytics, 'parquet': parquet.rstrip('/'),
               'restricted': env_var('RESTRICTED_DUCKDB_PATH', '') or 'target/restricted.duckdb'}) }}
{% endmacro %}

{#- The project's models in a schema, by name. -#}
{% macro schema_models(schema) %}
    {%- set nodes = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
            if node.resource_type == 'model' and node.package_name == project_name and node.schema == schema -%}
        {%- do nodes.append(node) -%}
    {%- endfor -%}
    {{ return(nodes) }}
{% endmacro %}

{#- The relation of the project's model or seed of that name. -#}
{% macro graph_relation(name) %}
    {%- for node in graph.nodes.values() if node.name == name and node.resource_type in ['model', 'seed'] -%}
        {{ return(node.relation_name) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('publish: no model or seed named ' ~ name) }}
{% endmacro %}

{#- plugins/analytics_publish.py: `prepare` checks the paths, `swap` renames the written files. -#}
{% macro publish_files(config) %}
    {%- do adapter.store_relation('analytics_publish', api.Relation.create(identifier='published_files'),
                                  [], '', 'publish', config) -%}
{% endmacro %}

{#- One transaction for the whole file: a commit per statement (the comments are one statement
    a column) writes and syncs the file's log each time. dbt's own transaction is used (joined if
    an earlier hook left one open, begun otherwise), so a nested BEGIN never fails. -#}
{% macro write_published_database(path, nodes) %}
    {%- set database = 'publishing' -%}
    {%- set statements = [] -%}
    {%- for node in nodes -%}
        {%- if node.config.meta.get('analyst_view') -%}
            {#- a view over stored columns instead of its rows: the statements of the macro the
                model's meta names (called through a name: dbt's parser reads literal ones only) -#}
            {%- set dispatch = adapter.dispatch -%}
            {%- do statements.extend(dispatch(node.config.meta.analyst_view, 'usage_analytics')(database, node)) -%}
            {%- set kind = 'view' -%}
        {%- else -%}
            {%- do statements.append('create table ' ~ database ~ '.main.' ~ node.name
                                     ~ ' as select * from ' ~ node.relation_name) -%}
            {%- set kind = 'table' -%}
        {%- endif -%}
        {%- do statements.append('comment on ' ~ kind ~ ' ' ~ database ~ '.main.' ~ node.name
                                 ~ ' is ' ~ sql_string(node.description)) -%}
        {%- for column in node.columns.values() if column.description -%}
            {%- do statements.append('comment on column ' ~ database ~ '.main.' ~ node.name ~ '.' ~ column.name
                                     ~ ' is ' ~ sql_string(column.description)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do statements.append(build_info_sql(database ~ '.main.build_info')) -%}
    {%- do run_query('attach ' ~ sql_string(path) ~ ' as ' ~ database ~ " (storage_version 'v1.4.0')") -%}
    {%- call statement('publish_' ~ database, auto_begin=true) -%}
        {{ statements | join(';\n') }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {%- do run_query('detach ' ~ database) -%}
{% endmacro %}

{#- The Parquet files: every table of the analyst database just written, read back from it (so
    they hold exactly its rows, and a view's stored tables are not computed twice); a table of
    schema storage as `storage__<table>.parquet`. A view has no file of its own: its rows are a
    query over those tables. -#}
{% macro write_published_parquet(database_path, directory) %}
    {%- set database = 'published' -%}
    {%- do run_query('attach ' ~ sql_string(database_path) ~ ' as ' ~ database ~ ' (read_only)') -%}
    {%- set statements = [] -%}
    {%- for row in run_query("select schema_name, table_name from duckdb_tables() where database_name = '"
                             ~ database ~ "' order by all").rows -%}
        {%- set file = (row[1] if row[0] == 'main' else row[0] ~ '__' ~ row[1]) ~ '.parquet' -%}
        {%- do statements.append('copy ' ~ database ~ '.' ~ row[0] ~ '.' ~ row[1] ~ ' to '
                                 ~ sql_string(directory ~ '/' ~ file) ~ ' (format parquet)') -%}
    {%- endfor -%}
    {%- do run_query(statements | join(';\n')) -%}
    {%- do run_query('detach ' ~ database) -%}
{% endmacro %}

{#- One row: what this publication is (apps show its as-of date, SPEC §4.9). -#}
{% macro build_info_select() %}
    {%- set query -%}
        select
            cast(as_of_date as date) as as_of_date,
            cast(now() at time zone 'UTC' as timestamp) as published_at,
            {{ sql_string(invocation_id) }} as dbt_invocation_id,
            {{ sql_string(target.name) }} as target_name
        from {{ graph_relation('int_as_of_date') }}
    {%- endset -%}
    {{ return(query) }}
{% endmacro %}

{% macro build_info_sql(relation) %}
    {%- set statements = [
        'create table ' ~ relation ~ ' as ' ~ build_info_select(),
        'comment on table ' ~ relation ~ " is 'One row: the build these tables come from.'",
        'comment on column ' ~ relation ~ ".as_of_date is 'The as-of date of the build (SPEC 4.9): input after it is ignored.'",
        'comment on column ' ~ relation ~ ".published_at is 'When these files were published (UTC).'",
        'comment on column ' ~ relation ~ ".dbt_invocation_id is 'The dbt invocation that built and published them.'",
        'comment on column ' ~ relation ~ ".target_name is 'The dbt target (profiles.yml output) of that build.'",
    ] -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
