{#- The rows of the tabular inputs that were rejected, with the reason, in one place. -#}
with

subscriptions as (
    select * from {{ ref('stg_raw__subscriptions') }}
    where rejection_reason is not null
),

licenses as (
    select * from {{ ref('stg_raw__licenses') }}
    where rejection_reason is not null
),

license_mapping as (
    select * from {{ ref('stg_raw__license_subscription_mapping') }}
    where rejection_reason is not null
),

instance_types as (
    select * from {{ ref('stg_raw__instance_types') }}
    where rejection_reason is not null
),

-- as-of replay: a measurement recorded after the as-of date has not arrived yet
saas_measurements as (
    select * from {{ ref('stg_raw__saas_usage') }}
    where quarantine_reason is not null and {{ known_as_of('recorded_at') }}
),

unioned as (
    select
        'subscriptions' as input_name,
        file_name,
        line_number,
        rejection_reason,
        row_fields
    from subscriptions
    union all
    select
        'licenses' as input_name,
        file_name,
        line_number,
        rejection_reason,
        row_fields
    from licenses
    union all
    select
        'license_md5_to_subscription_mapping' as input_name,
        file_name,
        line_number,
        rejection_reason,
        row_fields
    from license_mapping
    union all
    select
        'instance_types' as input_name,
        file_name,
        line_number,
        rejection_reason,
        row_fields
    from instance_types
    union all
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
