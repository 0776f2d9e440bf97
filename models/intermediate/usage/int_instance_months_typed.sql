{#- One row per instance and month with a ping: the instance type by the first rule that
    applies (SPEC §4.5) and the subscription-month's primary instance.
    A SaaS namespace linked to its saas subscription is always Production (saas_namespace)
    and that subscription's primary deployment (SPEC §4.10).
    Rules: 1 latest CSM label unless Unknown (csm_label); 2 Production when license or UMAU
    utilization >= the seed threshold (utilization_rule); 3 Production when it is the only
    reporting instance of its subscription that month (single_instance_rule); 4 Unknown
    (unlabeled). Trial pings are never production (trial_license), nor internal installs
    (internal_install, SPEC §4.13), whatever a label says. Copies of one installation
    (int_instance_copies) count once: the copy not counted is never Production by a rule
    (installation_copy), is not counted by rule 3, and is never primary (is_counted_copy). -#}
with

instance_months as (
    select * from {{ ref('int_instance_months') }}
),

labels as (
    select * from {{ ref('int_instance_labels') }}
),

rules as (
    select * from {{ ref('instance_type_rules') }}
),

copies as (
    select * from {{ ref('int_instance_copies') }}
),

counted_months as (
    select
        instance_months.*,
        coalesce(copies.is_counted_copy, true) as is_counted_copy
    from instance_months
    left join copies
        on instance_months.uuid = copies.uuid
        and instance_months.hostname = copies.hostname
        and instance_months.month = copies.month
),

-- installations, not hostnames: a copy not counted is not a second instance (SPEC §4.13)
reporting_counts as (
    select
        subscription_id,
        month,
        count(*) as reporting_instance_count
    from counted_months
    where is_reporting and is_counted_copy
    group by subscription_id, month
),

typed as (
    select
        instance_months.*,
        labels.label_instance_type,
        labels.included_in_health_measure,
        case
            when instance_months.delivery = 'saas' and instance_months.is_reporting then 'Production'
            when instance_months.is_internal then 'Unknown'
            when instance_months.is_trial then 'Unknown'
            when labels.label_instance_type <> 'Unknown' then labels.label_instance_type
            when not instance_months.is_counted_copy then 'Unknown'
            when instance_months.license_utilization >= rules.production_utilization_threshold
                or instance_months.umau_utilization >= rules.production_utilization_threshold
                then 'Production'
            when reporting_counts.reporting_instance_count = 1 then 'Production'
            else 'Unknown'
        end as instance_type,
        case
            when instance_months.delivery = 'saas' and instance_months.is_reporting then 'saas_namespace'
            when instance_months.is_internal then 'internal_install'
            when instance_months.is_trial then 'trial_license'
            when labels.label_instance_type <> 'Unknown' then 'csm_label'
            when not instance_months.is_counted_copy then 'installation_copy'
            when instance_months.license_utilization >= rules.production_utilization_threshold
                or instance_months.umau_utilization >= rules.production_utilization_threshold
                then 'utilization_rule'
            when reporting_counts.reporting_instance_count = 1 then 'single_instance_rule'
            else 'unlabeled'
        end as instance_type_source
    from counted_months as instance_months
    cross join rules
    left join labels
        on instance_months.uuid = labels.uuid
        and instance_months.hostname = labels.hostname
    left join reporting_counts
        on instance_months.subscription_id = reporting_counts.subscription_id
        and instance_months.month = reporting_counts.month
        and instance_months.is_reporting
),

candidates as (
    select
        *,
        instance_type = 'Production' and not is_trial and not coalesce(is_internal, false) as is_production,
        instance_type = 'Production'
        and is_reporting
        and is_counted_copy
        and coalesce(included_in_health_measure, '') <> 'Opt-Out' as is_primary_candidate
    from typed
),

primary_ranked as (
    select
        *,
        row_number() over (
            partition by subscription_id, month, is_primary_candidate
            order by
                case when instance_type_source = 'saas_namespace' then 0 else 1 end asc,
                case when included_in_health_measure = 'Included' then 0 else 1 end asc,
                billable_users desc nulls last,
                ping_at desc,
                uuid asc,
                hostname asc
        ) as primary_rank
    from candidates
),

final as (
    select
        *,
        is_primary_candidate and primary_rank = 1 as is_primary_instance
    from primary_ranked
)

select * from final
