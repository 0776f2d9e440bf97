{#- Rules every tabular input (SPEC §2.4-2.6, §2.8) is read by. -#}

{#- A CSV field as trimmed text; an empty or blank field is missing (NULL), whatever the reader
    gave for it ('' on DuckDB, NULL on Spark). -#}
{% macro text_or_null(column) %}
    nullif(trim(cast({{ column }} as string)), '')
{%- endmacro %}
