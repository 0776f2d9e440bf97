with

source as (
    select * from {{ raw_input('instance_types') }}
),

renamed as (
    select
        -- ids
        trim(cast(uuid as string)) as uuid,
        trim(cast(hostname as string)) as hostname,

        -- attributes
        trim(cast(instance_type as string)) as instance_type,
        nullif(trim(cast(included_in_health_measure as string)), '') as included_in_health_measure,

        -- timestamps
        {{ parse_timestamp_utc('cast(updated_at as string)') }} as updated_at
    from source
)

select * from renamed
