{#- Typed parsing helpers. Engine differences live in the dispatched implementations. -#}

{#- Text -> UTC timestamp, NULL when unparseable (ISO-8601 with Z or offset, 'YYYY-MM-DD HH:MM:SS UTC'). -#}
{% macro parse_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'usage_analytics')(expression)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(expression) %}
    (try_cast({{ expression }} as timestamptz) at time zone 'UTC')
{% endmacro %}

{#- Spark: the session time zone is UTC (profiles.yml), so a text without offset is UTC. -#}
{% macro spark__parse_timestamp_utc(expression) %}
    try_cast({{ expression }} as timestamp)
{% endmacro %}

{#- Text -> DATE, NULL when unparseable. -#}
{% macro parse_date(expression) %}
    {{ return(adapter.dispatch('parse_date', 'usage_analytics')(expression)) }}
{% endmacro %}

{% macro duckdb__parse_date(expression) %}
    try_cast({{ expression }} as date)
{% endmacro %}

{% macro spark__parse_date(expression) %}
    try_cast({{ expression }} as date)
{% endmacro %}

{#- Text -> boolean: true/false/t/f/1/0/yes/no (any case); anything else NULL. -#}
{% macro parse_boolean(expression) %}
    case
        when lower(trim(cast({{ expression }} as string))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ expression }} as string))) in ('false', 'f', '0', 'no', 'n') then false
    end
{% endmacro %}

