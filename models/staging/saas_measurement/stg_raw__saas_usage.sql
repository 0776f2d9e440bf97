{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ read_remaining_raw_files('saas_usage') }}",
) }}
{#- Every line of the weekly SaaS namespace measurements (SPEC §2.7), parsed once; incremental by
    raw file like stg_raw__pings. -#}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
{%- set document_tree = json_tree(
    [('namespace_id', 'json'), ('recorded_at', 'text'), ('billable_members', 'json')]
    + catalog_key_paths('metrics', catalog)) -%}
with

source_lines as (
    select * from {{ raw_source('saas_measurement', 'saas_usage', loaded_in=this) }}
),

lines as (
    select
        file_name,
        cast(line_number as bigint) as line_number,
        trim(replace(line, chr(13), '')) as raw_line,
        damage_reason
    from source_lines
),

-- one typed parse; a line that parsed is valid JSON, only the others are validated again
documents as (
    select
        *,
        {{ json_to_struct('raw_line', document_tree) }} as document
    from lines
),

validated as (
    select
        *,
        case when document is not null then true else {{ json_is_valid('raw_line') }} end as is_valid_json
    from documents
),

-- the metrics object's type is asked separately (one small line a namespace a week)
parsed as (
    select
        *,
        case when is_valid_json then {{ json_type_of('raw_line') }} end as document_type,
        case when is_valid_json then {{ json_type_of(json_field('raw_line', 'metrics')) }} end as metrics_type
    from validated
),

typed as (
    select
        *,

        -- ids
        try_cast({{ struct_field('document', 'namespace_id') }} as bigint) as namespace_id,

        -- measures
        cast({{ metric_value(struct_field('document', 'billable_members')) }} as bigint) as billable_members,

        -- timestamps
        {{ struct_field('document', 'recorded_at') }} as recorded_at_text,
        {{ parse_timestamp_utc(struct_field('document', 'recorded_at')) }} as recorded_at

        -- catalog metrics, as the JSON value measured
        {{ catalog_struct_columns('document', 'metrics', catalog) }}
    from parsed
),

-- each catalog metric's failure as a flag of its own, added up in the final select
flagged as (
    select
        *{{ catalog_failed_flags(catalog) }}
    from typed
),

final as (
    select
        -- lineage
        file_name,
        line_number,
        raw_line,
        damage_reason,
        is_valid_json,
        document_type,
        metrics_type,

        -- ids, measures and timestamps
        namespace_id,
        billable_members,
        recorded_at_text,
        recorded_at

        -- catalog metrics, as the JSON value measured
        {{ catalog_columns(catalog) }},

        -- data quality
        {{ catalog_failed_count(catalog) }} as failed_metric_count,
        case
            -- a damaged file or line, as the reader found it (not_utf8, truncated_gzip, empty_file...)
            when damage_reason is not null then damage_reason
            when coalesce(raw_line, '') = '' then 'empty_line'
            when not is_valid_json then 'invalid_json'
            when document_type <> 'OBJECT' then 'not_a_json_object'
            when namespace_id is null then 'missing_or_invalid_namespace_id'
            when recorded_at is null then 'missing_or_unparseable_recorded_at'
            when metrics_type is null or metrics_type <> 'OBJECT' then 'missing_metrics'
        end as quarantine_reason
    from flagged
)

select * from final
