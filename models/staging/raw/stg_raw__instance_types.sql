with

source as (
    select * from {{ raw_input('instance_types') }}
),

renamed as (
    select
        -- ids
        trim(cast(uuid as varchar)) as uuid,
        trim(cast(hostname as varchar)) as hostname,

        -- attributes
        trim(cast(instance_type as varchar)) as instance_type,
        nullif(trim(cast(included_in_health_measure as varchar)), '') as included_in_health_measure,

        -- timestamps
        {{ parse_timestamp_utc('cast(updated_at as varchar)') }} as updated_at
    from source
)

select * from renamed
