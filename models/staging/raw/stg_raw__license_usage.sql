with

source as (
    select * from {{ raw_input('license_usage') }}
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

header_ends as (
    select
        file_name,
        min(line_number) as blank_line_number
    from split_lines
    where line = ''
    group by file_name
),

headers as (
    select
        split_lines.file_name,
        max(case when split_lines.line_key = 'License Key' then split_lines.line_value end) as license_key,
        max(case when split_lines.line_key = 'Email' then split_lines.line_value end) as licensee_email,
        max(case when split_lines.line_key = 'Company' then split_lines.line_value end) as licensee_company,
        max(case when split_lines.line_key = 'License Start Date' then split_lines.line_value end)
            as license_start_text,
        max(case when split_lines.line_key = 'License End Date' then split_lines.line_value end) as license_end_text,
        max(case when split_lines.line_key = 'Generated At' then split_lines.line_value end) as generated_at_text
    from split_lines
    inner join header_ends on split_lines.file_name = header_ends.file_name
    where split_lines.line_number < header_ends.blank_line_number
    group by split_lines.file_name
),

table_headers as (
    select
        split_lines.file_name,
        min(split_lines.line_number) as table_header_line_number,
        min(split_lines.line_value) as count_column
    from split_lines
    inner join header_ends on split_lines.file_name = header_ends.file_name
    where split_lines.line_number > header_ends.blank_line_number and split_lines.line_key = 'Date'
    group by split_lines.file_name
),

usage_rows as (
    select
        split_lines.file_name,
        split_lines.line_number,
        table_headers.count_column,
        {{ parse_date('split_lines.line_key') }} as usage_date,
        try_cast(split_lines.line_value as integer) as billable_users
    from split_lines
    inner join table_headers on split_lines.file_name = table_headers.file_name
    where split_lines.line_number > table_headers.table_header_line_number and split_lines.line <> ''
),

final as (
    select
        -- ids
        usage_rows.file_name,
        usage_rows.line_number,
        {{ md5_hex('headers.license_key') }} as license_md5,

        -- attributes (the e-mail is personal: only its domain is kept)
        headers.licensee_company,
        lower(nullif(split_part(headers.licensee_email, '@', 2), '')) as licensee_email_domain,
        usage_rows.count_column,
        {{ parse_date('headers.license_start_text') }} as license_starts_at,
        {{ parse_date('headers.license_end_text') }} as license_expires_at,
        {{ parse_timestamp_utc('headers.generated_at_text') }} as generated_at,

        -- measures
        usage_rows.usage_date,
        usage_rows.billable_users,
        usage_rows.usage_date is not null and usage_rows.billable_users >= 0 as is_valid_row
    from usage_rows
    inner join headers on usage_rows.file_name = headers.file_name
)

select * from final
