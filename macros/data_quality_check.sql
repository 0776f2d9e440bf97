{#- One row of rpt_data_quality: a named count, optionally a share of a denominator. -#}
{% macro data_quality_check(layer, check_name, numerator, denominator, relation) %}
    select
        '{{ layer }}' as layer,
        '{{ check_name }}' as check_name,
        {{ numerator }} as numerator,
        {{ denominator if denominator else 'cast(null as bigint)' }} as denominator
    from {{ relation }}
{% endmacro %}
