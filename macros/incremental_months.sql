{#-
    Incremental by month: a model of accepted pings keeps one partition per calendar month of
    the pings' as-of time (column ping_month). A build recomputes, whole, every month that a line
    of a file the model has not read yet belongs to (late pings and manual uploads included:
    they belong to the month they were recorded in), and leaves the other months as they are.
    Whatever can change a month already built without a new file (mapping rows, labels,
    subscriptions, seeds) is joined downstream of these models, never stored in them.
    DuckDB deletes and inserts the months (unique_key ping_month), Spark overwrites their
    partitions (insert_overwrite, partition_by ping_month).
    A finer grain on DuckDB: a model that names its dedupe group (group_columns, e.g. uuid,
    hostname and as-of time) recomputes only the groups the new lines belong to, old copies
    included, and deletes and inserts those; Spark keeps month partitions.
-#}

{#- the model's config: DuckDB deletes and inserts the months; Spark overwrites the month
    partitions the new rows hold (dynamic partition overwrite; ping_month becomes the table's
    last column there) -#}
{% macro month_incremental_config(group_columns=none) %}
    {%- if target.type == 'spark' -%}
        {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
                   'partition_by': ['ping_month'], 'on_schema_change': 'fail'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
               'unique_key': group_columns or 'ping_month', 'on_schema_change': 'fail'}) }}
{% endmacro %}

{#- the calendar month of a timestamp, as a date (the partition key) -#}
{% macro month_of(timestamp_column) %}cast(date_trunc('month', {{ timestamp_column }}) as date){% endmacro %}

{#- On an incremental build, a predicate (starting with `and`) that keeps the rows of the months
    touched by the accepted lines (predicate `accepted`) of a staging model from files this model
    has not read - on DuckDB, where the model names its group_columns (staging columns), the rows
    of the groups those lines belong to; on a full build, nothing. A file of rejected lines
    touches nothing. -#}
{% macro in_touched_months(timestamp_column, staging_model='stg_raw__pings', accepted=none, group_columns=none) %}
    {%- if model.resource_type == 'model' and is_incremental() %}
        {%- set touched = month_of(timestamp_column) if target.type == 'spark' or not group_columns
                          else group_columns | join(', ') %}
        and ({{ touched }}) in (
            select distinct {{ touched }}
            from {{ ref(staging_model) }}
            where
                {{ accepted if accepted is not none else accepted_ping() }}
                and file_name not in (select distinct file_name from {{ this }})
        )
    {%- endif -%}
{% endmacro %}
