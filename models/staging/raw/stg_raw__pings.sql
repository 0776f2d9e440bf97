{{ config(materialized='table') }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
{%- set envelope_fields = ['id', 'received_at', 'source_ip'] -%}

with

automatic_lines as (
    select * from {{ raw_input('pings') }}
),

manual_files as (
    select * from {{ raw_input('manual_uploads') }}
),

lines as (
    select
        'automatic' as upload_method,
        file_name,
        cast(line_number as bigint) as line_number,
        trim(replace(line, chr(13), '')) as raw_line
    from automatic_lines
    union all
    select
        'manual' as upload_method,
        file_name,
        cast(1 as bigint) as line_number,
        trim(replace(content, chr(13), '')) as raw_line
    from manual_files
),

documents as (
    select
        *,
        case when {{ json_is_valid('raw_line') }} then cast(raw_line as json) end as document
    from lines
),

envelopes as (
    select
        *,
        {{ json_type_of('document') }} as document_type,
        case
            when upload_method = 'manual' then document
            else json_extract(document, '$.payload')
        end as payload,
        {{ json_extract_many('document', envelope_fields) }} as envelope_values
    from documents
),

extracted as (
    select
        *,
        {{ json_type_of('payload') }} as payload_type,
        {{ json_extract_many('payload', ping_payload_fields()) }} as payload_values,
        {{ json_extract_many('payload', catalog | map(attribute='key_path') | list) }} as metric_values
    from envelopes
),

typed as (
    select
        -- lineage of the raw line
        file_name,
        line_number,
        upload_method,
        raw_line,
        document is not null as is_valid_json,
        document_type,
        payload_type,

        -- envelope (manual uploads: id from the content, received = recorded)
        case
            when upload_method = 'manual' then {{ content_id('raw_line') }}
            else try_cast({{ json_text(json_list_item('envelope_values', 0)) }} as bigint)
        end as ping_id,
        {{ json_text(json_list_item('envelope_values', 1)) }} as received_at_text,
        {{ json_text(json_list_item('envelope_values', 2)) }} as source_ip,

        -- instance
        {{ json_text(payload_field('uuid')) }} as uuid,
        {{ json_text(payload_field('hostname')) }} as hostname,
        {{ json_text(payload_field('version')) }} as gitlab_version,
        {{ json_text(payload_field('edition')) }} as edition,
        {{ json_text(payload_field('installation_type')) }} as installation_type,
        {{ json_text(payload_field('recorded_at')) }} as recorded_at_text,

        -- license
        lower({{ json_text(payload_field('license_md5')) }}) as license_md5,
        lower({{ json_text(payload_field('license_sha256')) }}) as license_sha256,
        {{ json_text(payload_field('license_id')) }} as license_id,
        lower({{ json_text(payload_field('license_plan')) }}) as license_plan,
        {{ parse_boolean(json_text(payload_field('license_trial'))) }} as is_trial_license,
        {{ parse_date(json_text(payload_field('license_starts_at'))) }} as license_starts_at,
        {{ parse_date(json_text(payload_field('license_expires_at'))) }} as license_expires_at,

        -- licensee: personal data, never selected outside staging (the domain may leave)
        {{ json_text(payload_field('licensee.Name')) }} as licensee_name,
        {{ json_text(payload_field('licensee.Email')) }} as licensee_email,
        {{ json_text(payload_field('licensee.Company')) }} as licensee_company,

        -- user counts (negative sentinels are NULL, never 0)
        cast({{ metric_value(payload_field('license_user_count')) }} as bigint) as license_user_count,
        cast({{ metric_value(payload_field('license_billable_users')) }} as bigint) as billable_users,
        cast({{ metric_value(payload_field('historical_max_users')) }} as bigint) as historical_max_users,
        cast({{ metric_value(payload_field('active_user_count')) }} as bigint) as active_user_count,

        -- catalog metrics, as the JSON value sent (typed downstream by metric_value/metric_status)
        {{ catalog_json_columns('metric_values', catalog) }}
    from extracted
),

timed as (
    select
        *,
        {{ parse_timestamp_utc('recorded_at_text') }} as recorded_at,
        case
            when upload_method = 'manual' then {{ parse_timestamp_utc('recorded_at_text') }}
            else {{ parse_timestamp_utc('received_at_text') }}
        end as received_at
    from typed
),

final as (
    select
        *,
        lower(nullif(split_part(licensee_email, '@', 2), '')) as licensee_email_domain,
        coalesce(recorded_at, received_at) as ping_at,
        {{ version_part('gitlab_version', 'major') }} as version_major,
        {{ version_part('gitlab_version', 'minor') }} as version_minor,
        {{ version_part('gitlab_version', 'patch') }} as version_patch,
        {{ version_is_prerelease('gitlab_version') }} as is_prerelease,
        case
            when coalesce(raw_line, '') = '' then 'empty_line'
            when not is_valid_json then 'invalid_json'
            when document_type <> 'OBJECT' then 'not_a_json_object'
            when upload_method = 'automatic' and ping_id is null then 'missing_or_invalid_id'
            when upload_method = 'automatic' and received_at is null then 'missing_or_invalid_received_at'
            when payload_type is null or payload_type <> 'OBJECT' then 'missing_payload'
            when nullif(trim(uuid), '') is null then 'missing_uuid'
            when nullif(trim(hostname), '') is null then 'missing_hostname'
            when recorded_at_text is not null and recorded_at is null then 'unparseable_recorded_at'
            when upload_method = 'manual' and recorded_at is null then 'missing_recorded_at'
            when recorded_at > received_at + interval 1 day then 'recorded_at_after_received_at'
        end as quarantine_reason
    from timed
    -- as-of replay: a ping received after the as-of date has not arrived yet
    where {{ known_as_of('received_at') }}
)

select * from final
