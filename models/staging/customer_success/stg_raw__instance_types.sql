with

source as (
    select * from {{ raw_source('customer_success', 'instance_types') }}
),

-- every value as trimmed text, '' as missing
cleaned as (
    select
        file_name,
        line_number,
        damage_reason,
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
        case
            -- a row the reader could not read whole (not_utf8, missing_fields, too_many_fields, empty_file)
            when damage_reason is not null then damage_reason
            when uuid is null then 'missing_uuid'
            when hostname is null then 'missing_hostname'
            when instance_type is null
                or instance_type not in (
                    'Production', 'Non-Production', 'Staging', 'Obsolete', 'Unknown', 'Geo Secondary Node'
                )
                then 'unknown_instance_type'
            when included_in_health_measure not in ('Included', 'Opt-Out') then 'unknown_included_in_health_measure'
            when updated_at is null then 'unparseable_updated_at'
        end as row_reason,
        concat_ws('|', instance_type, included_in_health_measure) as row_values
    from typed
),

-- the same label change (uuid, hostname, updated_at) twice among valid rows: identical copies are
-- one row (the first line wins), copies that disagree are all rejected
keyed as (
    select
        *,
        {{ differs_within_key('row_values', ['uuid', 'hostname', 'updated_at']) }} as is_conflicting,
        {{ copy_number(['uuid', 'hostname', 'updated_at']) }} as copy_number
    from checked
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
        {{ rejection_reason({'is_conflicting': 'conflicting_duplicate'}) }} as rejection_reason,
        {{ json_object_text({
            'uuid': 'uuid', 'hostname': 'hostname', 'instance_type': 'instance_type',
            'included_in_health_measure': 'included_in_health_measure', 'updated_at': 'updated_at_text',
        }) }} as row_fields
    from keyed
)

select * from final
