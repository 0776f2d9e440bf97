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
