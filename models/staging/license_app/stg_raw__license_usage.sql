with

source as (
    select * from {{ raw_source('license_app', 'license_usage') }}
),

file_lines as (
    {{ explode_lines('source', 'content') }}
),

split_lines as (
    select
        file_name,
        line_number,
        trim(line) as line,
        trim(split_part(line, ',', 1)) as line_key,
        trim(substr(line, position(',' in line) + 1)) as line_value
    from file_lines
),

-- the header block is the file's leading `key,value` lines with a known key (blank lines
-- aside); the first other non-blank line starts the usage table (normally its `Date,...`
-- header). A file whose table starts nowhere has no usage lines.
table_starts as (
    select
        file_name,
        min(case
            when line <> '' and line_key not in (
                    'License Key', 'Email', 'License Start Date', 'License End Date', 'Company', 'Generated At'
                ) then line_number
        end) as table_start_line_number
    from split_lines
    group by file_name
),

headers as (
    select
        split_lines.file_name,
        table_starts.table_start_line_number,
        max(case when split_lines.line_key = 'License Key' then split_lines.line_value end) as license_key,
        max(case when split_lines.line_key = 'Email' then split_lines.line_value end) as licensee_email,
        max(case when split_lines.line_key = 'Company' then split_lines.line_value end) as licensee_company,
        max(case when split_lines.line_key = 'License Start Date' then split_lines.line_value end)
            as license_start_text,
        max(case when split_lines.line_key = 'License End Date' then split_lines.line_value end) as license_end_text,
        max(case when split_lines.line_key = 'Generated At' then split_lines.line_value end) as generated_at_text,
        -- the usage table's header names the count column; without it the lines cannot be read
        max(case
            when split_lines.line_number = table_starts.table_start_line_number and split_lines.line_key = 'Date'
                then split_lines.line_value
        end) as count_column
    from split_lines
    inner join table_starts on split_lines.file_name = table_starts.file_name
    where split_lines.line_number <= coalesce(table_starts.table_start_line_number, split_lines.line_number)
    group by split_lines.file_name, table_starts.table_start_line_number
),

-- every non-blank line of the table but its header, each kept (a line that does not read is
-- marked with its reason, never dropped), with its file's header block
usage_rows as (
    select
        split_lines.file_name,
        split_lines.line_number,
        {{ parse_date('split_lines.line_key') }} as usage_date,
        try_cast(split_lines.line_value as integer) as billable_users,
        headers.license_key,
        headers.licensee_email,
        headers.licensee_company,
        headers.license_start_text,
        headers.license_end_text,
        headers.generated_at_text,
        headers.count_column
    from split_lines
    inner join headers on split_lines.file_name = headers.file_name
    where
        split_lines.line <> ''
        and split_lines.line_number >= headers.table_start_line_number
        and not (split_lines.line_number = headers.table_start_line_number and headers.count_column is not null)
),

checked as (
    select
        -- ids
        file_name,
        line_number,
        {{ md5_hex('license_key') }} as license_md5,

        -- attributes (the e-mail is personal: only its domain is kept)
        licensee_company,
        lower(nullif(split_part(licensee_email, '@', 2), '')) as licensee_email_domain,
        count_column,
        {{ parse_date('license_start_text') }} as license_starts_at,
        {{ parse_date('license_end_text') }} as license_expires_at,
        {{ parse_timestamp_utc('generated_at_text') }} as generated_at,

        -- measures
        usage_date,
        billable_users,

        -- why the line is not read (NULL: it is)
        case
            when license_key is null or license_key = '' then 'missing_license_key'
            when count_column is null then 'missing_table_header'
            when usage_date is null then 'unparseable_date'
            when billable_users is null or billable_users < 0 then 'invalid_count'
        end as rejection_reason
    from usage_rows
),

final as (
    select
        *,
        rejection_reason is null as is_valid_row
    from checked
)

select * from final
