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
        nullif(trim(cast(uuid as string)), '') as uuid,
        nullif(trim(cast(hostname as string)), '') as hostname,
        nullif(trim(cast(instance_type as string)), '') as instance_type,
        nullif(trim(cast(included_in_health_measure as string)), '') as included_in_health_measure,
        nullif(trim(cast(updated_at as string)), '') as updated_at_text
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
        min(row_values) over (partition by row_reason is null, uuid, hostname, updated_at)
        <> max(row_values) over (partition by row_reason is null, uuid, hostname, updated_at) as is_conflicting,
        row_number() over (
            partition by row_reason is null, uuid, hostname, updated_at order by line_number
        ) as copy_number
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
        case
            when row_reason is not null then row_reason
            when is_conflicting then 'conflicting_duplicate'
            when copy_number > 1 then 'duplicate_row'
        end as rejection_reason,
        {{ json_object_text({
            'uuid': 'uuid', 'hostname': 'hostname', 'instance_type': 'instance_type',
            'included_in_health_measure': 'included_in_health_measure', 'updated_at': 'updated_at_text',
        }) }} as row_fields
    from keyed
)

select * from final
