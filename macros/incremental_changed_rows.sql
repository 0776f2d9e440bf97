{#-
    Incremental by changed rows: a model that joins a narrow relation, recomputed whole on every
    build (cheap, and where every correction shows: a mapping row, a label, a subscription, a
    seed threshold), to wide columns that depend on nothing but the row's ping. A build compares
    the narrow relation with the stored rows' own columns (the columns named, or every column but
    the wide ones), and writes again only the rows whose key has a difference: DuckDB deletes and
    inserts those keys; Spark overwrites the month partitions that hold them (every row of such a
    month is written again). A model whose keys can go (a ping no longer kept) names the model
    that holds the keys still there (`keys_from`, a model it reads): DuckDB deletes the stored
    rows of any other key after the build; Spark drops the months that hold one before it, so
    they count as new and are written again whole (a month left with no row stays dropped).
    A build on other input starts the model again (macros/incremental_input.sql).
    Each row carries `_written_at` (written_at()): the build that last wrote it, so publishing
    copies only the rows written since it last published (macros/publish.sql).
-#}

{#- The start of the build that writes a row (dbt's run_started_at, UTC), as column `_written_at`
    of a model incremental by changed rows: a row is written again only when it changed. A
    column whose name starts with `_` is the build's bookkeeping: never compared, never published. -#}
{% macro written_at() %}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- The columns of a relation but the bookkeeping ones (starting with `_`), as a select list in
    the order of the calling model's documented columns (its contract): a mart that is a view over
    such a model passes on its rows, not its bookkeeping, and keeps its column order where the
    relation's differs (on Spark a partition column is the table's last). -#}
{% macro public_columns(relation) %}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set stored = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if not column.name.startswith('_') -%}
        {%- do stored.append(column.name) -%}
    {%- endfor -%}
    {%- set documented = model.columns.keys() | list -%}
    {%- set names = [] -%}
    {%- for name in (documented | select('in', stored) | list) + (stored | reject('in', documented) | list) -%}
        {%- do names.append(adapter.quote(name) if name != name.lower() else name) -%}
    {%- endfor -%}
    {#- (before the model is built, e.g. a lint of the project: every column) -#}
    {{ return(names | join(',\n        ') if names else '*') }}
{%- endmacro %}

{% macro changed_rows_config(key_columns, keys_from=none, month_column='month') %}
    {%- if target.type == 'spark' -%}
        {%- set config = {'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
                          'partition_by': [month_column], 'on_schema_change': 'fail'} -%}
    {%- else -%}
        {%- set config = {'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
                          'unique_key': key_columns, 'on_schema_change': 'fail'} -%}
    {%- endif -%}
    {%- if keys_from is not none -%}
        {%- set matches = [] -%}
        {%- for key in key_columns -%}
            {%- do matches.append('kept.' ~ key ~ ' = stored.' ~ key) -%}
        {%- endfor -%}
        {%- do config.update(gone_rows_hook("not exists (select 1 from {{ ref('" ~ keys_from ~ "') }} as kept where "
                                            ~ matches | join(' and ') ~ ')', month_column)) -%}
    {%- endif -%}
    {{ return(config) }}
{% endmacro %}

{#- The hook that removes the stored rows no longer there (`condition`, a SQL predicate on the
    stored rows, alias `stored`, rendered when the hook runs; `not exists` rather than `not in`,
    which Spark plans as a nested loop over several columns): on DuckDB a post-hook deleting them;
    on Spark a pre-hook dropping the month partitions that hold one (drop_months_where). -#}
{% macro gone_rows_hook(condition, month_column='month') %}
    {%- if target.type == 'spark' -%}
        {{ return({'pre_hook': '{% set condition %}' ~ condition ~ '{% endset %}'
                               ~ '{{ drop_months_where(' ~ month_column | tojson ~ ', condition) }}'}) }}
    {%- endif -%}
    {{ return({'post_hook': 'delete from {{ this }} as stored where ' ~ condition}) }}
{% endmacro %}

{#- The columns that name what a build writes again: the key on DuckDB, the month (a partition,
    overwritten whole) on Spark. -#}
{% macro rewritten_grain(key_columns, month_column='month') %}
    {{ return([month_column] if target.type == 'spark' else key_columns) }}
{% endmacro %}

{#- Spark, as a pre-hook of an incremental build: drop the stored month partitions that hold a row
    matching `condition` (a row no longer there; alias `stored`), so the build writes those months
    again whole from the rows still there. Renders no SQL. -#}
{% macro drop_months_where(month_column, condition) %}
    {%- if execute and is_incremental() -%}
        {%- set months = run_query('select distinct stored.' ~ month_column ~ ' from ' ~ this ~ ' as stored where '
                                   ~ condition) -%}
        {%- set partitions = [] -%}
        {%- for row in months.rows -%}
            {%- do partitions.append('partition (' ~ month_column ~ " = '" ~ row[0] ~ "')") -%}
        {%- endfor -%}
        {%- if partitions -%}
            {%- do log(this ~ ': ' ~ partitions | length ~ ' month(s) with a row no longer there, written again whole') -%}
            {%- do run_query('alter table ' ~ this ~ ' drop if exists ' ~ partitions | join(', ')) -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- On an incremental build, a predicate (starting with `and`) that keeps the rows of `relation`
    whose key has a row that differs from the stored ones in the compared columns: `columns`, or
    else every column this model stores except `wide_columns` (on Spark, every row of the months
    of such rows: `relation` has the model's month column); on a full build, nothing. -#}
{% macro in_changed_rows(relation, key_columns, wide_columns=[], columns=none, month_column='month') %}
    {%- if model.resource_type == 'model' and is_incremental() %}
        {%- set compared = [] -%}
        {%- for column in adapter.get_columns_in_relation(this)
                if column.name not in key_columns and not column.name.startswith('_')
                and (column.name in columns if columns is not none else column.name not in wide_columns) -%}
            {%- do compared.append(column.name) -%}
        {%- endfor %}
        {%- set grain = rewritten_grain(key_columns, month_column) %}
        {# a join on the key, not an EXCEPT of whole rows: hashing one key is cheaper, and the
            planner then knows the changed rows are few #}
        and ({{ grain | join(', ') }}) in (
            select {% for column in grain %}fresh.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
            from {{ relation }} as fresh
            left join {{ this }} as stored
                on {% for key in key_columns %}fresh.{{ key }} = stored.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
            where stored.{{ key_columns[0] }} is null
                {%- for column in compared %}
                or fresh.{{ column }} is distinct from stored.{{ column }}
                {%- endfor %}
        )
    {%- endif -%}
{% endmacro %}
