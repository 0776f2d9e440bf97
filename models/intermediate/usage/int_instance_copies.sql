{#- One row per reporting instance and month that is one of several hostnames of one uuid on
    the same license that month: copies of one installation (a disaster-recovery standby, a
    staging copy of production, a Geo secondary keep the uuid), SPEC §4.13. The installation
    counts once for its subscription: the copy with the largest billable users (then a CSM label
    of Production, the latest ping, the smallest hostname). Only a CSM label of Production on
    several copies adds those copies up. -#}
with

instance_months as (
    select * from {{ ref('int_instance_months') }}
    where is_reporting
),

labels as (
    select * from {{ ref('int_instance_labels') }}
),

keyed as (
    select
        instance_months.uuid,
        instance_months.hostname,
        instance_months.month,
        instance_months.subscription_id,
        instance_months.account_id,
        instance_months.ping_at,
        instance_months.billable_users,
        -- the same license: its md5, else its sha256 (FIPS), else the subscription the payload names
        coalesce(
            instance_months.license_md5, instance_months.license_sha256, instance_months.subscription_id
        ) as license_key,
        coalesce(labels.label_instance_type = 'Production', false) as is_labelled_production
    from instance_months
    left join labels
        on instance_months.uuid = labels.uuid
        and instance_months.hostname = labels.hostname
),

grouped as (
    select
        *,
        count(*) over (partition by uuid, license_key, month) as copy_hostname_count,
        count(case when is_labelled_production then 1 end) over (
            partition by uuid, license_key, month
        ) as labelled_production_count,
        row_number() over (
            partition by uuid, license_key, month
            order by
                billable_users desc nulls last,
                case when is_labelled_production then 0 else 1 end asc,
                ping_at desc,
                hostname asc
        ) as copy_rank
    from keyed
),

final as (
    select
        uuid,
        hostname,
        month,
        subscription_id,
        account_id,
        license_key,
        copy_hostname_count,
        labelled_production_count,
        billable_users,
        is_labelled_production,
        case
            when labelled_production_count >= 2 then 'csm_production_labels'
            else 'largest_billable_users'
        end as copy_rule,
        case
            when labelled_production_count >= 2 then is_labelled_production
            else copy_rank = 1
        end as is_counted_copy
    from grouped
    where copy_hostname_count > 1
)

select * from final
