{#- Spark readers of a raw data directory (macros/raw_input.sql). Not implemented yet: the
    embedded sample (seeds) builds on Spark; a raw_data_dir build stops with this error. -#}
{% macro spark__raw_not_implemented(spec) %}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error("raw_data_dir on Spark: the " ~ spec.reader ~ " reader is not implemented yet (build from the embedded seeds)") }}
    {%- endif -%}
    {{ default__empty_raw_relation(spec) }}
{% endmacro %}

{% macro spark__raw_files(raw_dir, glob) %}
    {{ return([glob]) }}
{% endmacro %}

{% macro spark__read_raw_lines(raw_dir, paths, spec) %}
    {{ spark__raw_not_implemented(spec) }}
{% endmacro %}

{% macro spark__read_raw_files(raw_dir, paths, spec) %}
    {{ spark__raw_not_implemented(spec) }}
{% endmacro %}

{% macro spark__read_raw_csv(raw_dir, paths, spec) %}
    {{ spark__raw_not_implemented(spec) }}
{% endmacro %}
