{#- A staging model's raw input: the source table `entity` of source system `source_name`, read
    through the one raw reader (macro raw_input: the embedded seed, or the files of
    var('raw_data_dir')). Naming the source here puts it in dbt's lineage and docs; the table name
    is the raw entity's name (raw_entities). A unit test gives the seed rows raw_input reads, so
    the source is not named there (dbt would ask for a fixture of it). On DuckDB the line and CSV
    readers of a raw data directory read the file inventory (stg_raw__files) first, so the model
    depends on it. -#}
{% macro raw_source(source_name, entity, loaded_in=none) %}
    {%- if model is not mapping or model.get('resource_type') != 'unit_test' -%}
        {%- set declared = source(source_name, entity) -%}
    {%- endif -%}
    {%- if target.type == 'duckdb' and var('raw_data_dir', '') and raw_entities()[entity].reader in ('lines', 'csv') -%}
        {%- set inventory = ref('stg_raw__files') -%}
    {%- endif -%}
    {{ return(raw_input(entity, loaded_in=loaded_in)) }}
{% endmacro %}
