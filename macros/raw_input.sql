{#-
    One way in for raw data (SPEC §2). `raw_input('pings')` is the embedded seed of the same
    shape by default, or the files of `var('raw_data_dir')` when it is set. Every entity has one
    layout, so staging holds one copy of the logic for both:
      lines  -> file_name, line_number, line, damage_reason   (newline-delimited JSON, .gz allowed;
                damage_reason: a damaged file or line, e.g. not_utf8, truncated_gzip, empty_file)
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
                        'version_effective_date'],
            'optional': ['namespace_id', 'version_effective_date']},
        'licenses': {'seed': 'licenses', 'reader': 'csv', 'glob': 'licenses.csv', 'required': false,
            'columns': ['license_md5', 'subscription_id', 'plan', 'users_count', 'starts_at', 'expires_at', 'is_trial', 'created_at',
                        'license_sha256'],
            'optional': ['license_sha256']},
        'license_md5_to_subscription_mapping': {'seed': 'license_md5_to_subscription_mapping', 'reader': 'csv',
            'glob': 'license_md5_to_subscription_mapping.csv', 'required': false,
            'columns': ['license_md5', 'zuora_subscription_id', 'license_sha256'],
            'optional': ['license_sha256']},
        'instance_types': {'seed': 'instance_types', 'reader': 'csv', 'glob': 'instance_types.csv', 'required': false,
            'columns': ['uuid', 'hostname', 'instance_type', 'included_in_health_measure', 'updated_at']},
    }) }}
{% endmacro %}

