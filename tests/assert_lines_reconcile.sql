{#- Every raw line of the line inputs is accounted for (SPEC §3): lines read = accepted +
    duplicates + quarantined, per input. Returns the inputs whose counts disagree, e.g. a join that
    drops or fans out pings. Each count: {name: [relation, condition]}. -#}
{%- set line_inputs = {
    'pings': {
        'lines_read': [ref('stg_raw__pings'), known_as_of('received_at')],
        'accepted': [ref('fct_service_ping'), "upload_method <> 'saas'"],
        'duplicates': [ref('int_service_pings_deduplicated'), 'is_duplicate'],
        'quarantined': [ref('rpt_pings_quarantined'), 'true'],
    },
    'saas_usage': {
        'lines_read': [ref('stg_raw__saas_usage'), known_as_of('recorded_at')],
        'accepted': [ref('fct_service_ping'), "upload_method = 'saas'"],
        'duplicates': [ref('int_saas_measurements'), 'is_duplicate'],
        'quarantined': [ref('stg_raw__saas_usage'), 'quarantine_reason is not null and ' ~ known_as_of('recorded_at')],
    },
} -%}
with

counted as (
    {%- for input_name, sources in line_inputs.items() %}
    {%- set outer = loop %}
    {%- for count_name, source in sources.items() %}
    select
        '{{ input_name }}' as input_name,
        '{{ count_name }}' as count_name,
        count(*) as line_count
    from {{ source[0] }}
    where {{ source[1] }}
    {%- if not (outer.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

per_input as (
    select
        input_name,
        sum(case when count_name = 'lines_read' then line_count end) as line_count,
        sum(case when count_name = 'accepted' then line_count end) as accepted_count,
        sum(case when count_name = 'duplicates' then line_count end) as duplicate_count,
        sum(case when count_name = 'quarantined' then line_count end) as quarantined_count
    from counted
    group by input_name
),

final as (
    select * from per_input
    where line_count <> accepted_count + duplicate_count + quarantined_count
)

select * from final
