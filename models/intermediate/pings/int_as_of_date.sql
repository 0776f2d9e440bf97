{#- One row: the as-of date of the build (SPEC §4.9): var('as_of_date') when set, else the
    latest ping as-of date in the data (license usage exports do not move it); with neither, the
    build stops with an error that says so. -#}
{%- set as_of_var = var('as_of_date', '') -%}
with

pings as (
    select * from {{ ref('int_service_pings_mapped') }}
),

-- no accepted ping and no var: nothing dates the build, which stops with what to do
latest_ping as (
    select
        coalesce(
            max(ping_date),
            {{ raise_query_error(
                "no accepted ping to take the as-of date from (SPEC 4.9): set var as_of_date"
            ) }}
        ) as as_of_date,
        'latest_ping' as as_of_source
    from pings
),

from_var as (
    select
        cast('{{ as_of_var or "1970-01-01" }}' as date) as as_of_date,
        'var' as as_of_source
),

final as (
    select * from from_var
    where {{ 'true' if as_of_var else 'false' }}
    union all
    select * from latest_ping
    where {{ 'false' if as_of_var else 'true' }}
)

select * from final
