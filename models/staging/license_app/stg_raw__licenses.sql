with

source as (
    select * from {{ raw_source('license_app', 'licenses') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        {{ cleaned_text_columns(
            ['license_md5', 'license_sha256', 'subscription_id', 'plan', 'is_trial', 'users_count', 'starts_at',
             'expires_at', 'created_at'],
            lowered=['license_md5', 'license_sha256', 'plan'],
            typed=['is_trial', 'users_count', 'starts_at', 'expires_at', 'created_at'],
        ) }}
    from source
),

typed as (
    select
        *,
        {{ parse_boolean('is_trial_text') }} as is_trial,
        try_cast(users_count_text as integer) as users_count,
        {{ parse_date('starts_at_text') }} as starts_at,
        {{ parse_date('expires_at_text') }} as expires_at,
        {{ parse_timestamp_utc('created_at_text') }} as created_at
    from cleaned
),

-- one reason per row, the first that applies; a license needs a key (md5 or, FIPS, sha256) and
-- its issue time (the latest issue of a license wins downstream)
checked as (
    select
        *,
        {{ first_failing_check({
            'missing_license_key': "license_md5 is null and license_sha256 is null",
            'invalid_is_trial': "is_trial_text is not null and is_trial is null",
            'invalid_users_count': "users_count_text is not null and (users_count is null or users_count < 0)",
            'unparseable_starts_at': "starts_at_text is not null and starts_at is null",
            'unparseable_expires_at': "expires_at_text is not null and expires_at is null",
            'unparseable_created_at': "created_at is null",
        }) }} as row_reason,
        concat_ws(
            '|', license_md5, license_sha256, subscription_id, plan, is_trial_text, users_count_text,
            starts_at_text, expires_at_text, created_at_text
        ) as row_values,
        coalesce(license_md5, license_sha256) as license_key
    from typed
),

final as (
    select
        -- lineage
        file_name,
        line_number,

        -- ids
        license_md5,
        -- optional column (FIPS instances send only the SHA-256 of the key, SPEC §4.13)
        license_sha256,
        subscription_id,

        -- attributes
        plan,
        is_trial,

        -- measures
        users_count,

        -- dates
        starts_at,
        expires_at,
        created_at,

        -- validation
        -- the same issue (key, created_at) twice among valid rows: identical copies are one row (the first
        -- line wins), copies that disagree are all rejected
        {{ rejection_reason(
            ['license_key', 'created_at'],
            [{'reason': 'conflicting_duplicate', 'values': 'row_values'}],
        ) }} as rejection_reason,
        {{ json_object_text({
            'license_md5': 'license_md5', 'license_sha256': 'license_sha256', 'subscription_id': 'subscription_id',
            'plan': 'plan', 'users_count': 'users_count_text', 'starts_at': 'starts_at_text',
            'expires_at': 'expires_at_text', 'is_trial': 'is_trial_text', 'created_at': 'created_at_text',
        }) }} as row_fields
    from checked
)

select * from final
