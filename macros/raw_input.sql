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
                        'plan', 'delivery', 'licensed_seats', 'term_start_date', 'term_end_date', 'status', 'namespace_id',
                        'version_effective_date']},
        'licenses': {'seed': 'licenses', 'reader': 'csv', 'glob': 'licenses.csv', 'required': false,
            'columns': ['license_md5', 'subscription_id', 'plan', 'users_count', 'starts_at', 'expires_at', 'is_trial', 'created_at',
                        'license_sha256']},
        'license_md5_to_subscription_mapping': {'seed': 'license_md5_to_subscription_mapping', 'reader': 'csv',
            'glob': 'license_md5_to_subscription_mapping.csv', 'required': false,
            'columns': ['license_md5', 'zuora_subscription_id', 'license_sha256']},
        'instance_types': {'seed': 'instance_types', 'reader': 'csv', 'glob': 'instance_types.csv', 'required': false,
            'columns': ['uuid', 'hostname', 'instance_type', 'included_in_health_measure', 'updated_at']},
    }) }}
{% endmacro %}

{#- `loaded_in`: an incremental model's own relation. On an incremental run only files whose
    name is not yet in its `file_name` column are read: a raw file is immutable once it has
    landed (a corrected file lands under a new name; `--full-refresh` reads everything again). -#}
{% macro raw_input(entity, loaded_in=none) %}
    {%- set spec = raw_entities()[entity] -%}
    {%- set raw_dir = var('raw_data_dir', '') -%}
    {%- set skip_loaded = loaded_in is not none and is_incremental() -%}
    {#- (unit tests run on the embedded sample only: dbt_project.yml disables them on a directory) -#}
    {%- if not raw_dir -%}
        {%- if skip_loaded -%}
            (select * from {{ ref(spec.seed) }} where file_name not in (select file_name from {{ loaded_in }}))
        {%- else -%}
            {{ ref(spec.seed) }}
        {%- endif -%}
    {%- else -%}
        {%- set raw_dir = raw_dir.rstrip('/') -%}
        {%- set files = raw_files(raw_dir, spec.glob) -%}
        {%- if execute and not files and spec.required -%}
            {{ exceptions.raise_compiler_error(
                "raw_data_dir " ~ raw_dir ~ ": required input '" ~ spec.glob ~ "' not found (SPEC §2)") }}
        {%- endif -%}
        {%- if skip_loaded -%}
            {%- set loaded = loaded_file_names(loaded_in) -%}
            {%- set files = files | reject('in', loaded) | list -%}
        {%- endif -%}
        {%- set paths = [] -%}
        {%- for file in files -%}{%- do paths.append(raw_dir ~ '/' ~ file) -%}{%- endfor -%}
        (
        {%- if not paths -%}
            {{ adapter.dispatch('empty_raw_relation', 'usage_analytics')(spec) }}
        {%- elif spec.reader == 'lines' -%}
            {{ adapter.dispatch('read_raw_lines', 'usage_analytics')(raw_dir, paths, spec) }}
        {%- elif spec.reader == 'files' -%}
            {{ adapter.dispatch('read_raw_files', 'usage_analytics')(raw_dir, paths, spec) }}
        {%- else -%}
            {{ adapter.dispatch('read_raw_csv', 'usage_analytics')(raw_dir, paths, spec) }}
        {%- endif -%}
        )
    {%- endif -%}
{% endmacro %}

{#- The files matching a glob under the raw data directory, relative to it, sorted. At parse
    time (no database yet) one placeholder name keeps the reader SQL well-formed. -#}
{% macro raw_files(raw_dir, glob) %}
    {%- if not execute -%}{{ return([glob]) }}{%- endif -%}
    {{ return(adapter.dispatch('raw_files', 'usage_analytics')(raw_dir, glob)) }}
{% endmacro %}

{% macro default__raw_files(raw_dir, glob) %}
    {%- set result = run_query("select file from glob(" ~ sql_string(raw_dir ~ "/" ~ glob) ~ ") order by file") -%}
    {%- set files = [] -%}
    {%- for file in result.columns[0].values() -%}
        {%- do files.append(file[raw_dir | length + 1:]) -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}

{% macro loaded_file_names(relation) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {{ return(run_query("select distinct file_name from " ~ relation).columns[0].values() | list) }}
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
        cast(null as {{ 'bigint' if column == 'line_number' else 'string' }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{% endmacro %}

{#- DuckDB: each physical line as text with its 1-based number, deterministic. Plain files are
    read whole (read_blob, decoded as UTF-8) and split on \n: a UTF-8 byte-order mark is dropped,
    a \r before the \n too, and the empty text after the last \n is not a line. A file that is
    not valid UTF-8 (a line cut inside a character, a Latin-1 name) is split in its escaped form
    (every byte outside printable ASCII as \xNN, \n as \x0A, a backslash as \x5C: the split is
    exact) and each line decoded on its own: the valid lines read as text, a line that is not
    UTF-8 keeps its escaped text and is quarantined as invalid_json (JSON text is UTF-8, RFC 8259)
    instead of read_text's error stopping the build (the cost: a file's bytes and its text are
    held together while it is split; staging at 1M pings peaked at 6.8 GB instead of 4.2 GB, with
    about the same CPU). The files are dealt round-robin into one
    read_blob per DuckDB thread, in a UNION ALL: one read_blob hands its files, one after the
    other, to a single thread, and one per file would hold every file in memory at once.
    Gzip files go through the CSV reader, which decompresses, skips the mark and detects
    \r\n, with no delimiter (an empty one: any delimiter character would cut a line that holds
    it, and the valid JSON before it would pass), quote or escape: one scan per file, numbered
    WITH ORDINALITY. (A window over a multi-file scan would number lines in whatever order the
    threads deliver.) Known limit: unlike the plain-file split, the CSV reader also ends a line
    at a lone \r (one not before a \n), so a gzip line holding one is read as two lines and the
    numbers after it in that file are one higher (GitLab's exporter writes no raw \r: JSON
    escapes it inside strings). The CSV reader's line limit is raised from 2 MB to 32 MB (its
    buffer must be larger: 64 MB per gzip scan; measured on 26 gzip files of 20,000 pings: the
    same time and memory): a payload over 2 MB stopped the build; one over 32 MB still does,
    with DuckDB's error naming the file (plain files have no such limit), as does a gzip file
    that is not valid UTF-8 (the CSV reader decodes the whole file). -#}
{% macro duckdb__read_raw_lines(raw_dir, paths, spec) %}
    {%- set plain, gzipped = [], [] -%}
    {%- for path in paths -%}
        {%- do (gzipped if path.endswith('.gz') else plain).append(path) -%}
    {%- endfor -%}
    {%- set readers = [env_var('DUCKDB_THREADS', '2') | int, plain | length] | min -%}
    {%- for reader in range(readers) %}
    {{ 'union all' if not loop.first }}
    select
        file_name,
        line_number,
        case when suffix(line, chr(13)) then rtrim(line, chr(13)) else line end as line
    from (
        select
            file_name,
            generate_subscripts(lines, 1) as line_number,
            unnest(lines) as line,
            len(lines) as line_count
        from (
            select
                file_name,
                case
                    when text is not null then string_split({{ without_byte_order_mark('text') }}, chr(10))
                    -- not UTF-8 (rare): split the escaped bytes, decode each line on its own
                    else list_transform(
                        string_split(
                            regexp_replace(cast(undecoded as varchar), '^\\xEF\\xBB\\xBF', ''), '\x0A'
                        ),
                        lambda escaped: coalesce(try(decode(cast(escaped as blob))), escaped)
                    )
                end as lines
            from (
                select
                    file_name,
                    text,
                    -- the bytes are kept only where they do not decode
                    case when text is null then content end as undecoded
                from (
                    select
                        replace(filename, {{ sql_string(raw_dir ~ '/') }}, '') as file_name,
                        try(decode(content)) as text,
                        content
                    from read_blob({{ sql_string_list(plain[reader::readers]) }})
                ) as read_files
            ) as decoded_files
        ) as files
    ) as split_lines
    where not (line_number = line_count and line = '')
    {%- endfor %}
    {%- for path in gzipped %}
    {{ 'union all' if readers > 0 or not loop.first }}
    select
        {{ sql_string(path[raw_dir | length + 1:]) }} as file_name,
        ordinality as line_number,
        line
    from read_csv(
        {{ sql_string(path) }},
        columns = {'line': 'varchar'},
        header = false, delim = '', quote = '', escape = '',
        auto_detect = false, strict_mode = false,
        max_line_size = 33554432, buffer_size = 67108864
    ) with ordinality
    {%- endfor %}
{% endmacro %}

{#- Text as an SQL string literal: a path or a file name may hold a quote (spark__ in
    macros/spark/raw_input.sql escapes with backslashes, as Spark SQL reads them). -#}
{% macro sql_string(value) %}
    {{- return(adapter.dispatch('sql_string', 'usage_analytics')(value)) -}}
{% endmacro %}

{% macro default__sql_string(value) %}
    {{- "'" ~ value.replace("'", "''") ~ "'" -}}
{% endmacro %}

{#- ['a', 'b'] -#}
{% macro sql_string_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}{%- do quoted.append(sql_string(value)) -%}{%- endfor -%}
    [{{ quoted | join(', ') }}]
{% endmacro %}

{#- A file that is not UTF-8 (rare) is its escaped bytes (`\xE9`), never an error: a manual
    upload then is not JSON and is quarantined, a license usage export reads its ASCII keys. -#}
{% macro duckdb__read_raw_files(raw_dir, paths, spec) %}
    select
        replace(filename, {{ sql_string(raw_dir ~ '/') }}, '') as file_name,
        coalesce(try(decode(content)), cast(content as varchar)) as content
    from read_blob({{ sql_string_list(paths) }})
{% endmacro %}

{#- CSVs: all text, columns by header name; a column the file lacks (optional ones such as
    subscriptions.namespace_id, version_effective_date, licenses' license_sha256) becomes NULL. -#}
{% macro duckdb__read_raw_csv(raw_dir, paths, spec) %}
    {%- set header = run_query("select * from read_csv(" ~ sql_string_list(paths) ~ ", all_varchar = true, header = true) limit 0").column_names if execute else spec.columns -%}
    select
    {%- for column in spec.columns %}
        {% if column in header %}{{ column }}{% else %}cast(null as varchar){% endif %} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from read_csv({{ sql_string_list(paths) }}, all_varchar = true, header = true)
{% endmacro %}
