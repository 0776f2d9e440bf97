{#- Engine adapters for text, regular expressions, hashes and errors: a default__ where the
    engines agree, an engine variant only where one differs, with the reason. -#}

{#- Text -> boolean: true/false/t/f/1/0/yes/no (any case); anything else NULL. -#}
{% macro parse_boolean(expression) %}
    case
        when lower(trim(cast({{ expression }} as string))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ expression }} as string))) in ('false', 'f', '0', 'no', 'n') then false
    end
{% endmacro %}

{% macro regex_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'usage_analytics')(expression, pattern)) }}
{% endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) %}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{% endmacro %}

{#- Spark: rlike finds; anchoring the whole pattern makes it a full match. -#}
{% macro spark__regex_full_match(expression, pattern) %}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{% endmacro %}

{% macro regex_group(expression, pattern, group) %}
    {{ return(adapter.dispatch('regex_group', 'usage_analytics')(expression, pattern, group)) }}
{% endmacro %}

{% macro default__regex_group(expression, pattern, group) %}
    regexp_extract({{ expression }}, '{{ pattern }}', {{ group }})
{% endmacro %}

{#- Text values of a group joined by ', ' in sorted order (an aggregate). -#}
{% macro sorted_string_agg(expression) %}
    {{ return(adapter.dispatch('sorted_string_agg', 'usage_analytics')(expression)) }}
{% endmacro %}

{% macro default__sorted_string_agg(expression) %}
    string_agg({{ expression }}, ', ' order by {{ expression }})
{% endmacro %}

{#- Spark: no ordered string_agg; the sorted array of the group's values (NULLs skipped), joined;
    NULL when none, as string_agg. -#}
{% macro spark__sorted_string_agg(expression) %}
    nullif(array_join(array_sort(collect_list({{ expression }})), ', '), '')
{% endmacro %}

{#- An error raised by the query, with this message (the build stops on it): for input no
    default can stand in for. Evaluated only where reached (inside coalesce: only when the value
    before it is NULL). -#}
{% macro raise_query_error(message) %}
    {{ return(adapter.dispatch('raise_query_error', 'usage_analytics')(message)) }}
{% endmacro %}

{% macro duckdb__raise_query_error(message) %}
    error({{ sql_string(message) }})
{% endmacro %}

{% macro spark__raise_query_error(message) %}
    raise_error({{ sql_string(message) }})
{% endmacro %}

{#- Deterministic BIGINT id from text (manual uploads have no collector id): first 15 hex digits of MD5. -#}
{% macro content_id(text_expression) %}
    {{ return(adapter.dispatch('content_id', 'usage_analytics')(text_expression)) }}
{% endmacro %}

{% macro duckdb__content_id(text_expression) %}
    cast('0x' || substr(md5({{ text_expression }}), 1, 15) as bigint)
{% endmacro %}

{% macro spark__content_id(text_expression) %}
    cast(conv(substr(md5({{ text_expression }}), 1, 15), 16, 10) as bigint)
{% endmacro %}

{% macro md5_hex(text_expression) %}
    md5({{ text_expression }})
{% endmacro %}

{#- A file's text without the UTF-8 byte-order mark an editor may put first (Windows: Notepad,
    Excel): a file saved by hand is read as the same file without it. -#}
{% macro without_byte_order_mark(text_expression) %}
    {{ return(adapter.dispatch('without_byte_order_mark', 'usage_analytics')(text_expression)) }}
{% endmacro %}

{% macro duckdb__without_byte_order_mark(text_expression) %}
    (case when starts_with({{ text_expression }}, chr(65279)) then substr({{ text_expression }}, 2) else {{ text_expression }} end)
{% endmacro %}

{% macro spark__without_byte_order_mark(text_expression) %}
    (case when startswith({{ text_expression }}, '\uFEFF') then substr({{ text_expression }}, 2) else {{ text_expression }} end)
{% endmacro %}

{#- Split each row's text column into lines (a byte-order mark dropped, \r too): file_name,
    line_number (1-based), line. -#}
{% macro explode_lines(relation, text_column) %}
    {{ return(adapter.dispatch('explode_lines', 'usage_analytics')(relation, text_column)) }}
{% endmacro %}

{% macro duckdb__explode_lines(relation, text_column) %}
    select
        file_name,
        generate_subscripts(parts, 1) as line_number,
        unnest(parts) as line
    from (
        select
            file_name,
            string_split(replace({{ without_byte_order_mark(text_column) }}, chr(13), ''), chr(10)) as parts
        from {{ relation }}
    ) as split_files
{% endmacro %}

{#- Spark: posexplode keeps the position of every line in its file's array (deterministic). -#}
{% macro spark__explode_lines(relation, text_column) %}
    select
        file_name,
        cast(line_index + 1 as bigint) as line_number,
        line
    from (
        select
            file_name,
            posexplode(split(replace({{ without_byte_order_mark(text_column) }}, chr(13), ''), chr(10))) as (line_index, line)
        from {{ relation }}
    ) as split_files
{% endmacro %}

{#- MD5 of several expressions joined with '|' (NULL parts as empty): a stable surrogate key. -#}
{% macro surrogate_key(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as string), '')") -%}
    {%- endfor -%}
    {{ md5_hex(parts | join(" || '|' || ")) }}
{% endmacro %}

{#- A 64-bit hash of several columns (NULL included), for grouping by a wide key. -#}
{% macro key_hash(columns) %}
    {{ return(adapter.dispatch('key_hash', 'usage_analytics')(columns)) }}
{% endmacro %}

{% macro duckdb__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
