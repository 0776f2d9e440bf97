{#- The rows of the tabular inputs that were rejected, with the reason, in one place. -#}
{#- input name (the file, SPEC §2) -> the staging model that validates it (column rejection_reason) -#}
{%- set validated_inputs = {
    'subscriptions': 'stg_raw__subscriptions',
    'licenses': 'stg_raw__licenses',
    'license_md5_to_subscription_mapping': 'stg_raw__license_subscription_mapping',
    'instance_types': 'stg_raw__instance_types',
} -%}
with

{% for input_name, model_name in validated_inputs.items() %}
{{ input_name }} as (
    select * from {{ ref(model_name) }}
    where rejection_reason is not null
),

{% endfor -%}

-- as-of replay: a measurement recorded after the as-of date has not arrived yet
saas_measurements as (
    select * from {{ ref('stg_raw__saas_usage') }}
    where quarantine_reason is not null and {{ known_as_of('recorded_at') }}
),

unioned as (
    {%- for input_name in validated_inputs %}
    select
        '{{ input_name }}' as input_name,
        file_name,
        line_number,
        rejection_reason,
        row_fields
    from {{ input_name }}
    union all
    {%- endfor %}
    -- a measurement line holds no personal data: the line as read is its fields
    select
        'saas_usage' as input_name,
        file_name,
        line_number,
        quarantine_reason as rejection_reason,
        raw_line as row_fields
    from saas_measurements
),

final as (
    select
        -- which row
        cast(input_name as string) as input_name,
        cast(file_name as string) as file_name,
        cast(line_number as bigint) as line_number,

        -- why, and what it said
        cast(rejection_reason as string) as rejection_reason,
        cast(row_fields as string) as row_fields
    from unioned
)

select * from final
