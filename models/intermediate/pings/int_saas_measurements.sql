{#- The weekly SaaS namespace measurements as usage measurements of the same shape as
    int_service_pings_deduplicated (SPEC §4.10): a namespace is a deployment with
    uuid 'namespace-<id>' and hostname var('saas_hostname'); billable users = billable members.
    Incremental by month, as int_service_pings_deduplicated: copies share their as-of time. -#}
{{ config(**month_incremental_config()) }}
-- depends_on: {{ ref('metrics_catalog') }}
{% set catalog = metrics_catalog() -%}
with

measurements as (
    select * from {{ ref('stg_raw__saas_usage') }}
    where
        quarantine_reason is null
        -- as-of replay: a measurement after the as-of date has not happened yet
        and {{ known_as_of('recorded_at') }}
        {{- in_touched_months('recorded_at', 'stg_raw__saas_usage',
                              'quarantine_reason is null and ' ~ known_as_of('recorded_at')) }}
),

shaped as (
    select
        -- lineage
        file_name,
        line_number,
        'saas' as upload_method,

        -- ids
        {{ content_id("'saas|' || cast(namespace_id as string) || '|' || recorded_at_text") }} as ping_id,
        'namespace-' || cast(namespace_id as string) as uuid,
        '{{ var("saas_hostname") }}' as hostname,
        cast(null as string) as license_md5,
        namespace_id,

        -- measures
        billable_members as billable_users,
        failed_metric_count,

        -- timestamps
        recorded_at,
        recorded_at as received_at,
        recorded_at as ping_at,
        {{ month_of('recorded_at') }} as ping_month

        -- catalog metrics, as the JSON value measured
        {{ catalog_columns(catalog) }}
    from measurements
),

ranked as (
    select
        *,
        row_number() over (
            partition by namespace_id, ping_at
            order by file_name asc, line_number asc
        ) as duplicate_rank
    from shaped
),

final as (
    select
        *,
        duplicate_rank > 1 as is_duplicate
    from ranked
)

select * from final
