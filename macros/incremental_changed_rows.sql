{#-
    Incremental by changed rows: a model that joins a narrow relation, recomputed whole on every
    build (cheap, and where every correction shows: a mapping row, a label, a subscription, a
    seed threshold), to wide columns that depend on nothing but the row's ping. A build compares
    the narrow relation with the stored rows' own columns (the columns named, or every column but
    the wide ones), and deletes and inserts only the rows whose key has a difference. A model whose keys can go (a
    ping no longer kept) names the model that holds the keys still there (`keys_from`, a model
    it reads): a build deletes the stored rows of any other key. A build on other input starts
    the model again (macros/incremental_input.sql). Spark rebuilds such a model whole (a table).
    Each row carries `_written_at` (written_at()): the build that last wrote it, so publishing
    copies only the rows written since it last published (macros/publish.sql).
-#}

{#- The start of the build that writes a row (dbt's run_started_at, UTC), as column `_written_at`
    of a model incremental by changed rows: a row is written again only when it changed. A
    column whose name starts with `_` is the build's bookkeeping: never compared, never published. -#}
{% macro written_at() %}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- The columns of a relation but the bookkeeping ones (starting with `_`), as a select list: a
    mart that is a view over such a model passes on its rows, not its bookkeeping. -#}
{% macro public_columns(relation) %}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if not column.name.startswith('_') -%}
        {%- do names.append(adapter.quote(column.name) if column.name != column.name.lower() else column.name) -%}
    {%- endfor -%}
    {#- (before the model is built, e.g. a lint of the project: every column) -#}
    {{ return(names | join(',\n        ') if names else '*') }}
{%- endmacro %}

{% macro changed_rows_config(key_columns, keys_from=none) %}
    {%- if target.type == 'spark' -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {%- set config = {'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
                      'unique_key': key_columns, 'on_schema_change': 'fail'} -%}
    {%- if keys_from is not none -%}
        {%- set keys = key_columns | join(', ') -%}
        {%- do config.update({'post_hook': 'delete from {{ this }} where (' ~ keys ~ ') not in (select '
                                            ~ keys ~ " from {{ ref('" ~ keys_from ~ "') }})"}) -%}
    {%- endif -%}
    {{ return(config) }}
{% endmacro %}

{#- On an incremental build, a predicate (starting with `and`) that keeps the rows of `relation`
    whose key has a row that differs from the stored ones in the compared columns: `columns`, or
    else every column this model stores except `wide_columns`; on a full build, nothing. -#}
{% macro in_changed_rows(relation, key_columns, wide_columns=[], columns=none) %}
    {%- if model.resource_type == 'model' and is_incremental() %}
        {%- set compared = [] -%}
        {%- for column in adapter.get_columns_in_relation(this)
                if column.name not in key_columns and not column.name.startswith('_')
                and (column.name in columns if columns is not none else column.name not in wide_columns) -%}
            {%- do compared.append(column.name) -%}
        {%- endfor %}
        {# a join on the key, not an EXCEPT of whole rows: hashing one key is cheaper, and the
            planner then knows the changed rows are few #}
        and ({{ key_columns | join(', ') }}) in (
            select {% for key in key_columns %}fresh.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
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
