{#- Why a hosted customer has no usage data: saas subscriptions without a linked namespace,
    linked namespaces that were never measured, and measured namespaces whose subscription is
    missing or not a saas one (SPEC §4.10). -#}
with

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

measurements as (
    select
        namespace_id,
        count(*) as measurement_count,
        max(ping_at) as last_measured_at
    from {{ ref('fct_service_ping') }}
    where delivery = 'saas'
    group by namespace_id
),

saas_subscriptions as (
    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.namespace_id,
        measurements.measurement_count,
        measurements.last_measured_at,
        case
            when subscriptions.namespace_id is null then 'saas_subscription_without_namespace'
            when measurements.namespace_id is null then 'linked_namespace_never_measured'
        end as reason
    from subscriptions
    left join measurements on subscriptions.namespace_id = measurements.namespace_id
    where subscriptions.delivery = 'saas'
),

measured_namespaces as (
    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        measurements.namespace_id,
        measurements.measurement_count,
        measurements.last_measured_at,
        case
            when subscriptions.subscription_id is null then 'namespace_without_subscription'
            else 'namespace_linked_to_' || subscriptions.delivery || '_subscription'
        end as reason
    from measurements
    left join subscriptions on measurements.namespace_id = subscriptions.namespace_id
    where subscriptions.subscription_id is null or subscriptions.delivery <> 'saas'
),

issues as (
    {%- for cases in ['saas_subscriptions', 'measured_namespaces'] %}
    select
        reason,
        subscription_id,
        account_id,
        namespace_id,
        measurement_count,
        last_measured_at
    from {{ cases }}
    where reason is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['reason', 'subscription_id', 'namespace_id']) }} as issue_id,
        *
    from issues
)

select * from final
