{#- Engine adapters for JSON values (the parsed documents: json_documents.sql): a default__
    where the engines agree, an engine variant only where one differs, with the reason. -#}

{#- JSON scalar -> text (strings unquoted), NULL for JSON null / absent. -#}
{% macro json_text(json_expression) %}
    {{ return(adapter.dispatch('json_text', 'usage_analytics')(json_expression)) }}
{% endmacro %}

{% macro duckdb__json_text(json_expression) %}
    json_extract_string({{ json_expression }}, '$')
{% endmacro %}

{#- Spark: JSON leaves are parsed into STRING already (strings unquoted, JSON null is NULL). -#}
{% macro spark__json_text(json_expression) %}
    {{ json_expression }}
{% endmacro %}

{% macro json_type_of(json_expression) %}
    {{ return(adapter.dispatch('json_type_of', 'usage_analytics')(json_expression)) }}
{% endmacro %}

{#- Upper-case type name: OBJECT, ARRAY, VARCHAR, BIGINT, UBIGINT, DOUBLE, BOOLEAN, NULL. -#}
{% macro duckdb__json_type_of(json_expression) %}
    json_type({{ json_expression }})
{% endmacro %}

{#- Spark (>= 4.0): the variant's schema, named as DuckDB names it. A metric leaf holds a JSON
    null as NULL, a string unquoted: only 'NULL' / 'OBJECT' are compared by the models. -#}
{% macro spark__json_type_of(json_expression) %}
    case
        when {{ json_expression }} is null then null
        else (
            case
                when schema_of_variant(try_parse_json({{ json_expression }})) like 'OBJECT%' then 'OBJECT'
                when schema_of_variant(try_parse_json({{ json_expression }})) like 'ARRAY%' then 'ARRAY'
                when schema_of_variant(try_parse_json({{ json_expression }})) = 'STRING' then 'VARCHAR'
                when schema_of_variant(try_parse_json({{ json_expression }})) = 'VOID' then 'NULL'
                when schema_of_variant(try_parse_json({{ json_expression }})) like 'DECIMAL(%,0)' then 'UBIGINT'
                when schema_of_variant(try_parse_json({{ json_expression }})) like 'DECIMAL%' then 'DOUBLE'
                else schema_of_variant(try_parse_json({{ json_expression }}))
            end
        )
    end
{% endmacro %}

{% macro json_is_valid(text_expression) %}
    {{ return(adapter.dispatch('json_is_valid', 'usage_analytics')(text_expression)) }}
{% endmacro %}

{% macro duckdb__json_is_valid(text_expression) %}
    coalesce(json_valid({{ text_expression }}), false)
{% endmacro %}

{#- Spark (>= 4.0): try_parse_json is NULL exactly when the text is not JSON. -#}
{% macro spark__json_is_valid(text_expression) %}
    coalesce(try_parse_json({{ text_expression }}) is not null, false)
{% endmacro %}

{#- A metric's JSON value -> number, whatever JSON type carried it (number, numeric string,
    boolean as 1/0); NULL when it is not a number (object, array, text). -#}
{% macro json_number(json_expression) %}
    {{ return(adapter.dispatch('json_number', 'usage_analytics')(json_expression)) }}
{% endmacro %}

{% macro duckdb__json_number(json_expression) %}
    try_cast({{ json_expression }} as double)
{% endmacro %}

{#- Spark: the leaf is the value's text (from_json unquotes strings; a JSON text such as '"12"',
    e.g. a unit-test fixture, is unquoted here); booleans read as 1/0 as DuckDB casts them. -#}
{% macro spark__json_number(json_expression) %}
    case
        when lower({{ json_expression }}) = 'true' then cast(1 as double)
        when lower({{ json_expression }}) = 'false' then cast(0 as double)
        when {{ json_expression }} like '"%"' then try_cast(substr({{ json_expression }}, 2, length({{ json_expression }}) - 2) as double)
        else try_cast({{ json_expression }} as double)
    end
{% endmacro %}

{#- A row's fields as one JSON object text ({"name": "value", ...}, NULL values kept), for the
    report of rejected input rows. `fields`: {json key: SQL expression}. -#}
{% macro json_object_text(fields) %}
    {{ return(adapter.dispatch('json_object_text', 'usage_analytics')(fields)) }}
{% endmacro %}

{% macro duckdb__json_object_text(fields) %}
    cast(json_object(
        {%- for key, expression in fields.items() %}
        {{ sql_string(key) }}, {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{% endmacro %}

{#- Spark drops NULL fields unless told otherwise -#}
{% macro spark__json_object_text(fields) %}
    to_json(named_struct(
        {%- for key, expression in fields.items() %}
        {{ sql_string(key) }}, {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{% endmacro %}
