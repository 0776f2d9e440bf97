with

source as (
    select * from {{ raw_source('billing', 'subscriptions') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
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
        {{ first_failing_check({
            'missing_subscription_id': "subscription_id is null",
            'missing_subscription_name': "subscription_name is null",
            'missing_account_id': "account_id is null",
            'invalid_subscription_version': "subscription_version is null",
            'unknown_plan': "plan is null or plan not in ('premium', 'ultimate')",
            'unknown_delivery': "delivery is null or delivery not in ('self_managed', 'saas')",
            'unknown_status': "status is null or status not in ('Active', 'Cancelled', 'Expired')",
            'invalid_licensed_seats': "licensed_seats_text is not null and (licensed_seats is null or licensed_seats < 0)",
            'unparseable_term_start_date': "term_start_date is null",
            'unparseable_term_end_date': "term_end_date is null",
            'term_ends_before_it_starts': "term_end_date < term_start_date",
            'invalid_namespace_id': "namespace_id_text is not null and namespace_id is null",
            'unparseable_version_effective_date': "version_effective_date_text is not null and version_effective_date is null",
        }) }} as row_reason,
        concat_ws(
            '|', subscription_id, subscription_name, subscription_version_text, account_id, account_name, plan,
            delivery, licensed_seats_text, term_start_date_text, term_end_date_text, status, namespace_id_text,
            version_effective_date_text
        ) as row_values
    from typed
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
        -- the same key twice among valid rows: identical copies are one row (the first line wins), copies
        -- that disagree are all rejected (which one is right is for the exporter to say)
        {{ rejection_reason(['subscription_id'], [
            {'reason': 'conflicting_duplicate', 'values': 'row_values'},
            {'reason': 'conflicting_subscription_version', 'values': 'subscription_id',
             'key': ['subscription_name', 'subscription_version']},
        ]) }} as rejection_reason,
        {{ json_object_text({
            'subscription_id': 'subscription_id', 'subscription_name': 'subscription_name',
            'subscription_version': 'subscription_version_text', 'account_id': 'account_id',
            'account_name': 'account_name', 'plan': 'plan', 'delivery': 'delivery',
            'licensed_seats': 'licensed_seats_text', 'term_start_date': 'term_start_date_text',
            'term_end_date': 'term_end_date_text', 'status': 'status', 'namespace_id': 'namespace_id_text',
            'version_effective_date': 'version_effective_date_text',
        }) }} as row_fields
    from checked
)

select * from final
