{#- Instances awaiting a Customer Success label (SPEC §4.13): per account, the instances whose
    type in their latest month came from a rule, not from a CSM label, with the utilization the
    rule saw, so that a CSM can confirm or correct them in instance_types.csv. -#}
with

latest_months as (
    select * from {{ ref('int_instance_latest_months') }}
),

final as (
    select
        -- ids
        latest_months.account_id,
        latest_months.subscription_id,
        latest_months.uuid,
        latest_months.hostname,

        -- the rule and what it saw, in the instance's latest month
        latest_months.month,
        latest_months.instance_type,
        latest_months.instance_type_source,
        latest_months.is_production,
        latest_months.billable_users,
        latest_months.licensed_seats,
        latest_months.license_utilization,
        latest_months.umau,
        latest_months.umau_utilization,
        latest_months.ping_at as last_ping_at
    from latest_months
    -- a customer's reporting instance (not trial, not internal, mapped), typed by a rule of
    -- SPEC §4.5 or counted as a copy; a SaaS namespace is no instance to label
    where
        latest_months.is_reporting
        and latest_months.delivery = 'self_managed'
        and latest_months.instance_type_source <> 'csm_label'
)

select * from final
