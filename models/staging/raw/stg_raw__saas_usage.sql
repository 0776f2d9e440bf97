{{ config(materialized='table') }}
{#- Every line of the weekly SaaS namespace measurements (SPEC §2.7), parsed once. -#}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

source_lines as (
    select * from {{ raw_input('saas_usage') }}
),

documents as (
    select
        file_name,
        cast(line_number as bigint) as line_number,
        trim(replace(line, chr(13), '')) as raw_line,
        case when {{ json_is_valid("trim(replace(line, chr(13), ''))") }} then cast(trim(line) as json) end as document
    from source_lines
),

extracted as (
    select
        *,
        {{ json_type_of('document') }} as document_type,
        {{ json_extract_many('document', ['namespace_id', 'recorded_at', 'billable_members']) }} as fields,
        json_extract(document, '$.metrics') as metrics
    from documents
),

metric_values as (
    select
        *,
        {{ json_type_of('metrics') }} as metrics_type,
        {{ json_extract_many('metrics', catalog | map(attribute='key_path') | list) }} as metric_values
    from extracted
),

typed as (
    select
        -- lineage
        file_name,
        line_number,
        raw_line,
        document is not null as is_valid_json,
        document_type,
        metrics_type,

        -- ids
        try_cast({{ json_text(json_list_item('fields', 0)) }} as bigint) as namespace_id,

        -- measures
        cast({{ metric_value(json_list_item('fields', 2)) }} as bigint) as billable_members,

        -- timestamps
        {{ json_text(json_list_item('fields', 1)) }} as recorded_at_text,
        {{ parse_timestamp_utc(json_text(json_list_item('fields', 1))) }} as recorded_at,

        -- catalog metrics, as the JSON value measured
        {{ catalog_json_columns('metric_values', catalog) }}
    from metric_values
),

final as (
    select
        *,
        case
            when coalesce(raw_line, '') = '' then 'empty_line'
            when not is_valid_json then 'invalid_json'
            when document_type <> 'OBJECT' then 'not_a_json_object'
            when namespace_id is null then 'missing_or_invalid_namespace_id'
            when recorded_at is null then 'missing_or_unparseable_recorded_at'
            when metrics_type is null or metrics_type <> 'OBJECT' then 'missing_metrics'
        end as quarantine_reason
    from typed
    -- as-of replay: a measurement after the as-of date has not happened yet
    where {{ known_as_of('recorded_at') }}
)

select * from final
