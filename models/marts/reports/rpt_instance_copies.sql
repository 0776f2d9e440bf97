{#- Copies of one installation, for Customer Success to check (SPEC §4.13): one row per uuid,
    license and month with several hostnames, which hostnames, which counted and by what rule. -#}
with

copies as (
    select * from {{ ref('int_instance_copies') }}
),

final as (
    select
        -- ids
        uuid,
        license_key,
        month,
        max(subscription_id) as subscription_id,
        max(account_id) as account_id,

        -- the copies and the rule applied
        {{ sorted_string_agg('hostname') }} as hostnames,
        {{ sorted_string_agg("case when is_counted_copy then hostname end") }} as counted_hostnames,
        cast(count(*) as bigint) as hostname_count,
        max(copy_rule) as copy_rule,

        -- billable users: counted once, and what adding every copy up would have said
        cast(sum(case when is_counted_copy then billable_users end) as bigint) as counted_billable_users,
        cast(sum(billable_users) as bigint) as summed_billable_users
    from copies
    group by uuid, license_key, month
)

select * from final
