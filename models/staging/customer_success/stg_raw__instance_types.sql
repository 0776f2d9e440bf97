with

source as (
    select * from {{ raw_source('customer_success', 'instance_types') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        {{ cleaned_text_columns(
            ['uuid', 'hostname', 'instance_type', 'included_in_health_measure', 'updated_at'], typed=['updated_at']
        ) }}
    from source
),

typed as (
    select
        *,
        {{ parse_timestamp_utc('updated_at_text') }} as updated_at
    from cleaned
),

-- one reason per row, the first that applies (the labels of SPEC §2.8)
checked as (
    select
        *,
        {{ first_failing_check({
            'missing_uuid': "uuid is null",
            'missing_hostname': "hostname is null",
            'unknown_instance_type': "instance_type is null or instance_type not in ( 'Production', 'Non-Production', 'Staging', 'Obsolete', 'Unknown', 'Geo Secondary Node' )",
            'unknown_included_in_health_measure': "included_in_health_measure not in ('Included', 'Opt-Out')",
            'unparseable_updated_at': "updated_at is null",
        }) }} as row_reason,
        concat_ws('|', instance_type, included_in_health_measure) as row_values
    from typed
),

final as (
    select
        -- lineage
        file_name,
        line_number,

        -- ids
        uuid,
        hostname,

        -- attributes
        instance_type,
        included_in_health_measure,

        -- timestamps
        updated_at,

        -- validation
        -- the same label change (uuid, hostname, updated_at) twice among valid rows: identical copies are
        -- one row (the first line wins), copies that disagree are all rejected
        {{ rejection_reason(
            ['uuid', 'hostname', 'updated_at'],
            [{'reason': 'conflicting_duplicate', 'values': 'row_values'}],
        ) }} as rejection_reason,
        {{ json_object_text({
            'uuid': 'uuid', 'hostname': 'hostname', 'instance_type': 'instance_type',
            'included_in_health_measure': 'included_in_health_measure', 'updated_at': 'updated_at_text',
        }) }} as row_fields
    from checked
)

select * from final