{#- GitLab version strings: 16.11.3, 16.11.3-ee, 15.3.0-rc42-ee, 15.3.0-pre. Anything else: NULL parts. -#}
{% macro version_pattern() %}{{ return('^([0-9]+)[.]([0-9]+)[.]([0-9]+)(-(pre|rc[0-9]+))?(-ee)?$') }}{% endmacro %}

{% macro version_part(expression, part) %}
    {%- set group = {'major': 1, 'minor': 2, 'patch': 3}[part] -%}
    case when {{ regex_full_match(expression, version_pattern()) }}
        then cast({{ regex_group(expression, version_pattern(), group) }} as integer)
    end
{% endmacro %}

{% macro version_is_prerelease(expression) %}
    case when {{ regex_full_match(expression, version_pattern()) }}
        then {{ regex_group(expression, version_pattern(), 4) }} <> ''
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

{#- SPEC §3 and §4.13 metric semantics, one definition for every model:
    - absent key or JSON null: not_instrumented when the instance's version (version_rank) is older
      than the metric's milestone (milestone_rank), not_collected when it is not (optional data
      turned off, 14.1+); not_instrumented when either is unknown (the former rule: nothing shows
      the version had the metric);
    - -1, -2 (counter error) or the histogram fallback {"-1": -1}: failed;
    - -1000: deprecated;
    - other negatives or non-numbers: invalid. -#}
{% macro metric_status(json_expression, version_rank=none, milestone_rank=none) %}
    case
        when {{ json_expression }} is null or {{ json_type_of(json_expression) }} = 'NULL' then
            {%- if version_rank is not none and milestone_rank is not none %}
            case when {{ version_rank }} >= {{ milestone_rank }} then 'not_collected' else 'not_instrumented' end
            {%- else %}
            'not_instrumented'
            {%- endif %}
        when {{ metric_failed(json_expression) }} then 'failed'
        when {{ json_number(json_expression) }} is null then 'invalid'
        when {{ json_number(json_expression) }} = -1000 then 'deprecated'
        when {{ json_number(json_expression) }} < 0 then 'invalid'
        else 'ok'
    end
{% endmacro %}

{#- The instance's query failed (SPEC §4.13): the number -1 or -2 (counter error), whatever JSON
    type carried it (-1, -1.0, "-1"), or {"-1": -1} in place of a histogram. Every such text holds
    a minus sign, and almost no metric does, so the text is searched first and only the rare
    values with a '-' are cast (casting every catalog metric to count the failures at parse time
    took 0.7-1.4 s of the staging query's 7.4-8.0 s of CPU at 100,000 pings). -#}
{% macro metric_failed(json_expression) %}
    (instr({{ json_expression }}, '-') > 0 and (
        {{ json_number(json_expression) }} in (-1, -2)
        or replace(cast({{ json_expression }} as string), ' ', '') = '{"-1":-1}'
    ))
{% endmacro %}

{#- An internal install (SPEC §4.13): a development kit or a version string holding the marker
    (vars internal_installation_types, internal_version_marker); a SaaS measurement never is. -#}
{% macro is_internal_install(installation_type, gitlab_version) %}
    {%- set types = var('internal_installation_types', []) -%}
    coalesce(
        {%- if types %}
        lower({{ installation_type }}) in ({% for type in types %}{{ sql_string(type | lower) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- else %}
        false
        {%- endif %}
        or instr({{ gitlab_version }}, {{ sql_string(var('internal_version_marker', 'VERSION')) }}) > 0,
        false
    )
{%- endmacro %}

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

{#- A top-level text field (uuid, hostname, version) with GitLab's fallback value -1 / "-1" is
    missing: NULL (SPEC §4.13). -#}
{% macro without_fallback(text_expression) %}
    case when trim({{ text_expression }}) <> '-1' then {{ text_expression }} end
{%- endmacro %}

{#- The usable value: the number when the status is ok, NULL otherwise (never 0). -#}
{% macro metric_value(json_expression) %}
    case when {{ json_number(json_expression) }} >= 0 then {{ json_number(json_expression) }} end
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

{#- Set-returning select expression: the first day of every month from start to end (DATE). -#}
{% macro month_series(start_date, end_date) %}
    {{ return(adapter.dispatch('month_series', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__month_series(start_date, end_date) %}
    unnest(generate_series(
        cast(date_trunc('month', {{ start_date }}) as date),
        cast(date_trunc('month', {{ end_date }}) as date),
        interval 1 month
    ))
{% endmacro %}

{#- Spark: sequence() fails when start > end; the filter gives no month then, as DuckDB does. -#}
{% macro spark__month_series(start_date, end_date) %}
    explode(filter(
        sequence(
            cast(date_trunc('month', {{ start_date }}) as date),
            greatest(cast(date_trunc('month', {{ start_date }}) as date), cast(date_trunc('month', {{ end_date }}) as date)),
            interval 1 month
        ),
        month_start -> month_start <= cast(date_trunc('month', {{ end_date }}) as date)
    ))
{% endmacro %}

{#- Whole months from the month of start_date to the month of end_date (Jan -> Mar = 2). -#}
{% macro months_between(start_date, end_date) %}
    {{ return(adapter.dispatch('months_between', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__months_between(start_date, end_date) %}
    datediff('month', date_trunc('month', {{ start_date }}), date_trunc('month', {{ end_date }}))
{% endmacro %}

{#- Spark: months_between() is fractional; count calendar months instead. -#}
{% macro spark__months_between(start_date, end_date) %}
    ((year({{ end_date }}) * 12 + month({{ end_date }})) - (year({{ start_date }}) * 12 + month({{ start_date }})))
{% endmacro %}

{#- A date plus/minus whole days. -#}
{% macro add_days(date_expression, days) %}
    {{ return(adapter.dispatch('add_days', 'usage_analytics')(date_expression, days)) }}
{% endmacro %}

{% macro duckdb__add_days(date_expression, days) %}
    cast({{ date_expression }} + to_days(cast({{ days }} as integer)) as date)
{% endmacro %}

{% macro spark__add_days(date_expression, days) %}
    date_add(cast({{ date_expression }} as date), cast({{ days }} as integer))
{% endmacro %}

{#- Whole days from start_date to end_date. -#}
{% macro days_between(start_date, end_date) %}
    {{ return(adapter.dispatch('days_between', 'usage_analytics')(start_date, end_date)) }}
{% endmacro %}

{% macro duckdb__days_between(start_date, end_date) %}
    datediff('day', {{ start_date }}, {{ end_date }})
{% endmacro %}

{% macro spark__days_between(start_date, end_date) %}
    datediff(cast({{ end_date }} as date), cast({{ start_date }} as date))
{% endmacro %}

{#- The envelope and payload fields staging parses (SPEC §2.1), with their leaf types:
    text fields are read as text, counts as the JSON value (typed by metric_value). -#}
{% macro ping_document_fields() %}
    {%- set fields = [('id', 'json'), ('received_at', 'text'), ('source_ip', 'text')] -%}
    {%- for field in ['uuid', 'hostname', 'version', 'edition', 'installation_type', 'recorded_at',
                      'license_md5', 'license_sha256', 'license_id', 'license_subscription_id', 'license_plan', 'license_trial',
                      'license_starts_at', 'license_expires_at', 'licensee.Name', 'licensee.Email',
                      'licensee.Company'] -%}
        {%- do fields.append(('payload.' ~ field, 'text')) -%}
    {%- endfor -%}
    {%- for field in ['license_user_count', 'license_billable_users', 'historical_max_users', 'active_user_count'] -%}
        {%- do fields.append(('payload.' ~ field, 'json')) -%}
    {%- endfor -%}
    {{ return(fields) }}
{% endmacro %}

{#- MD5 of several expressions joined with '|' (NULL parts as empty): a stable surrogate key. -#}
{% macro surrogate_key(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as string), '')") -%}
    {%- endfor -%}
    {{ md5_hex(parts | join(" || '|' || ")) }}
{% endmacro %}

{#- A line of stg_raw__pings that is an accepted ping of this build: no quarantine reason, and
    received by the as-of date (a replay: a ping received later has not arrived yet). The one
    definition for the dedupe and for whatever needs only the accepted pings' columns (the
    licenses seen in pings), which can then read staging instead of computing the dedupe. -#}
{% macro accepted_ping() %}
    (quarantine_reason is null and {{ known_as_of('received_at') }})
{%- endmacro %}

{#- As-of replay (SPEC §4.9): with var('as_of_date') set, input dated after it has not arrived yet.
    Returns a predicate on a timestamp/date column (always true without the var; NULL dates pass). -#}
{% macro known_as_of(column) %}
    {%- set as_of = var('as_of_date', '') -%}
    {%- if as_of -%}
        ({{ column }} is null or cast({{ column }} as date) <= cast('{{ as_of }}' as date))
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}
