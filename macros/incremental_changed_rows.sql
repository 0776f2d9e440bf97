{#-
    Incremental by changed rows: a model that joins a narrow relation, recomputed whole on every
    build (cheap, and where every correction shows: a mapping row, a label, a subscription, a
    seed threshold), to wide columns that depend on nothing but the row's ping. A build compares
    the narrow relation with the stored rows' own columns (every column but the wide ones), and
    deletes and inserts only the rows whose key has a difference. Keys are never removed: the
    instance-months of a fleet only grow, and a build on other input starts the model again
    (macros/incremental_input.sql). Spark rebuilds such a model whole (a table).
-#}

{% macro changed_rows_config(key_columns) %}
    {%- if target.type == 'spark' -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
               'unique_key': key_columns, 'on_schema_change': 'fail'}) }}
{% endmacro %}

{#- On an incremental build, a predicate (starting with `and`) that keeps the rows of `relation`
    whose key has a row that differs from the stored ones in any column this model stores,
    except `wide_columns`; on a full build, nothing. -#}
{% macro in_changed_rows(relation, key_columns, wide_columns) %}
    {%- if model.resource_type == 'model' and is_incremental() %}
        {%- set compared = [] -%}
        {%- for column in adapter.get_columns_in_relation(this) if column.name not in wide_columns -%}
            {%- do compared.append(column.name) -%}
        {%- endfor %}
        and ({{ key_columns | join(', ') }}) in (
            select {{ key_columns | join(', ') }}
            from (
                select {{ compared | join(', ') }} from {{ relation }}
                except
                select {{ compared | join(', ') }} from {{ this }}
            ) as changed
        )
    {%- endif -%}
{% endmacro %}
