{#- Golden records: every row of the seed it is attached to (hand-worked expected values, with a
    column `why`) must be in `mart` with exactly these values. Fails with the golden rows that are
    missing or differ. keys: the columns the rows are matched on; columns: the values compared
    (NULL equals NULL); expressions: {column: SQL on the mart} for a value the mart does not hold
    as such; tolerances: {column: largest absolute difference allowed}. Runs on the embedded sample
    as of its latest ping only (a raw data directory or an as-of replay holds other rows). -#}
{% test golden_records_match(model, mart, keys, columns, expressions={}, tolerances={}) %}
{{ config(enabled=not var('raw_data_dir', '') and not var('as_of_date', '')) }}
with

golden as (
    select * from {{ model }}
),

actual as (
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        {%- for column in columns %}
        {{ expressions.get(column, column) }} as {{ column }},
        {%- endfor %}
        true as is_found
    from {{ mart }}
),

final as (
    select
        {%- for key in keys %}
        golden.{{ key }},
        {%- endfor %}
        golden.why
    from golden
    left join actual
        on {% for key in keys %}{{ 'and ' if not loop.first }}golden.{{ key }} = actual.{{ key }} {% endfor %}
    where
        actual.is_found is null
        {%- for column in columns %}
        {%- if column in tolerances %}
        or not coalesce(
            abs(actual.{{ column }} - golden.{{ column }}) < {{ tolerances[column] }},
            actual.{{ column }} is null and golden.{{ column }} is null
        )
        {%- else %}
        or not coalesce(
            actual.{{ column }} = golden.{{ column }}, actual.{{ column }} is null and golden.{{ column }} is null
        )
        {%- endif %}
        {%- endfor %}
)

select * from final
{% endtest %}
