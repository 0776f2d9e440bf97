with

source as (
    select * from {{ raw_source('billing', 'subscriptions') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        file_name,
        line_number,
        damage_reason,
        nullif(trim(cast(subscription_id as string)), '') as subscription_id,
        nullif(trim(cast(subscription_name as string)), '') as subscription_name,
        nullif(trim(cast(subscription_version as string)), '') as subscription_version_text,
        nullif(trim(cast(account_id as string)), '') as account_id,
        nullif(trim(cast(namespace_id as string)), '') as namespace_id_text,
        nullif(trim(cast(account_name as string)), '') as account_name,
        lower(nullif(trim(cast(plan as string)), '')) as plan,
        lower(nullif(trim(cast(delivery as string)), '')) as delivery,
        nullif(trim(cast(status as string)), '') as status,
        nullif(trim(cast(licensed_seats as string)), '') as licensed_seats_text,
        nullif(trim(cast(term_start_date as string)), '') as term_start_date_text,
        nullif(trim(cast(term_end_date as string)), '') as term_end_date_text,
        nullif(trim(cast(version_effective_date as string)), '') as version_effective_date_text
    from source
),

typed as (
    select
        *,
        try_cast(subscription_version_text as integer) as subscription_version,
        try_cast(namespace_id_text as bigint) as namespace_id,
        try_cast(licensed_seats_text as integer) as licensed_seats,
        {{ parse_date('term_start_date_text') }} as term_start_date,
        {{ parse_date('term_end_date_text') }} as term_end_date,
        -- optional column: the day an amendment took effect (SPEC §4.13 seats in the past)
        {{ parse_date('version_effective_date_text') }} as version_effective_date
    from cleaned
),

-- one reason per row, the first that applies (configuration of the accepted values: SPEC §2.4)
checked as (
    select
        *,
        case
            -- a row the reader could not read whole (not_utf8, missing_fields, too_many_fields, empty_file)
            when damage_reason is not null then damage_reason
            when subscription_id is null then 'missing_subscription_id'
            when subscription_name is null then 'missing_subscription_name'
            when account_id is null then 'missing_account_id'
            when subscription_version is null then 'invalid_subscription_version'
            when plan is null or plan not in ('premium', 'ultimate') then 'unknown_plan'
            when delivery is null or delivery not in ('self_managed', 'saas') then 'unknown_delivery'
            when status is null or status not in ('Active', 'Cancelled', 'Expired') then 'unknown_status'
            when licensed_seats_text is not null and (licensed_seats is null or licensed_seats < 0)
                then 'invalid_licensed_seats'
            when term_start_date is null then 'unparseable_term_start_date'
            when term_end_date is null then 'unparseable_term_end_date'
            when term_end_date < term_start_date then 'term_ends_before_it_starts'
            when namespace_id_text is not null and namespace_id is null then 'invalid_namespace_id'
            when version_effective_date_text is not null and version_effective_date is null
                then 'unparseable_version_effective_date'
        end as row_reason,
        concat_ws(
            '|', subscription_id, subscription_name, subscription_version_text, account_id, account_name, plan,
            delivery, licensed_seats_text, term_start_date_text, term_end_date_text, status, namespace_id_text,
            version_effective_date_text
        ) as row_values
    from typed
),

-- the same key twice among valid rows: identical copies are one row (the first line wins), copies
-- that disagree are all rejected (which one is right is for the exporter to say)
keyed as (
    select
        *,
        min(row_values) over (partition by row_reason is null, subscription_id)
        <> max(row_values) over (partition by row_reason is null, subscription_id) as is_conflicting_id,
        min(subscription_id) over (partition by row_reason is null, subscription_name, subscription_version)
        <> max(subscription_id) over (
            partition by row_reason is null, subscription_name, subscription_version
        ) as is_conflicting_version,
        row_number() over (partition by row_reason is null, subscription_id order by line_number) as copy_number
    from checked
),

final as (
    select
        -- lineage
        file_name,
        line_number,

        -- ids
        subscription_id,
        subscription_name,
        subscription_version,
        account_id,
        namespace_id,

        -- attributes
        account_name,
        plan,
        delivery,
        status,

        -- measures
        licensed_seats,

        -- dates
        term_start_date,
        term_end_date,
        version_effective_date,

        -- validation
        case
            when row_reason is not null then row_reason
            when is_conflicting_id then 'conflicting_duplicate'
            when is_conflicting_version then 'conflicting_subscription_version'
            when copy_number > 1 then 'duplicate_row'
        end as rejection_reason,
        {{ json_object_text({
            'subscription_id': 'subscription_id', 'subscription_name': 'subscription_name',
            'subscription_version': 'subscription_version_text', 'account_id': 'account_id',
            'account_name': 'account_name', 'plan': 'plan', 'delivery': 'delivery',
            'licensed_seats': 'licensed_seats_text', 'term_start_date': 'term_start_date_text',
            'term_end_date': 'term_end_date_text', 'status': 'status', 'namespace_id': 'namespace_id_text',
            'version_effective_date': 'version_effective_date_text',
        }) }} as row_fields
    from keyed
)

select * from final
