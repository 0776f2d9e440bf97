{#- The first row of each partition of a relation in the given order (a select statement; the rows
    keep their columns plus row_rank, always 1): the latest issue of a license, the deterministic
    choice among several manual rows, ... -#}
{% macro first_row_per(relation, partition_by, order_by) %}
    select *
    from (
        select
            *,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as row_rank
        from {{ relation }}
    ) as ranked_rows
    where row_rank = 1
{% endmacro %}

{#- The value (NULL included) of the row with the greatest `order_columns` (compared in turn) in
    each group, as an aggregate: a hash aggregate, where ranking with a window sorts every column
    the rows carry. -#}
{% macro last_by(value, order_columns) %}
    {{- return(adapter.dispatch('last_by', 'usage_analytics')(value, order_columns)) -}}
{% endmacro %}

{% macro duckdb__last_by(value, order_columns) -%}
    arg_max_null({{ value }}, struct_pack({{ order_columns | join(', ') }}))
{%- endmacro %}

{% macro spark__last_by(value, order_columns) -%}
    max_by({{ value }}, struct({{ order_columns | join(', ') }}))
{%- endmacro %}
