{#-
    One typed JSON parse per document (SPEC §3): a line of text becomes a struct whose shape is
    given by a tree {field: type or subtree}, built from the fields a model needs and the metrics
    catalog. Keys the tree does not name are skipped by the parser, never materialized; a key of
    the wrong JSON type (an object where a number is expected) reads as NULL, never as an error.
    Leaf types: 'text' (strings unquoted, other scalars as their JSON text), 'json' (the value
    as sent, typed later by metric_value / metric_status) and 'json_text' (the same, for the
    catalog metrics, whose JSON text is also shown as raw_value: read it with json_text_leaf).
-#}

{#- Add key paths to a tree: key_paths is a list of (dot path, leaf type). A path that runs
    through a leaf of another path (or the reverse) cannot be parsed: a compile error names it. -#}
{% macro json_tree(key_paths) %}
    {%- set tree = {} -%}
    {%- for key_path, leaf_type in key_paths -%}
        {%- set segments = key_path.split('.') -%}
        {%- set node = namespace(value=tree) -%}
        {%- for segment in segments[:-1] -%}
            {%- if segment not in node.value -%}{%- do node.value.update({segment: {}}) -%}{%- endif -%}
            {%- if node.value[segment] is string -%}
                {{ exceptions.raise_compiler_error("key path '" ~ key_path ~ "' runs through the leaf '" ~ segment ~ "'") }}
            {%- endif -%}
            {%- set node.value = node.value[segment] -%}
        {%- endfor -%}
        {%- set leaf = segments[-1] -%}
        {%- if leaf in node.value and node.value[leaf] != leaf_type -%}
            {{ exceptions.raise_compiler_error("key path '" ~ key_path ~ "' is both a " ~ leaf_type ~ " leaf and an object or another type") }}
        {%- endif -%}
        {%- do node.value.update({leaf: leaf_type}) -%}
    {%- endfor -%}
    {{ return(tree) }}
{% endmacro %}

{#- Text -> struct of the tree's shape: NULL where the text is not valid JSON (or is JSON null),
    a struct of NULLs where it is valid JSON but not an object. A line that parses is valid JSON,
    so callers validate only the lines that did not (json_is_valid, a second parse of the rare
    rejected lines) instead of every line before its parse. -#}
{% macro json_to_struct(text_expression, tree) %}
    {{ return(adapter.dispatch('json_to_struct', 'usage_analytics')(text_expression, tree)) }}
{% endmacro %}

{#- DuckDB: json_transform with a structure document ({"field": "TYPE" or {...}}); it raises on
    malformed JSON, which try() turns into NULL (the chunk with the bad line is parsed again row
    by row, every other chunk once). -#}
{% macro duckdb__json_to_struct(text_expression, tree) %}
    try(json_transform({{ text_expression }}, '{{ tojson(duckdb__json_structure(tree)) }}'))
{% endmacro %}

{% macro duckdb__json_structure(tree) %}
    {%- set structure = {} -%}
    {%- for key, value in tree.items() -%}
        {%- if value is string -%}
            {%- do structure.update({key: {'text': 'VARCHAR', 'json': 'JSON', 'json_text': 'JSON'}[value]}) -%}
        {%- else -%}
            {%- do structure.update({key: duckdb__json_structure(value)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(structure) }}
{% endmacro %}

{#- Spark: from_json with a DDL schema of the same tree. 'text' and 'json' leaves are STRING
    (numbers and booleans as sent, objects and arrays as JSON text, strings unquoted, JSON null
    as NULL); 'json_text' leaves are VARIANT, whose to_json is DuckDB's JSON text exactly
    (json_text_leaf). A key of the wrong JSON type reads as NULL. from_json reads malformed text as a
    struct of NULLs (PERMISSIVE), so the text is validated first, as DuckDB's try() does. -#}
{% macro spark__json_to_struct(text_expression, tree) %}
    case
        when {{ json_is_valid(text_expression) }} then from_json({{ text_expression }}, '{{ spark__json_ddl(tree) }}')
    end
{% endmacro %}

{% macro spark__json_ddl(tree, nested=false) %}
    {%- set fields = [] -%}
    {%- for key, value in tree.items() -%}
        {%- set name = '`' ~ key.replace('`', '``') ~ '`' -%}
        {%- if value is string -%}
            {%- set field_type = 'VARIANT' if value == 'json_text' else 'STRING' -%}
        {%- else -%}
            {%- set field_type = 'STRUCT<' ~ spark__json_ddl(value, true) ~ '>' -%}
        {%- endif -%}
        {%- do fields.append(name ~ (': ' if nested else ' ') ~ field_type) -%}
    {%- endfor -%}
    {{ return(fields | join(', ')) }}
{% endmacro %}

{#- A field of a parsed struct by dot path ('payload.counts.ci_builds'). -#}
{% macro struct_field(struct_expression, key_path) %}
    {{ return(adapter.dispatch('struct_field', 'usage_analytics')(struct_expression, key_path)) }}
{% endmacro %}

{% macro duckdb__struct_field(struct_expression, key_path) %}
    {%- set segments = [] -%}
    {%- for segment in key_path.split('.') -%}
        {%- do segments.append('"' ~ segment ~ '"') -%}
    {%- endfor -%}
    ({{ struct_expression }}).{{ segments | join('.') }}
{% endmacro %}

{% macro spark__struct_field(struct_expression, key_path) %}
    {%- set segments = [] -%}
    {%- for segment in key_path.split('.') -%}
        {%- do segments.append('`' ~ segment.replace('`', '``') ~ '`') -%}
    {%- endfor -%}
    {{ struct_expression }}.{{ segments | join('.') }}
{% endmacro %}

{#- Select-list of the catalog metrics from a parsed struct, one column per catalog row, as the
    JSON value sent. `prefix` is the path of the metric tree inside the struct ('payload').
    Each column comes after its comma, as in catalog_columns. -#}
{% macro catalog_struct_columns(struct_expression, prefix, catalog) %}
    {%- for metric in catalog %},
    {{ json_text_leaf(struct_field(struct_expression, prefix ~ '.' ~ metric.key_path)) }} as {{ metric.column_name }}
    {%- endfor %}
{% endmacro %}

{#- A 'json_text' leaf of a parsed struct as the JSON text of the value. -#}
{% macro json_text_leaf(leaf_expression) %}
    {{ return(adapter.dispatch('json_text_leaf', 'usage_analytics')(leaf_expression)) }}
{% endmacro %}

{% macro default__json_text_leaf(leaf_expression) %}
    {{ leaf_expression }}
{% endmacro %}

{#- Spark: the leaf is a VARIANT; JSON null stays the text 'null', an absent key NULL. -#}
{% macro spark__json_text_leaf(leaf_expression) %}
    to_json({{ leaf_expression }})
{% endmacro %}

{#- (key path, 'json_text') for every catalog metric under a prefix. -#}
{% macro catalog_key_paths(prefix, catalog) %}
    {%- set paths = [] -%}
    {%- for metric in catalog -%}
        {%- do paths.append((prefix ~ '.' ~ metric.key_path, 'json_text')) -%}
    {%- endfor -%}
    {{ return(paths) }}
{% endmacro %}

{#- One top-level field of a JSON text, as JSON (a second parse: for the rare rejected lines only). -#}
{% macro json_field(text_expression, key) %}
    {{ return(adapter.dispatch('json_field', 'usage_analytics')(text_expression, key)) }}
{% endmacro %}

{% macro duckdb__json_field(text_expression, key) %}
    json_extract({{ text_expression }}, '$."{{ key }}"')
{% endmacro %}

{#- Spark: objects come back as JSON text, strings unquoted, JSON null as NULL. -#}
{% macro spark__json_field(text_expression, key) %}
    get_json_object({{ text_expression }}, '$.{{ key }}')
{% endmacro %}
