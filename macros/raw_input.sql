{#-
    One way in for raw data (SPEC §2). `raw_input('pings')` is the embedded seed of the same
    shape by default, or the files of `var('raw_data_dir')` when it is set. Every entity has one
    layout, so staging holds one copy of the logic for both:
      lines  -> file_name, line_number, line      (newline-delimited JSON, .gz allowed)
      files  -> file_name, content                 (one document per file)
      csv    -> the file's own header, every column as text (staging casts)
-#}

{% macro raw_entities() %}
    {{ return({
        'pings': {'seed': 'raw_pings', 'reader': 'lines', 'glob': 'pings/*.ndjson*', 'required': true},
        'manual_uploads': {'seed': 'raw_manual_uploads', 'reader': 'files', 'glob': 'manual_uploads/*.json', 'required': false},
        'license_usage': {'seed': 'raw_license_usage', 'reader': 'files', 'glob': 'license_usage/*.csv', 'required': false},
        'saas_usage': {'seed': 'raw_saas_usage', 'reader': 'lines', 'glob': 'saas_usage/*.ndjson*', 'required': false},
        'subscriptions': {'seed': 'subscriptions', 'reader': 'csv', 'glob': 'subscriptions.csv', 'required': true,
            'columns': ['subscription_id', 'subscription_name', 'subscription_version', 'account_id', 'account_name',
                        'plan', 'delivery', 'licensed_seats', 'term_start_date', 'term_end_date', 'status', 'namespace_id']},
        'licenses': {'seed': 'licenses', 'reader': 'csv', 'glob': 'licenses.csv', 'required': false,
            'columns': ['license_md5', 'subscription_id', 'plan', 'users_count', 'starts_at', 'expires_at', 'is_trial', 'created_at']},
        'license_md5_to_subscription_mapping': {'seed': 'license_md5_to_subscription_mapping', 'reader': 'csv',
            'glob': 'license_md5_to_subscription_mapping.csv', 'required': false,
            'columns': ['license_md5', 'zuora_subscription_id']},
        'instance_types': {'seed': 'instance_types', 'reader': 'csv', 'glob': 'instance_types.csv', 'required': false,
            'columns': ['uuid', 'hostname', 'instance_type', 'included_in_health_measure', 'updated_at']},
    }) }}
{% endmacro %}

{% macro raw_input(entity) %}
    {%- set spec = raw_entities()[entity] -%}
    {%- set raw_dir = var('raw_data_dir', '') -%}
    {#- unit tests always read their given fixtures, whatever the data directory -#}
    {%- if not raw_dir or model.resource_type == 'unit_test' -%}
        {{ ref(spec.seed) }}
    {%- else -%}
        {%- set raw_dir = raw_dir.rstrip('/') -%}
        {%- set path = raw_dir ~ '/' ~ spec.glob -%}
        {%- set present = raw_files_present(path) -%}
        {%- if not present and spec.required -%}
            {{ exceptions.raise_compiler_error(
                "raw_data_dir " ~ raw_dir ~ ": required input '" ~ spec.glob ~ "' not found (SPEC §2)") }}
        {%- endif -%}
        (
        {%- if not present -%}
            {{ adapter.dispatch('empty_raw_relation', 'usage_analytics')(spec) }}
        {%- else -%}
            {%- if spec.reader == 'lines' -%}
                {{ adapter.dispatch('read_raw_lines', 'usage_analytics')(raw_dir, path, spec) }}
            {%- elif spec.reader == 'files' -%}
                {{ adapter.dispatch('read_raw_files', 'usage_analytics')(raw_dir, path, spec) }}
            {%- else -%}
                {{ adapter.dispatch('read_raw_csv', 'usage_analytics')(raw_dir, path, spec) }}
            {%- endif -%}
        {%- endif -%}
        )
    {%- endif -%}
{% endmacro %}

{% macro raw_files_present(path) %}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {{ return(adapter.dispatch('raw_files_present', 'usage_analytics')(path)) }}
{% endmacro %}

{% macro default__raw_files_present(path) %}
    {%- set result = run_query("select count(*) from glob('" ~ path ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro raw_columns(spec) %}
    {%- if spec.reader == 'lines' -%}
        {{ return(['file_name', 'line_number', 'line']) }}
    {%- elif spec.reader == 'files' -%}
        {{ return(['file_name', 'content']) }}
    {%- else -%}
        {{ return(spec.columns) }}
    {%- endif -%}
{% endmacro %}

{% macro default__empty_raw_relation(spec) %}
    select
    {%- for column in raw_columns(spec) %}
        cast(null as {{ 'bigint' if column == 'line_number' else 'varchar' }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{% endmacro %}

{#- DuckDB: each physical line as text; the CSV reader with no delimiter, quote or escape is the
    fastest line splitter DuckDB has: it decompresses .gz, skips a UTF-8 byte-order mark and
    detects \r\n line endings per file. Lines are numbered in file order (insertion order is
    preserved). -#}
{% macro duckdb__read_raw_lines(raw_dir, path, spec) %}
    select
        replace(filename, '{{ raw_dir }}/', '') as file_name,
        row_number() over (partition by filename) as line_number,
        line
    from read_csv(
        '{{ path }}',
        columns = {'line': 'varchar'},
        header = false, delim = '\x1e', quote = '', escape = '',
        filename = true, auto_detect = false, strict_mode = false
    )
{% endmacro %}

{% macro duckdb__read_raw_files(raw_dir, path, spec) %}
    select
        replace(filename, '{{ raw_dir }}/', '') as file_name,
        content
    from read_text('{{ path }}')
{% endmacro %}

{#- CSVs: all text, columns by header name; a column the file lacks (optional ones such as
    subscriptions.namespace_id) becomes NULL. -#}
{% macro duckdb__read_raw_csv(raw_dir, path, spec) %}
    {%- set header = run_query("select * from read_csv('" ~ path ~ "', all_varchar = true, header = true) limit 0").column_names if execute else spec.columns -%}
    select
    {%- for column in spec.columns %}
        {% if column in header %}{{ column }}{% else %}cast(null as varchar){% endif %} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from read_csv('{{ path }}', all_varchar = true, header = true)
{% endmacro %}
