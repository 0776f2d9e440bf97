{#- Spark readers of a raw data directory (macros/raw_input.sql has the DuckDB ones; same
    relation shapes, same semantics). Every read is a direct file query (`text.`dir``,
    `csv.`file``) with its options in a WITH clause, so a staging view holds the file list
    and options, like DuckDB's. The directory is listed with the `binaryFile` source, which
    reads no content when only the path is selected; Spark's file index ignores names that
    start with `_` or `.` (hidden files), as it does everywhere. -#}

{#- Relative name -> the URI Spark's readers report as `_metadata.file_path` (URL-encoded),
    for every file under raw_dir. `path` (decoded) gives the name relative to raw_dir: raw_dir
    and path are compared without their scheme (`file:`, `s3a://`) and leading slashes; a
    relative raw_dir is found inside the absolute path Spark reports. -#}
{% macro spark__raw_listing(raw_dir) %}
    {%- set result = run_query(
        "select path, _metadata.file_path from binaryFile.`" ~ raw_dir.replace('`', '``') ~ "`"
        ~ " with ('recursiveFileLookup' = 'true')") -%}
    {%- set unrooted = '^([A-Za-z][A-Za-z0-9+.-]*:)?(\\./)*/*' -%}
    {%- set root = modules.re.sub(unrooted, '', raw_dir) -%}
    {%- set listing = {} -%}
    {%- for row in result.rows -%}
        {%- set path = '/' ~ modules.re.sub(unrooted, '', row[0]) -%}
        {%- if path.startswith('/' ~ root ~ '/') -%}
            {%- set file = path[root | length + 2:] -%}
        {%- elif ('/' ~ root ~ '/') in path -%}
            {%- set file = path.split('/' ~ root ~ '/', 1)[1] -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error("raw_data_dir " ~ raw_dir ~ ": cannot tell the name of " ~ row[0]
                ~ " relative to it; give raw_data_dir as an absolute path or a URI") }}
        {%- endif -%}
        {%- do listing.update({file: row[1]}) -%}
    {%- endfor -%}
    {{ return(listing) }}
{% endmacro %}

{#- The glob is matched in Jinja against the listing: `*` and `?` never cross a `/` (as in
    DuckDB's glob). A missing directory or file is simply not listed. -#}
{% macro spark__raw_files(raw_dir, glob) %}
    {%- set pattern = modules.re.escape(glob).replace('\\*', '[^/]*').replace('\\?', '[^/]') -%}
    {%- set files = [] -%}
    {%- for file in spark__raw_listing(raw_dir) -%}
        {%- if modules.re.fullmatch(pattern, file) -%}{%- do files.append(file) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(files | sort) }}
{% endmacro %}

{% macro spark__sql_string(value) %}
    {{- "'" ~ value.replace('\\', '\\\\').replace("'", "\\'") ~ "'" -}}
{% endmacro %}

{#- file_name, content: each listed file read whole (`wholetext`; gzip is decompressed by its
    extension). The scan is over the files' directory; the filter on `_metadata.file_path`
    prunes the scan to exactly the given files (no glob, so any character in a name is safe). -#}
{% macro spark__raw_text_files(raw_dir, paths) %}
    {%- set listing = spark__raw_listing(raw_dir) if execute else {} -%}
    {%- set files, directories, uris, names = [], [], [], [] -%}
    {%- for path in paths -%}
        {%- set file = path[raw_dir | length + 1:] -%}
        {%- do directories.append(file.rsplit('/', 1)[0] if '/' in file else '') -%}
        {%- do uris.append(spark__sql_string(listing[file] if execute else file)) -%}
        {%- do names.append(uris[-1] ~ ', ' ~ spark__sql_string(file)) -%}
    {%- endfor -%}
    {%- set directory = raw_dir ~ ('/' ~ directories[0] if directories | unique | list | length == 1 and directories[0] else '') -%}
    select
        map({{ names | join(', ') }})[_metadata.file_path] as file_name,
        value as content
    from text.`{{ directory.replace('`', '``') }}` with ('wholetext' = 'true', 'recursiveFileLookup' = 'true')
    where _metadata.file_path in ({{ uris | join(', ') }})
{% endmacro %}

{% macro spark__read_raw_files(raw_dir, paths, spec) %}
    {{ spark__raw_text_files(raw_dir, paths) }}
{% endmacro %}

{#- Each physical line with its 1-based number, deterministic: a file's text is split on \n
    and posexplode keeps each line's position in its file, whatever the parallelism. A UTF-8
    byte-order mark is dropped, trailing \r too, and the empty text after the last \n is not a
    line (as duckdb__read_raw_lines). -#}
{% macro spark__read_raw_lines(raw_dir, paths, spec) %}
    select
        file_name,
        cast(position + 1 as bigint) as line_number,
        trim(trailing chr(13) from line) as line,
        cast(null as string) as damage_reason
    from (
        select
            file_name,
            size(lines) as line_count,
            posexplode(lines) as (position, line)
        from (
            select
                file_name,
                split({{ without_byte_order_mark('content') }}, chr(10), -1) as lines
            from ({{ spark__raw_text_files(raw_dir, paths) }}) as files
        ) as files
    ) as split_lines
    where not (position + 1 = line_count and line = '')
{% endmacro %}

{#- CSVs: all text (no schema inference), columns by header name; a column the file lacks
    becomes NULL. RFC 4180 quoting (a quote is escaped by doubling it, quoted fields may span
    lines); a malformed row (a field count other than the header's) fails the read (FAILFAST)
    instead of being padded or cut - DuckDB's reader rejects that row only (missing_fields,
    too_many_fields): a documented difference. A required column missing from the header stops
    the build naming the file, as on DuckDB; each row gets its file_name and line_number. -#}
{% macro spark__read_raw_csv(raw_dir, paths, spec) %}
    {%- for path in paths %}
    {%- set file_name = path[raw_dir | length + 1:] -%}
    {%- set source = "csv.`" ~ path.replace('`', '``') ~ "` with ('header' = 'true', 'multiLine' = 'true', 'escape' = '\"', 'mode' = 'FAILFAST')" -%}
    {%- set header = run_query("select * from " ~ source ~ " limit 0").column_names if execute else spec.columns %}
    {%- do require_csv_columns(raw_dir, file_name, header, spec) %}
    {{ 'union all' if not loop.first }}
    select
    {%- for column in spec.columns %}
        {% if column in header %}`{{ column }}`{% else %}cast(null as string){% endif %} as {{ column }},
    {%- endfor %}
    {%- for column in csv_extra_columns() %}
        cast(null as string) as {{ column }},
    {%- endfor %}
        {{ sql_string(file_name) }} as file_name,
        -- one file is one task (multiLine files are not split): the ids follow the file's order
        cast(row_number() over (order by monotonically_increasing_id()) + 1 as bigint) as line_number,
        cast(null as string) as damage_reason
    from {{ source }}
    {%- endfor %}
{% endmacro %}
