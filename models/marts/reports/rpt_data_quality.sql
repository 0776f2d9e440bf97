{#- Trusted-data dashboard of one build: row counts per layer and the shares a data engineer
    watches (pings mapped to a subscription, instances labelled, metric values failed). -#}
with

quarantined as (
    select count(*) as row_count from {{ ref('rpt_pings_quarantined') }}
),

-- each count is a one-row aggregate of its own, so a layer with no rows counts 0 (a cross join
-- before the count would leave none to count, and NULL, when the other side is empty)
accepted as (
    select count(*) as row_count from {{ ref('int_service_pings_deduplicated') }}
),

-- lines read = accepted (duplicates included) + quarantined, reconciled by a data test
raw_lines as (
    select accepted.row_count + quarantined.row_count as row_count
    from accepted
    cross join quarantined
),

-- the pings and their failed metric values, counted once at parse time (no ping: no failed
-- value, a count of 0)
pings as (
    select
        count(*) as row_count,
        count(case when subscription_id is not null then 1 end) as mapped_count,
        -- unmapped pings with no license_md5 (FIPS without a sha256 link, no license at all):
        -- never a row of rpt_unmapped_licenses, counted here instead (SPEC §4.13)
        count(
            case when mapping_source = 'unmapped' and delivery = 'self_managed' and license_md5 is null then 1 end
        ) as unmapped_without_md5_count,
        coalesce(sum(failed_metric_count), 0) as failed_metric_count
    from {{ ref('fct_service_ping') }}
),

catalog as (
    select count(*) as metric_count from {{ ref('metrics_catalog') }}
),

-- the rows of fct_service_ping_metric (pings x catalog, a data test) and its failed ones,
-- counted without unpivoting every ping
metrics as (
    select
        pings.row_count * catalog.metric_count as row_count,
        pings.failed_metric_count as failed_count
    from pings
    cross join catalog
),

instances as (
    select
        count(*) as row_count,
        count(case when instance_type_source = 'csm_label' then 1 end) as labelled_count
    from {{ ref('dim_instance') }}
),

-- billable user drops not alerted because the plan changed (SPEC §4.13)
subscription_months as (
    select
        count(*) as row_count,
        count(
            case
                when subscription_months.is_plan_change
                    and subscription_months.billable_user_drop_share >= drop_rule.threshold then 1
            end
        ) as suppressed_drop_count
    from {{ ref('mart_subscription_monthly') }} as subscription_months
    left join {{ ref('alert_rules') }} as drop_rule on drop_rule.alert_type = 'billable_user_drop'
),

-- the usage lines of offline license usage exports that could not be read
license_usage_rejected as (
    select count(*) as row_count from {{ ref('rpt_license_usage_rejected') }}
),

totals as (
    select
        raw_lines.row_count as raw_line_count,
        quarantined.row_count as quarantined_count,
        pings.row_count as measurement_count,
        pings.mapped_count,
        pings.unmapped_without_md5_count,
        metrics.row_count as metric_count,
        metrics.failed_count,
        instances.row_count as instance_count,
        instances.labelled_count,
        subscription_months.row_count as subscription_month_count,
        subscription_months.suppressed_drop_count,
        license_usage_rejected.row_count as license_usage_rejected_count
    from raw_lines
    cross join quarantined
    cross join pings
    cross join metrics
    cross join instances
    cross join subscription_months
    cross join license_usage_rejected
),

checks as (
    {{ data_quality_check('staging', 'raw_lines_read', 'raw_line_count', none, 'totals') }}
    union all
    {{ data_quality_check('reports', 'lines_quarantined', 'quarantined_count', 'raw_line_count', 'totals') }}
    union all
    {{ data_quality_check('marts', 'measurements_accepted', 'measurement_count', none, 'totals') }}
    union all
    {{ data_quality_check(
        'marts', 'measurements_mapped_to_a_subscription', 'mapped_count', 'measurement_count', 'totals'
    ) }}
    union all
    {{ data_quality_check(
        'marts', 'measurements_unmapped_without_license_md5', 'unmapped_without_md5_count', 'measurement_count', 'totals'
    ) }}
    union all
    {{ data_quality_check('marts', 'metric_values', 'metric_count', none, 'totals') }}
    union all
    {{ data_quality_check('marts', 'metric_values_failed', 'failed_count', 'metric_count', 'totals') }}
    union all
    {{ data_quality_check('marts', 'instances', 'instance_count', none, 'totals') }}
    union all
    {{ data_quality_check(
        'marts', 'instances_labelled_by_customer_success', 'labelled_count', 'instance_count', 'totals'
    ) }}
    union all
    {{ data_quality_check('marts', 'subscription_months', 'subscription_month_count', none, 'totals') }}
    union all
    {{ data_quality_check(
        'marts', 'billable_user_drops_suppressed_by_plan_change', 'suppressed_drop_count', none, 'totals'
    ) }}
    union all
    {{ data_quality_check('reports', 'license_usage_lines_rejected', 'license_usage_rejected_count', none, 'totals') }}
),

final as (
    select
        check_name,
        layer,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        case when denominator > 0 then numerator / cast(denominator as double) end as share
    from checks
)

select * from final
