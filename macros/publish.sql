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
    The analyst database starts from a copy of the last published one when that was published
    from the same basis (publish_basis): its marts are written again, but the stored tables of
    its views (the wide metric values) only get the pings added or no longer kept, and a mart
    that passes on the rows of a model incremental by changed rows (meta publish_written_rows_of)
    only gets the rows that model wrote since the last publish (its `_written_at`); otherwise, and
    on --full-refresh, it is written whole. Columns starting with `_` (bookkeeping) are never
    published.
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
    {%- if flags.FULL_REFRESH and (failed or unselected) -%}
        {%- do mark_published_copy_stale() -%}
    {%- endif -%}
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
                     'directories': [[parquet_written, paths.parquet]],
                     'copies': [[paths.analytics, paths.analytics ~ suffix]]} -%}
    {%- do publish_files(check) -%}
    {%- if check.get('error') -%}
        {#- the hook's SQL fails with the reason: dbt reports the hook as failed, the build exits 1 -#}
        {{ return('select ' ~ raise_query_error(check.error)) }}
    {%- endif -%}
    {%- set kept = start_from_published(paths.analytics ~ suffix, check.get('copied', []), analyst_models) -%}
    {%- do write_published_database(paths.analytics ~ suffix, analyst_models, kept) -%}
    {%- do write_published_database(paths.restricted ~ suffix, restricted_models) -%}
    {%- do write_published_parquet(paths.analytics ~ suffix, parquet_written) -%}
    {%- set swap = {'action': 'swap',
                    'files': [[paths.analytics ~ suffix, paths.analytics], [paths.restricted ~ suffix, paths.restricted]],
                    'directories': [[parquet_written, paths.parquet]]} -%}
    {%- do publish_files(swap) -%}
    {%- do log('Analyst database published: ' ~ analyst_models | length ~ ' models to ' ~ paths.analytics
               ~ ' and ' ~ paths.parquet ~ '/, ' ~ restricted_models | length ~ ' restricted to '
               ~ paths.restricted ~ ' (' ~ ('updating the last published file' if kept else 'written whole')
               ~ (('; ' ~ kept.updated | join(', ') ~ ' by the rows written since') if kept and kept.updated else '')
               ~ '; publishing took ' ~ swap.seconds ~ ' s, ' ~ swap.cpu_seconds ~ ' s of CPU)',
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
{% macro write_published_database(path, nodes, kept=none) %}
    {%- set database = 'publishing' -%}
    {%- set statements = [] -%}
    {%- for node in nodes -%}
        {%- if kept and node.name in kept.updated -%}
            {%- do statements.extend(update_published_rows(database ~ '.main.' ~ node.name, node, kept.written_until)) -%}
            {%- set kind = 'table' -%}
        {%- elif node.config.meta.get('analyst_view') -%}
            {#- a view over stored columns instead of its rows: the statements of the macro the
                model's meta names (called through a name: dbt's parser reads literal ones only);
                kept: its stored tables are in the file, as last published, to be brought up to date -#}
            {%- set dispatch = adapter.dispatch -%}
            {%- do statements.extend(dispatch(node.config.meta.analyst_view, 'usage_analytics')(database, node, kept)) -%}
            {%- set kind = 'view' -%}
        {%- else -%}
            {%- do statements.append('create table ' ~ database ~ '.main.' ~ node.name
                                     ~ ' as select columns(lambda c: not starts_with(c, \'_\')) from ' ~ node.relation_name) -%}
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
    {%- if nodes | map(attribute='config') | map(attribute='meta') | selectattr('analyst_view', 'defined') | list -%}
        {%- do statements.append('create table ' ~ database ~ '.storage.publish_basis as select '
                                 ~ sql_string(publish_basis()) ~ ' as basis, ' ~ written_at() ~ ' as written_until') -%}
    {%- endif -%}
    {%- if not kept -%}
        {%- do run_query('attach ' ~ sql_string(path) ~ ' as ' ~ database ~ " (storage_version 'v1.4.0')") -%}
    {%- endif -%}
    {%- call statement('publish_' ~ database, auto_begin=true) -%}
        {{ statements | join(';\n') }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {%- do run_query('detach ' ~ database) -%}
{% endmacro %}

{#- Whether the analyst database starts from its last published copy (in `path` when the plugin
    copied it): only if that copy was published from the same basis (publish_basis), and then
    attached as `publishing`, everything dropped to be written again but the analyst views' stored
    tables and the tables of marts that publish written rows (`updated`: same columns as the
    working mart); otherwise the copy is discarded and the file written whole. Returns false, or
    {updated: mart names, written_until: the start of the build that published the copy}. -#}
{% macro start_from_published(path, copied, nodes) %}
    {%- if path not in copied -%}{{ return(false) }}{%- endif -%}
    {%- set database = 'publishing' -%}
    {%- do run_query('attach ' ~ sql_string(path) ~ ' as ' ~ database) -%}
    {%- set found = run_query("select count(*) from duckdb_tables() where database_name = '" ~ database
                              ~ "' and schema_name = 'storage' and table_name = 'publish_basis'").rows[0][0] -%}
    {%- set published = run_query('select * from ' ~ database ~ '.storage.publish_basis').rows[0] if found else {} -%}
    {%- set basis = published['basis'] if found else none -%}
    {%- if flags.FULL_REFRESH or basis != publish_basis() -%}
        {#- (dbt's transaction, if an earlier hook left one open, has read the file: ended first) -#}
        {%- call statement('publish_discard', auto_begin=true) -%} select 1 {%- endcall -%}
        {%- do adapter.commit() -%}
        {%- do run_query('detach ' ~ database) -%}
        {%- do publish_files({'action': 'discard', 'files': [path]}) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set updated = [] -%}
    {%- if published.get('written_until') -%}
        {%- for node in nodes if node.config.meta.get('publish_written_rows_of')
                and published_columns(database, 'main', node.name) == published_columns(node.database, node.schema, node.alias) -%}
            {%- do updated.append(node.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set drops = [] -%}
    {%- for row in run_query("select schema_name, table_name, 'table' from duckdb_tables() where database_name = '"
                             ~ database ~ "' union all select schema_name, view_name, 'view' from duckdb_views() "
                             ~ "where database_name = '" ~ database ~ "' and not internal").rows
            if (row[0] == 'main' and row[1] not in updated) or row[1] in ['publish_basis', 'metrics_catalog'] -%}
        {%- do drops.append('drop ' ~ row[2] ~ ' ' ~ database ~ '.' ~ row[0] ~ '.' ~ row[1]) -%}
    {%- endfor -%}
    {%- call statement('publish_drop', auto_begin=true) -%}
        {{ drops | join(';\n') }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {#- the dropped tables' blocks free for the new ones: the file does not grow week by week -#}
    {%- do run_query('checkpoint ' ~ database) -%}
    {{ return({'updated': updated, 'written_until': published.get('written_until')}) }}
{% endmacro %}

{#- A relation's published columns and their types, in order (none when it does not exist). -#}
{% macro published_columns(database, schema, name) %}
    {%- set found = run_query("select string_agg(column_name || ' ' || data_type, ', ' order by column_index) "
                              ~ "from duckdb_columns() where not starts_with(column_name, '_') and database_name = "
                              ~ sql_string(database) ~ ' and schema_name = ' ~ sql_string(schema)
                              ~ ' and table_name = ' ~ sql_string(name)).rows[0][0] -%}
    {{ return(found) }}
{% endmacro %}

{#- The published table of a mart that passes on the rows of a model incremental by changed rows
    (meta publish_written_rows_of), brought up to date: its rows whose key the model wrote since
    the copy was published, or no longer holds, are deleted, and the model's rows written since
    inserted. The key is the model's unique_key (every row of a key is written together). -#}
{% macro update_published_rows(table, node, written_until) %}
    {%- set source = graph.nodes['model.' ~ project_name ~ '.' ~ node.config.meta.publish_written_rows_of] -%}
    {%- set key = source.config.unique_key -%}
    {%- set key = [key] if key is string else key -%}
    {%- set since = 'cast(' ~ sql_string(written_until | string) ~ ' as timestamp)' -%}
    {%- set key_list = key | join(', ') -%}
    {%- set matches = [] -%}
    {%- for column in key -%}
        {%- do matches.append('kept.' ~ column ~ ' = published.' ~ column) -%}
    {%- endfor -%}
    {{ return([
        'delete from ' ~ table ~ ' as published where not exists (select 1 from ' ~ source.relation_name
            ~ ' as kept where ' ~ matches | join(' and ') ~ ' and kept._written_at <= ' ~ since ~ ')',
        'insert into ' ~ table ~ ' select columns(lambda c: not starts_with(c, \'_\')) from ' ~ node.relation_name
            ~ ' where (' ~ key_list ~ ') in (select ' ~ key_list ~ ' from ' ~ source.relation_name
            ~ ' where _written_at > ' ~ since ~ ')',
    ]) }}
{% endmacro %}

{#- A --full-refresh that publishes nothing (part of the project, or a failed build) may have
    rebuilt what the last published copy holds: a new epoch in the working database (which
    publish_basis reads) makes the next publish write it whole. -#}
{% macro mark_published_copy_stale() %}
    {%- call statement('publish_epoch', auto_begin=true) -%}
        create or replace table {{ publish_epoch_relation() }} as select {{ sql_string(invocation_id) }} as epoch
    {%- endcall -%}
    {%- do adapter.commit() -%}
{% endmacro %}

{% macro publish_epoch_relation() %}
    {{ return(api.Relation.create(database=target.database, schema=target.schema, identifier='publish_epoch')) }}
{% endmacro %}

{#- What the kept tables of the analyst database are a function of: the metrics catalog's columns,
    the raw input, the working database, the code of the models the metric values are read from,
    of the marts that publish written rows and of the project's macros (a parsing rule lives in a
    macro), and the epoch of the last --full-refresh that published nothing. A change of any (or
    --full-refresh) writes them whole; otherwise only the pings added or no longer kept, and the
    rows written, since the last publish are written. -#}
{% macro publish_basis() %}
    {%- set upstream = [] -%}
    {%- set pending = ['model.' ~ project_name ~ '.int_usage_measurements'] -%}
    {%- for step in range(10000) if pending -%}
        {%- set unique_id = pending.pop() -%}
        {%- if unique_id not in upstream and unique_id in graph.nodes -%}
            {%- do upstream.append(unique_id) -%}
            {%- do pending.extend(graph.nodes[unique_id].depends_on.nodes) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- a mart that publishes written rows: its own code decides what its kept rows hold -#}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.meta.get('publish_written_rows_of') -%}
        {%- do upstream.append(node.unique_id) -%}
    {%- endfor -%}
    {%- set code = [] -%}
    {%- for unique_id in upstream | sort -%}
        {%- do code.append(unique_id ~ ':' ~ graph.nodes[unique_id].raw_code) -%}
    {%- endfor -%}
    {%- set catalog = run_query('select string_agg(key_path || \'=\' || column_name, \',\' order by key_path) from '
                                ~ graph_relation('metrics_catalog')).rows[0][0] -%}
    {%- set epoch = publish_epoch_relation() -%}
    {%- if adapter.get_relation(database=epoch.database, schema=epoch.schema, identifier=epoch.identifier) -%}
        {%- do code.append('epoch:' ~ run_query('select epoch from ' ~ epoch).rows[0][0]) -%}
    {%- endif -%}
    {%- for name, macro in context.items() | sort if macro.macro is defined and macro.macro.package_name == project_name -%}
        {%- do code.append('macro.' ~ name ~ ':' ~ macro.macro.macro_sql) -%}
    {%- endfor -%}
    {{ return(local_md5([catalog, var('raw_data_dir', ''), target.path, code | join('\n')] | join('\n'))) }}
{% endmacro %}

{#- The Parquet files: every table of schema main of the analyst database just written, read back
    from it (so they hold exactly its rows). A view has no file of its own, nor do its stored
    tables (schema storage): its rows are a query of the analyst database. -#}
{% macro write_published_parquet(database_path, directory) %}
    {%- set database = 'published' -%}
    {%- do run_query('attach ' ~ sql_string(database_path) ~ ' as ' ~ database ~ ' (read_only)') -%}
    {%- set statements = [] -%}
    {%- for row in run_query("select schema_name, table_name from duckdb_tables() where database_name = '"
                             ~ database ~ "' and schema_name = 'main' order by all").rows -%}
        {%- set file = row[1] ~ '.parquet' -%}
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
