{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ read_remaining_raw_files('pings') }}",
) }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
{%- set document_tree = json_tree(ping_document_fields() + catalog_key_paths('payload', catalog)) -%}

with

automatic_lines as (
    select * from {{ raw_source('ping_collector', 'pings', loaded_in=this) }}
),

manual_files as (
    select * from {{ raw_source('ping_collector', 'manual_uploads', loaded_in=this) }}
),

lines as (
    select
        'automatic' as upload_method,
        file_name,
        cast(line_number as bigint) as line_number,
        line as raw_line,
        damage_reason
    from automatic_lines
    union all
    select
        'manual' as upload_method,
        file_name,
        cast(1 as bigint) as line_number,
        trim(replace({{ without_byte_order_mark('content') }}, chr(13), '')) as raw_line,
        case when content = '' then 'empty_file' end as damage_reason
    from manual_files
),

-- the one JSON parse; a manual upload is a bare payload, parsed as an envelope's payload
document_texts as (
    select
        *,
        case when upload_method = 'manual' then '{"payload": ' || raw_line || '}' else raw_line end as document_text
    from lines
),

parsed as (
    select
        *,
        {{ json_to_struct('document_text', document_tree) }} as parsed_document
    from document_texts
),

-- a line that parsed is valid JSON: only the rest (the rare rejected lines) is validated again;
-- a manual upload's own text is always validated (its wrapped text could parse when it does not)
documents as (
    select
        *,
        case
            when upload_method = 'automatic' and parsed_document is not null then true
            else {{ json_is_valid('raw_line') }}
        end as is_valid_json
    from parsed
),

envelopes as (
    select
        *,
        case when is_valid_json then parsed_document end as document,
        -- a valid JSON text's type shows in its first character; only the rare others are parsed again
        case
            when not is_valid_json then null
            when left(raw_line, 1) = '{' then 'OBJECT'
            else {{ json_type_of('raw_line') }}
        end as document_type
    from documents
),

typed as (
    select
        -- lineage of the raw line
        file_name,
        line_number,
        upload_method,
        raw_line,
        damage_reason,
        is_valid_json,
        document_type,
        -- uuid present: the payload is an object; otherwise ask the JSON (rare, rejected lines)
        case
            when upload_method = 'manual' then document_type
            when {{ struct_field('document', 'payload.uuid') }} is not null then 'OBJECT'
            when is_valid_json then {{ json_type_of(json_field('raw_line', 'payload')) }}
        end as payload_type,

        -- envelope (manual uploads: id from the content, received = recorded)
        case
            when upload_method = 'manual' then {{ content_id('raw_line') }}
            else try_cast({{ struct_field('document', 'id') }} as bigint)
        end as ping_id,
        {{ struct_field('document', 'received_at') }} as received_at_text,
        {{ struct_field('document', 'source_ip') }} as source_ip,

        -- instance (the fallback -1 is missing, SPEC §4.13: no uuid quarantines the line)
        {{ without_fallback(struct_field('document', 'payload.uuid')) }} as uuid,
        {{ without_fallback(struct_field('document', 'payload.hostname')) }} as hostname,
        {{ without_fallback(struct_field('document', 'payload.version')) }} as gitlab_version,
        {{ struct_field('document', 'payload.edition') }} as edition,
        {{ struct_field('document', 'payload.installation_type') }} as installation_type,
        {{ struct_field('document', 'payload.recorded_at') }} as recorded_at_text,

        -- license
        lower({{ struct_field('document', 'payload.license_md5') }}) as license_md5,
        lower({{ struct_field('document', 'payload.license_sha256') }}) as license_sha256,
        {{ struct_field('document', 'payload.license_id') }} as license_id,
        -- the subscription the instance names itself (SPEC §4.13: the mapping's last resort)
        nullif(trim({{ without_fallback(struct_field('document', 'payload.license_subscription_id')) }}), '')
            as license_subscription_id,
        lower({{ struct_field('document', 'payload.license_plan') }}) as license_plan,
        {{ parse_boolean(struct_field('document', 'payload.license_trial')) }} as is_trial_license,
        {{ parse_date(struct_field('document', 'payload.license_starts_at')) }} as license_starts_at,
        {{ parse_date(struct_field('document', 'payload.license_expires_at')) }} as license_expires_at,

        -- licensee: personal data, never selected outside staging (the domain may leave)
        {{ struct_field('document', 'payload.licensee.Name') }} as licensee_name,
        {{ struct_field('document', 'payload.licensee.Email') }} as licensee_email,
        {{ struct_field('document', 'payload.licensee.Company') }} as licensee_company,

        -- user counts (negative fallbacks -1, -2, -1000 are NULL, never a count)
        {% for field, name in [
            ('license_user_count', 'license_user_count'), ('license_billable_users', 'billable_users'),
            ('historical_max_users', 'historical_max_users'), ('active_user_count', 'active_user_count'),
        ] -%}
        {%- set separator = '' if loop.last else ',' %}
        cast({{ metric_value(struct_field('document', 'payload.' ~ field)) }} as bigint) as {{ name }}{{ separator }}
        {% endfor -%}

        -- catalog metrics, as the JSON value sent (typed downstream by metric_value/metric_status)
        {{ catalog_struct_columns('document', 'payload', catalog) }}
    from envelopes
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

checked as (
    select
        *,
        lower(nullif(split_part(licensee_email, '@', 2), '')) as licensee_email_domain,
        coalesce(recorded_at, received_at) as ping_at,
        {{ version_part('gitlab_version', 'major') }} as version_major,
        {{ version_part('gitlab_version', 'minor') }} as version_minor,
        {{ version_part('gitlab_version', 'patch') }} as version_patch,
        {{ version_is_prerelease('gitlab_version') }} as is_prerelease,
        case
            -- a damaged file or line, as the reader found it (not_utf8, truncated_gzip, empty_file...)
            when damage_reason is not null then damage_reason
            when not is_valid_json and coalesce(trim(raw_line), '') = '' then 'empty_line'
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
),

-- each catalog metric's failure as a flag of its own, added up in the final select
flagged as (
    select
        *{{ catalog_failed_flags(catalog) }}
    from checked
),

-- the raw line is kept for rejected lines only (to fix and replay): an accepted line lives on
-- as its typed columns, and storing every payload twice would double the build's I/O
final as (
    select
        -- lineage and why rejected
        file_name,
        line_number,
        upload_method,
        case when quarantine_reason is not null then raw_line end as raw_line,
        is_valid_json,
        document_type,
        payload_type,
        quarantine_reason,

        -- envelope, instance and license
        ping_id,
        received_at_text,
        source_ip,
        uuid,
        hostname,
        {{ ping_version_columns() }},
        recorded_at_text,
        {{ ping_license_columns() }},
        licensee_name,
        licensee_email,
        licensee_email_domain,
        licensee_company,

        -- user counts and data quality
        {{ catalog_failed_count(catalog) }} as failed_metric_count,
        license_user_count,
        billable_users,
        historical_max_users,
        active_user_count,

        -- timestamps
        recorded_at,
        received_at,
        ping_at

        -- catalog metrics, as the JSON value sent
        {{ catalog_columns(catalog) }}
    from flagged
)

select * from final
