-- Every row of every tabular input is accounted for: rows read = accepted + rejected, per input
-- (rejected = the rows rpt_input_rejected lists). Returns the inputs whose counts disagree.
with

subscriptions as (
    select * from {{ ref('stg_raw__subscriptions') }}
),

licenses as (
    select * from {{ ref('stg_raw__licenses') }}
),

license_mapping as (
    select * from {{ ref('stg_raw__license_subscription_mapping') }}
),

instance_types as (
    select * from {{ ref('stg_raw__instance_types') }}
),

saas_measurements as (
    select * from {{ ref('stg_raw__saas_usage') }}
    where {{ known_as_of('recorded_at') }}
),

rejected as (
    select
        input_name,
        count(*) as rejected_count
    from {{ ref('rpt_input_rejected') }}
    group by input_name
),

read_rows as (
    select
        'subscriptions' as input_name,
        count(*) as read_count,
        count(case when rejection_reason is null then 1 end) as accepted_count
    from subscriptions
    union all
    select
        'licenses' as input_name,
        count(*) as read_count,
        count(case when rejection_reason is null then 1 end) as accepted_count
    from licenses
    union all
    select
        'license_md5_to_subscription_mapping' as input_name,
        count(*) as read_count,
        count(case when rejection_reason is null then 1 end) as accepted_count
    from license_mapping
    union all
    select
        'instance_types' as input_name,
        count(*) as read_count,
        count(case when rejection_reason is null then 1 end) as accepted_count
    from instance_types
    union all
    select
        'saas_usage' as input_name,
        count(*) as read_count,
        count(case when quarantine_reason is null then 1 end) as accepted_count
    from saas_measurements
),

final as (
    select
        read_rows.input_name,
        read_rows.read_count,
        read_rows.accepted_count,
        coalesce(rejected.rejected_count, 0) as rejected_count
    from read_rows
    left join rejected on read_rows.input_name = rejected.input_name
    where read_rows.read_count <> read_rows.accepted_count + coalesce(rejected.rejected_count, 0)
)

select * from final
