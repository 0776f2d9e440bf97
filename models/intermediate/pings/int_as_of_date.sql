{#- One row: the as-of date of the build (SPEC §4.9): var('as_of_date') when set, else the
    latest ping as-of date in the data (license usage exports do not move it). -#}
with

pings as (
    select * from {{ ref('fct_service_ping') }}
),

final as (
    select
        {% if var('as_of_date', '') %}
        cast('{{ var("as_of_date") }}' as date) as as_of_date,
        'var' as as_of_source
        {% else %}
        max(ping_date) as as_of_date,
        'latest_ping' as as_of_source
        {% endif %}
    from pings
)

select * from final