{#- `loaded_in`: an incremental model's own relation. On an incremental run only files whose
    name is not yet in its `file_name` column are read: a raw file is immutable once it has
    landed (a corrected file lands under a new name; `--full-refresh` reads everything again).
    A line reader reads at most raw_files_per_statement() files; the model's post-hook
    read_remaining_raw_files reads the rest. -#}
{% macro raw_input(entity, loaded_in=none) %}
    {%- set spec = raw_entities()[entity] -%}
    {%- set raw_dir = var('raw_data_dir', '') -%}
    {%- set files_per_statement = raw_files_per_statement() if spec.reader == 'lines' and loaded_in is not none else none -%}
    {%- set continuing = context.get('raw_read_continues') -%}
    {%- if continuing and not files_per_statement -%}
        {#- read whole by the model's first statement -#}
        {{ return('(' ~ adapter.dispatch('empty_raw_relation', 'usage_analytics')(spec) ~ ')') }}
    {%- endif -%}
    {%- set skip_loaded = loaded_in is not none and (continuing or is_incremental()) -%}
    {#- (unit tests run on the embedded sample only: dbt_project.yml disables them on a directory) -#}
    {%- if not raw_dir -%}
        {#- the embedded sample has no damaged file -#}
        {%- set damage = ', cast(null as string) as damage_reason' if spec.reader == 'lines' else '' -%}
        {%- if spec.reader == 'csv' -%}
            {#- a seed has no line numbers: its rows are numbered in the order of their values -#}
            {%- set extras = [] -%}
            {%- for column in csv_extra_columns() -%}{%- do extras.append('cast(null as string) as ' ~ column) -%}{%- endfor -%}
            {%- set damage = ', ' ~ extras | join(', ') ~ ", '" ~ spec.glob ~ "' as file_name, cast(row_number() over (order by "
                ~ spec.columns | join(', ') ~ ") + 1 as bigint) as line_number, cast(null as string) as damage_reason" -%}
        {%- endif -%}
        {%- if skip_loaded -%}
            (select *{{ damage }} from {{ ref(spec.seed) }} where file_name not in (select file_name from {{ loaded_in }}))
        {%- elif damage -%}
            (select *{{ damage }} from {{ ref(spec.seed) }})
        {%- else -%}
            {{ ref(spec.seed) }}
        {%- endif -%}
    {%- else -%}
        {%- set raw_dir = raw_dir.rstrip('/') -%}
        {%- set files = raw_files(raw_dir, spec.glob) -%}
        {%- if execute and not files and spec.required -%}
            {%- if not raw_files(raw_dir, '**') -%}
                {{ exceptions.raise_compiler_error(
                    "raw_data_dir " ~ raw_dir ~ " does not exist or is empty: nothing to read (SPEC §2)") }}
            {%- endif -%}
            {{ exceptions.raise_compiler_error(
                "raw_data_dir " ~ raw_dir ~ ": required input '" ~ spec.glob ~ "' not found (SPEC §2)") }}
        {%- endif -%}
        {%- if skip_loaded -%}
            {%- set loaded = loaded_file_names(loaded_in) -%}
            {%- set files = files | reject('in', loaded) | list -%}
        {%- endif -%}
        {%- if files_per_statement -%}
            {%- set files = files[:files_per_statement] -%}
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

{#- The most raw line files one statement reads. On DuckDB each file's scan keeps its buffers
    until the statement ends (tens of MB a file), so a first load of years of weekly files in one
    statement runs out of memory; var raw_files_per_statement bounds it. None: no bound (the
    embedded sample; Spark's readers stream). -#}
{% macro raw_files_per_statement() %}
    {{ return(adapter.dispatch('raw_files_per_statement', 'usage_analytics')()) }}
{% endmacro %}

{% macro default__raw_files_per_statement() %}
    {{ return(none) }}
{% endmacro %}

{% macro duckdb__raw_files_per_statement() %}
    {%- if not var('raw_data_dir', '') -%}{{ return(none) }}{%- endif -%}
    {%- set files = var('raw_files_per_statement') | string -%}
    {%- if not files.isdigit() or files | int < 1 -%}
        {{ exceptions.raise_compiler_error("var raw_files_per_statement must be a whole number of files, at least 1, not " ~ files) }}
    {%- endif -%}
    {{ return(files | int) }}
{% endmacro %}

{#- Post-hook of a model that reads raw line files of `entity`: the files its statement left
    (more than raw_files_per_statement) are inserted by the model's own SQL rendered again, as
    many files a statement, in which raw_input reads the next files not yet in the table and no
    other input. The statements run in the model's transaction: it lands every file or none. -#}
{% macro read_remaining_raw_files(entity) %}
    {%- set per_statement = raw_files_per_statement() -%}
    {%- if not execute or not per_statement -%}{{ return('') }}{%- endif -%}
    {%- set loaded = loaded_file_names(this) -%}
    {%- set remaining = raw_files(var('raw_data_dir').rstrip('/'), raw_entities()[entity].glob) | reject('in', loaded) | list -%}
    {%- do context.update({'raw_read_continues': true}) -%}
    {%- for _ in range(0, remaining | length, per_statement) -%}
        {%- call statement('read_remaining_raw_files') -%}
            insert into {{ this }} by name select * from (
                {{ render(model.raw_code) }}
            )
        {%- endcall -%}
    {%- endfor -%}
    {%- do context.update({'raw_read_continues': false}) -%}
    {%- if remaining -%}
        {%- do log(model.name ~ ': ' ~ remaining | length ~ ' more raw files read, at most '
                   ~ per_statement ~ ' a statement', info=true) -%}
    {%- endif -%}
    {{ return('') }}
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
        {{ return(['file_name', 'line_number', 'line', 'damage_reason']) }}
    {%- elif spec.reader == 'files' -%}
        {{ return(['file_name', 'content']) }}
    {%- else -%}
        {{ return(spec.columns + csv_extra_columns() + ['file_name', 'line_number', 'damage_reason']) }}
    {%- endif -%}
{% endmacro %}

{% macro default__empty_raw_relation(spec) %}
    select
    {%- for column in raw_columns(spec) %}
        cast(null as {{ 'bigint' if column == 'line_number' else 'string' }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{% endmacro %}

{#- DuckDB: each physical line as text with its 1-based number, deterministic, in memory bounded
    by the longest line, never by the file: one streaming CSV scan per file (no delimiter,
    quote or escape: a line is one column), numbered WITH ORDINALITY (a window over a
    multi-file scan would number lines in whatever order the threads deliver). The scan
    decompresses .gz, skips a byte-order mark, reads \r\n as \n, and ends no line early: its
    line limit is raised to the file's longest line.
    The scan cannot catch its own errors, so each file is inspected first (stg_raw__files, one
    streamed pass) and read by what it is:
      - a healthy file (UTF-8, no lone \r): the scan as above;
      - bytes that are not UTF-8 (a line cut inside a character, a Latin-1 name): the scan
        decodes every byte as Latin-1 and each line that is not ASCII gets its original bytes
        back and is decoded as UTF-8; a line that does not decode keeps its bytes escaped
        (\xNN) and is marked not_utf8, the file's other lines are read;
      - a plain file with a \r that does not end a line (the scan would end a line there and
        shift every number after it): read whole and split on \n, exact (memory: that file);
        a gzip file with one keeps the shift (known limit, GitLab's exporter writes no raw \r);
      - a zero-byte file, a gzip stream that does not decompress, a file that cannot be read:
        one row for the file with its damage_reason (and the line where it was found);
      - a gzip stream cut short (a collector that died mid-write): its complete lines are read
        from a plain salvage copy, and the cut line is one row with damage_reason
        truncated_gzip.
    A file the inventory does not know (dbt source freshness) is read as not UTF-8 (never an
    error on bytes).
    A scan with its line numbers is one thread: a parse of many files runs their scans side by
    side, but a build that reads fewer files than DuckDB has threads (a weekly build: one file)
    would parse its lines on one thread. Such a read holds the lines first (a materialized CTE),
    so that the parse after it runs on every thread, when they fit in a quarter of DuckDB's
    memory limit (lines x longest line, from the inventory); otherwise it streams. -#}
{% macro duckdb__read_raw_lines(raw_dir, paths, spec) %}
    {%- set inventory = raw_line_file_inventory(raw_dir, paths) -%}
    {%- set union -%}
    {%- for path in paths %}
    {%- set file_name = path[raw_dir | length + 1:] -%}
    {%- set file = inventory.get(file_name, {'is_utf8': false}) %}
    {{ 'union all' if not loop.first }}
    {%- if file.get('damage_reason') and file.get('damage_reason') != 'truncated_gzip' %}
    select
        {{ sql_string(file_name) }} as file_name,
        cast({{ file.damage_line_number if file.damage_line_number is not none else 'null' }} as bigint) as line_number,
        cast(null as varchar) as line,
        {{ sql_string(file.damage_reason) }} as damage_reason
    {%- elif file.get('damage_reason') == 'truncated_gzip' %}
    {%- if file.salvage_path %}
    {{ duckdb__read_line_file(file.salvage_path, file_name, file) }}
    union all
    {%- endif %}
    select
        {{ sql_string(file_name) }} as file_name,
        cast({{ file.damage_line_number }} as bigint) as line_number,
        cast(null as varchar) as line,
        'truncated_gzip' as damage_reason
    {%- elif file.get('has_lone_carriage_return') and not path.endswith('.gz') %}
    {{ duckdb__read_whole_line_file(raw_dir, path) }}
    {%- else %}
    {{ duckdb__read_line_file(path, file_name, file) }}
    {%- endif %}
    {%- endfor %}
    {%- endset -%}
    {%- if lines_held_for_parallel_parse(paths, inventory) %}
    with scanned_lines as materialized ({{ union }}
    )
    select * from scanned_lines
    {%- else %}
    {{ union }}
    {%- endif %}
{% endmacro %}

{#- Whether a read of these line files holds their lines before the parse (duckdb__read_raw_lines):
    fewer files than DuckDB's threads, every one in the inventory, and their text (lines x
    longest line, an upper bound) at most a quarter of the memory limit. -#}
{% macro lines_held_for_parallel_parse(paths, inventory) %}
    {%- if not execute or not paths or paths | length != inventory | length -%}{{ return(false) }}{%- endif -%}
    {%- set setting = run_query("select current_setting('threads'), current_setting('memory_limit')").rows[0] -%}
    {%- if paths | length >= setting[0] | int -%}{{ return(false) }}{%- endif -%}
    {%- set limit = setting[1].split(' ') -%}
    {%- set units = {'bytes': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3, 'TiB': 1024 ** 4} -%}
    {%- set limit_bytes = (limit[0] | float) * units.get(limit[1], 0) -%}
    {%- set text_bytes = [] -%}
    {%- for file in inventory.values() -%}
        {%- do text_bytes.append((file.line_count or 0) * (file.longest_line_bytes or 0)) -%}
    {%- endfor -%}
    {{ return(text_bytes | sum <= limit_bytes / 4) }}
{% endmacro %}

{#- {file_name: inventory row} for the files of this read, from stg_raw__files (empty where it
    is not built: dbt source freshness, parse time). -#}
{% macro raw_line_file_inventory(raw_dir, paths) %}
    {%- set inventory = {} -%}
    {%- if not execute or model is not defined or model.resource_type != 'model' -%}
        {{ return(inventory) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for path in paths -%}{%- do names.append(path[raw_dir | length + 1:]) -%}{%- endfor -%}
    {#- (not built: a selection without it; its files are then read as unknown ones) -#}
    {%- set relation = load_relation(ref('stg_raw__files')) -%}
    {%- if relation is none -%}{{ return(inventory) }}{%- endif -%}
    {%- set result = run_query(
        "select file_name, is_utf8, has_lone_carriage_return, longest_line_bytes, damage_reason,"
        ~ " damage_line_number, salvage_path, line_count from " ~ relation
        ~ " where list_contains(" ~ sql_string_list(names) ~ ", file_name)") -%}
    {%- for row in result.rows -%}
        {%- do inventory.update({row[0]: {
            'is_utf8': row[1], 'has_lone_carriage_return': row[2], 'longest_line_bytes': row[3],
            'damage_reason': row[4], 'damage_line_number': row[5], 'salvage_path': row[6],
            'line_count': row[7]}}) -%}
    {%- endfor -%}
    {{ return(inventory) }}
{% endmacro %}

{#- One file's lines by the streaming CSV scan (see duckdb__read_raw_lines). Latin-1 maps byte
    b to U+00b, which DuckDB holds as C2/C3 + one byte: the escaped form of that text turns back
    into the original bytes by rewriting those pairs (C3 first: its output never starts a C2
    pair, and every byte after a pair is escaped as C2/C3 or is ASCII, below \x80). -#}
{% macro duckdb__read_line_file(path, file_name, file) %}
    {#- the scan keeps buffers of every file of the union until the statement ends: an 8 MB
        floor (16 MB buffers) holds that to tens of MB a file without slowing the scan -#}
    {%- set line_limit = [8388608, (file.get('longest_line_bytes') or 0) + 1024] | max -%}
    {%- set options -%}
        columns = {'line': 'varchar'},
        header = false, delim = '', quote = '', escape = '',
        auto_detect = false, strict_mode = false,
        max_line_size = {{ line_limit }}, buffer_size = {{ 2 * line_limit }}
    {%- endset -%}
    {%- if file.get('is_utf8') %}
    select
        {{ sql_string(file_name) }} as file_name,
        ordinality as line_number,
        -- the scan reads an empty line as NULL: it is the empty text, as the other readers give it
        coalesce(line, '') as line,
        cast(null as varchar) as damage_reason
    from read_csv({{ sql_string(path) }}, {{ options }}) with ordinality
    {%- else %}
    select
        file_name,
        line_number,
        coalesce(case when line_number = 1 then {{ without_byte_order_mark('coalesce(decoded, escaped)') }}
            else coalesce(decoded, escaped) end, '') as line,
        case when line is not null and decoded is null then 'not_utf8' end as damage_reason
    from (
        select
            file_name,
            line_number,
            line,
            case when line is null or strlen(line) = length(line) then line
                else try(decode(cast(escaped as blob))) end as decoded,
            escaped
        from (
            select
                {{ sql_string(file_name) }} as file_name,
                ordinality as line_number,
                line,
                case when strlen(line) <> length(line) then
                    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                        cast(encode(line) as varchar),
                        '\\xC3\\x8', '\\xC', 'g'), '\\xC3\\x9', '\\xD', 'g'),
                        '\\xC3\\xA', '\\xE', 'g'), '\\xC3\\xB', '\\xF', 'g'),
                        '\\xC2(\\x[89AB][0-9A-F])', '\1', 'g')
                end as escaped
            from read_csv({{ sql_string(path) }}, {{ options }}, encoding = 'latin-1') with ordinality
        ) as latin1_lines
    ) as decoded_lines
    {%- endif %}
{% endmacro %}

{#- A plain file read whole (read_blob) and split on \n, exact whatever it holds: a UTF-8
    byte-order mark is dropped, a \r before the \n too, and the empty text after the last \n is
    not a line. A file that does not decode is split in its escaped form (every byte outside
    printable ASCII as \xNN, \n as \x0A, a backslash as \x5C: the split is exact) and each line
    decoded on its own. -#}
{% macro duckdb__read_whole_line_file(raw_dir, path) %}
    select
        file_name,
        line_number,
        case when suffix(line, chr(13)) then rtrim(line, chr(13)) else line end as line,
        case when not is_utf8 then 'not_utf8' end as damage_reason
    from (
        select
            file_name,
            line_number,
            coalesce(try(decode(cast(line as blob))), line) as line,
            try(decode(cast(line as blob))) is not null as is_utf8
        from (
            select
                file_name,
                generate_subscripts(lines, 1) as line_number,
                unnest(lines) as line,
                len(lines) as line_count
            from (
                select
                    replace(filename, {{ sql_string(raw_dir ~ '/') }}, '') as file_name,
                    string_split(regexp_replace(cast(content as varchar), '^\\xEF\\xBB\\xBF', ''), '\x0A') as lines
                from read_blob({{ sql_string(path) }})
            ) as files
        ) as split_lines
        where not (line_number = line_count and line = '')
    ) as decoded_lines
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

{#- CSVs: all text, columns by header name, with each row's file_name and line_number (the
    header is line 1; a quoted field that spans lines makes the numbers after it count records,
    not lines) and damage_reason. Row by row, never a stopped build: the dialect is fixed (comma,
    RFC 4180 quotes), so a bad row cannot change how the others are read; a row with fewer fields
    than the header has NULL in the missing ones (an empty field is ''), one with more keeps them
    in extra columns (a staging model rejects both); a file that is not UTF-8 is read as Latin-1
    and each value's bytes restored (a value that does not decode: damage_reason not_utf8).
    Structural problems stop the build with the file and the problem named: a required column
    missing from the header, a zero-byte required file. A zero-byte optional file is one row
    with damage_reason empty_file. -#}
{% macro csv_extra_columns() %}
    {{ return(['extra_field_1', 'extra_field_2', 'extra_field_3', 'extra_field_4']) }}
{% endmacro %}

{% macro duckdb__read_raw_csv(raw_dir, paths, spec) %}
    {%- set inventory = raw_line_file_inventory(raw_dir, paths) -%}
    {%- for path in paths %}
    {%- set file_name = path[raw_dir | length + 1:] -%}
    {%- set file = inventory.get(file_name, {'is_utf8': true}) -%}
    {%- set encoding = 'utf-8' if file.get('is_utf8') else 'latin-1' -%}
    {{ 'union all' if not loop.first }}
    {%- if file.get('damage_reason') == 'empty_file' %}
    {%- if spec.required %}
        {{ exceptions.raise_compiler_error("raw_data_dir " ~ raw_dir ~ ": " ~ file_name ~ " is empty (zero bytes, no header): a required input (SPEC §2)") }}
    {%- endif %}
    select
    {%- for column in spec.columns + csv_extra_columns() %}
        cast(null as varchar) as {{ column }},
    {%- endfor %}
        {{ sql_string(file_name) }} as file_name,
        cast(null as bigint) as line_number,
        'empty_file' as damage_reason
    {%- else %}
    {%- set header = csv_header(path, encoding) if execute else spec.columns -%}
    {%- do require_csv_columns(raw_dir, file_name, header, spec) -%}
    {%- set file_columns = [] -%}
    {%- for column in header -%}
        {%- do file_columns.append(column if column in spec.columns and column not in file_columns else 'unused_field_' ~ loop.index) -%}
    {%- endfor -%}
    {%- set read_columns = file_columns + csv_extra_columns() -%}
    {%- set columns_struct -%}
        { {%- for column in read_columns %}{{ sql_string(column) }}: 'varchar'{{ ', ' if not loop.last }}{% endfor -%} }
    {%- endset %}
    select
    {%- for column in spec.columns + csv_extra_columns() %}
        {% if column in read_columns -%}
        {%- if encoding == 'utf-8' %}{{ column }}{% else %}coalesce(try(decode(cast(escaped_{{ column }} as blob))), escaped_{{ column }}, {{ column }}){% endif -%}
        {%- else %}cast(null as varchar){% endif %} as {{ column }},
    {%- endfor %}
        {{ sql_string(file_name) }} as file_name,
        cast(ordinality + 1 as bigint) as line_number,
        case
        {%- if encoding != 'utf-8' %}
            when false
            {%- for column in spec.columns + csv_extra_columns() if column in read_columns %}
                or (escaped_{{ column }} is not null and try(decode(cast(escaped_{{ column }} as blob))) is null)
            {%- endfor %}
                then 'not_utf8'
        {%- endif %}
            -- fewer fields than the header (the missing ones are NULL, an empty one is ''), or more
            when {{ file_columns[-1] }} is null then 'missing_fields'
            when {{ csv_extra_columns() | join(' is not null or ') }} is not null then 'too_many_fields'
        end as damage_reason
    from (
        select
            *
            {%- if encoding != 'utf-8' %}
            {%- for column in spec.columns + csv_extra_columns() if column in read_columns %},
            {{ latin1_bytes_escaped(column) }} as escaped_{{ column }}
            {%- endfor %}
            {%- endif %}
        from read_csv(
            {{ sql_string(path) }},
            columns = {{ columns_struct }},
            header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
            null_padding = true, strict_mode = false, nullstr = chr(1), encoding = '{{ encoding }}'
        ) with ordinality
    ) as csv_rows
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- A CSV file whose header lacks a required column of its entity stops the build, naming the
    file, the missing columns and the header found (both engines' readers call it). -#}
{% macro require_csv_columns(raw_dir, file_name, header, spec) %}
    {%- set required = spec.columns | reject('in', spec.get('optional', [])) | list -%}
    {%- set missing = required | reject('in', header) | list -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_dir " ~ raw_dir ~ ": " ~ file_name ~ " has no column " ~ missing | join(', ')
            ~ " in its header (found: " ~ header | join(', ') ~ "); required: " ~ required | join(', ')
            ~ " (SPEC §2)") }}
    {%- endif -%}
{% endmacro %}

{#- The header of a CSV file: its first line split on commas, a byte-order mark, quotes and
    surrounding blanks dropped. -#}
{% macro csv_header(path, encoding) %}
    {%- set first = run_query(
        "select line from read_csv(" ~ sql_string(path) ~ ", columns = {'line': 'varchar'}, header = false,"
        ~ " delim = '', quote = '', escape = '', auto_detect = false, strict_mode = false, encoding = '"
        ~ encoding ~ "') limit 1") -%}
    {%- set line = (first.rows[0][0] if first.rows else '') or '' -%}
    {%- set names = [] -%}
    {%- for name in line.replace('\ufeff', '').split(',') -%}
        {%- do names.append(name.strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}

{#- A text read as Latin-1 (byte b is U+00b), as its original bytes escaped (\xNN), NULL when
    it is ASCII (see duckdb__read_line_file). -#}
{% macro latin1_bytes_escaped(text) %}
    case when strlen({{ text }}) <> length({{ text }}) then
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            cast(encode({{ text }}) as varchar),
            '\\xC3\\x8', '\\xC', 'g'), '\\xC3\\x9', '\\xD', 'g'),
            '\\xC3\\xA', '\\xE', 'g'), '\\xC3\\xB', '\\xF', 'g'),
            '\\xC2(\\x[89AB][0-9A-F])', '\1', 'g')
    end
{% endmacro %}
