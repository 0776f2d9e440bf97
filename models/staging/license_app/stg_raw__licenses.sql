with

source as (
    select * from {{ raw_source('license_app', 'licenses') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        file_name,
        line_number,
        damage_reason,
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
        case
            -- a row the reader could not read whole (not_utf8, missing_fields, too_many_fields, empty_file)
            when damage_reason is not null then damage_reason
            when license_md5 is null and license_sha256 is null then 'missing_license_key'
            when is_trial_text is not null and is_trial is null then 'invalid_is_trial'
            when users_count_text is not null and (users_count is null or users_count < 0) then 'invalid_users_count'
            when starts_at_text is not null and starts_at is null then 'unparseable_starts_at'
            when expires_at_text is not null and expires_at is null then 'unparseable_expires_at'
            when created_at is null then 'unparseable_created_at'
        end as row_reason,
        concat_ws(
            '|', license_md5, license_sha256, subscription_id, plan, is_trial_text, users_count_text,
            starts_at_text, expires_at_text, created_at_text
        ) as row_values,
        coalesce(license_md5, license_sha256) as license_key
    from typed
),

-- the same issue (key, created_at) twice among valid rows: identical copies are one row (the first
-- line wins), copies that disagree are all rejected
keyed as (
    select
        *,
        {{ differs_within_key('row_values', ['license_key', 'created_at']) }} as is_conflicting,
        {{ copy_number(['license_key', 'created_at']) }} as copy_number
    from checked
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
        {{ rejection_reason({'is_conflicting': 'conflicting_duplicate'}) }} as rejection_reason,
        {{ json_object_text({
            'license_md5': 'license_md5', 'license_sha256': 'license_sha256', 'subscription_id': 'subscription_id',
            'plan': 'plan', 'users_count': 'users_count_text', 'starts_at': 'starts_at_text',
            'expires_at': 'expires_at_text', 'is_trial': 'is_trial_text', 'created_at': 'created_at_text',
        }) }} as row_fields
    from keyed
)

select * from final
