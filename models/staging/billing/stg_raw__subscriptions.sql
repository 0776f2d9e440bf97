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
        {{ cleaned_text_columns(
            ['subscription_id', 'subscription_name', 'subscription_version', 'account_id', 'namespace_id',
             'account_name', 'plan', 'delivery', 'status', 'licensed_seats', 'term_start_date', 'term_end_date',
             'version_effective_date'],
            lowered=['plan', 'delivery'],
            typed=['subscription_version', 'namespace_id', 'licensed_seats', 'term_start_date', 'term_end_date',
                   'version_effective_date'],
        ) }}
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
        {{ differs_within_key('row_values', ['subscription_id']) }} as is_conflicting_id,
        {{ differs_within_key('subscription_id', ['subscription_name', 'subscription_version']) }}
            as is_conflicting_version,
        {{ copy_number(['subscription_id']) }} as copy_number
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
        {{ rejection_reason({
            'is_conflicting_id': 'conflicting_duplicate',
            'is_conflicting_version': 'conflicting_subscription_version',
        }) }} as rejection_reason,
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
