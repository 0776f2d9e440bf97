with

pings as (
    select * from {{ ref('fct_service_ping') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

subscriptions as (
    select * from {{ ref('dim_subscription') }}
),

recent_unmapped as (
    select
        pings.license_md5,
        max(pings.licensee_company) as licensee_company,
        max(pings.licensee_email_domain) as licensee_email_domain,
        bool_or(pings.is_trial) as is_trial,
        count(distinct pings.uuid || '|' || pings.hostname) as instance_count,
        count(*) as ping_count,
        min(pings.ping_at) as first_ping_at,
        max(pings.ping_at) as last_ping_at
    from pings
    cross join as_of
    where
        pings.mapping_source = 'unmapped'
        and pings.license_md5 is not null
        and pings.ping_date > as_of.as_of_date - interval 90 day
        and pings.ping_date <= as_of.as_of_date
    group by pings.license_md5
),

-- candidate 1: the licensee company is an account's name
company_matches as (
    select
        recent_unmapped.license_md5,
        subscriptions.subscription_id,
        1 as match_priority,
        'licensee company "' || recent_unmapped.licensee_company || '" equals the account name' as match_reason
    from recent_unmapped
    inner join subscriptions
        on lower(trim(recent_unmapped.licensee_company)) = lower(trim(subscriptions.account_name))
),

-- candidate 2: a mapped license whose pings come from the same e-mail domain
domain_matches as (
    select distinct
        recent_unmapped.license_md5,
        pings.subscription_id,
        2 as match_priority,
        'licensee e-mail domain ' || recent_unmapped.licensee_email_domain
        || ' also sends pings for mapped license ' || pings.license_md5 as match_reason
    from recent_unmapped
    inner join pings
        on recent_unmapped.licensee_email_domain = pings.licensee_email_domain
        and pings.mapping_source <> 'unmapped'
),

candidates as (
    select * from company_matches
    union all
    select * from domain_matches
),

best_candidate as (
    select *
    from (
        select
            candidates.*,
            row_number() over (
                partition by candidates.license_md5
                order by candidates.match_priority asc, subscriptions.term_end_date desc, candidates.subscription_id asc
            ) as candidate_rank
        from candidates
        inner join subscriptions on candidates.subscription_id = subscriptions.subscription_id
    ) as ranked
    where candidate_rank = 1
),

final as (
    select
        -- ids
        recent_unmapped.license_md5,
        best_candidate.subscription_id as suggested_subscription_id,

        -- attributes
        recent_unmapped.licensee_company,
        recent_unmapped.licensee_email_domain,
        recent_unmapped.is_trial,
        best_candidate.match_reason,

        -- measures
        recent_unmapped.instance_count,
        recent_unmapped.ping_count,

        -- timestamps
        recent_unmapped.first_ping_at,
        recent_unmapped.last_ping_at
    from recent_unmapped
    left join best_candidate on recent_unmapped.license_md5 = best_candidate.license_md5
)

select * from final
