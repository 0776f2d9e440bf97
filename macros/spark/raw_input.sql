{#- Spark readers of a raw data directory (macros/raw_input.sql has the DuckDB ones; same
    relation shapes, same semantics). Every read is a direct file query (`text.`dir``,
    `csv.`file``) with its options in a WITH clause, so a staging view holds the file list
    and options, like DuckDB's. The directory is listed with the `binaryFile` source, which
    reads no content when only the path is selected; Spark's file index ignores names that
    start with `_` or `.` (hidden files), as it does everywhere. -#}

{#- Relative name -> {'uri': the URI Spark's readers report as `_metadata.file_path`
    (URL-encoded)} for every file under raw_dir (a zero-byte file is not listed: Spark's file
    sources make no split of it). `path` (decoded) gives the name relative to raw_dir: raw_dir
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
        {%- do listing.update({file: {'uri': row[1]}}) -%}
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

{#- A `text` scan of exactly the listed files: `select <file_name>, <columns> from text.`dir``
    with the given options. The scan is over the files' directory; the filter on
    `_metadata.file_path` prunes it to exactly the given files (no glob, so any character in a
    name is safe), and a map turns the URI back into the name relative to raw_dir. -#}
{% macro spark__raw_text_scan(raw_dir, paths, columns, options) %}
    {%- set listing = spark__raw_listing(raw_dir) if execute else {} -%}
    {%- set directories, uris, names = [], [], [] -%}
    {%- for path in paths -%}
        {%- set file = path[raw_dir | length + 1:] -%}
        {%- do directories.append(file.rsplit('/', 1)[0] if '/' in file else '') -%}
        {%- do uris.append(spark__sql_string(listing[file].uri if execute else file)) -%}
        {%- do names.append(uris[-1] ~ ', ' ~ spark__sql_string(file)) -%}
    {%- endfor -%}
    {%- set directory = raw_dir ~ ('/' ~ directories[0] if directories | unique | list | length == 1 and directories[0] else '') -%}
    select
        map({{ names | join(', ') }})[_metadata.file_path] as file_name,
        {{ columns }}
    from text.`{{ directory.replace('`', '``') }}` with ({{ options }}, 'recursiveFileLookup' = 'true')
    where _metadata.file_path in ({{ uris | join(', ') }})
{% endmacro %}

{#- Text with bytes that are not UTF-8 as DuckDB shows a blob: printable ASCII as itself, every
    other byte (and " ' \) as \xNN; valid text is returned as it is. -#}
{% macro spark__text_or_escaped_bytes(text) %}
    case when is_valid_utf8({{ text }}) then {{ text }} else array_join(transform(
        regexp_extract_all(hex(cast({{ text }} as binary)), '(..)', 1),
        byte -> case when byte between '20' and '7E' and byte not in ('22', '27', '5C')
            then chr(cast(conv(byte, 16, 10) as int)) else concat('\\x', byte) end), '') end
{% endmacro %}

{#- file_name, content: each listed file read whole (`wholetext`; gzip is decompressed by its
    extension): a manual upload or a license usage export is one document. -#}
{% macro spark__read_raw_files(raw_dir, paths, spec) %}
    {{ spark__raw_text_scan(raw_dir, paths, spark__text_or_escaped_bytes('value') ~ ' as content', "'wholetext' = 'true'") }}
{% endmacro %}

{#- Each physical line with its 1-based number, read in splits: Spark's `text` source cuts a
    plain file into blocks of spark.sql.files.maxPartitionBytes read by parallel tasks (a .gz
    file cannot be cut: one task reads it), and no row holds more than one line. A line's number
    is the number of lines in the earlier blocks of its file plus its position in its own block:
    `_metadata.file_block_start` names the block, and monotonically_increasing_id() (the
    partition in its upper bits, the row's position in the partition below) keeps the order of
    the rows inside it. Lines end at \n only (`lineSep`): a \r before it is dropped, a lone \r
    stays in its line, as on DuckDB; a UTF-8 byte-order mark is dropped. A line whose bytes are
    not UTF-8 is kept as its escaped bytes with damage_reason not_utf8, and a listed file with no
    line (an empty gzip stream) is one row with damage_reason empty_file. -#}
{% macro spark__read_raw_lines(raw_dir, paths, spec) %}
    {%- set names = [] -%}
    {%- for path in paths -%}{%- do names.append('(' ~ spark__sql_string(path[raw_dir | length + 1:]) ~ ')') -%}{%- endfor -%}
    with scanned as (
        {{ spark__raw_text_scan(raw_dir, paths,
            '_metadata.file_block_start as block_start, monotonically_increasing_id() as row_id, value as line',
            "'lineSep' = '\\n'") }}
    ),

    blocks as (
        select
            file_name,
            block_start,
            min(row_id) as first_row_id,
            count(*) as line_count
        from scanned
        group by file_name, block_start
    ),

    block_offsets as (
        select
            file_name,
            block_start,
            first_row_id,
            coalesce(sum(line_count) over (
                partition by file_name order by block_start rows between unbounded preceding and 1 preceding
            ), 0) as lines_before
        from blocks
    ),

    numbered as (
        select /*+ broadcast(block_offsets) */
            scanned.file_name,
            block_offsets.lines_before + scanned.row_id - block_offsets.first_row_id + 1 as line_number,
            scanned.line
        from scanned
        inner join block_offsets
            on scanned.file_name = block_offsets.file_name and scanned.block_start = block_offsets.block_start
    ),

    listed_files as (
        select file_name from values {{ names | join(', ') }} as listed (file_name)
    )

    select
        file_name,
        cast(line_number as bigint) as line_number,
        {{ spark__text_or_escaped_bytes('line') }} as line,
        case when not is_valid_utf8(line) then 'not_utf8' end as damage_reason
    from (
        select
            file_name,
            line_number,
            trim(trailing chr(13) from case when line_number = 1 then {{ without_byte_order_mark('line') }} else line end) as line
        from numbered
    ) as lines
    union all
    select
        file_name,
        cast(null as bigint) as line_number,
        cast(null as string) as line,
        'empty_file' as damage_reason
    from listed_files
    where file_name not in (select block_offsets.file_name from block_offsets)
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
