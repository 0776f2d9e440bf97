{#- A primary key in one scan of the model (a view's whole chain is computed once, not once per
    test): fails with one row per key value, or combination of values, that has a NULL in any key
    column or occurs more than once. column_name: a single-column key (the test sits on the
    column); columns: a multi-column grain (the test sits on the model).
    A multi-column grain is grouped by one 64-bit hash of its columns (key_hash): grouping
    millions of rows by several text columns costs about twice as much. A repeated combination
    always shares its hash, so it always fails; two different combinations that share a hash fail
    too (odds below one in a million for a table of a few million rows), showing the smallest
    value of each column. -#}
{% test primary_key(model, column_name=none, columns=none) %}
    {%- set keys = columns if columns else [column_name] -%}
    {%- if not keys or none in keys -%}
        {{ exceptions.raise_compiler_error("primary_key on " ~ model ~ ": give column_name or columns") }}
    {%- endif %}
    {%- if keys | length == 1 %}
    select
        {{ keys[0] }},
        count(*) as occurrences
    from {{ model }}
    group by {{ keys[0] }}
    having count(*) > 1 or {{ keys[0] }} is null
    {%- else %}
    select
        {%- for key in keys %}
        min({{ key }}) as {{ key }},
        {%- endfor %}
        count(*) as occurrences
    from (
        select
            {{ key_hash(keys) }} as key_hash,
            {{ keys | join(', ') }}
        from {{ model }}
    ) as keyed
    group by key_hash
    having
        count(*) > 1
        {%- for key in keys %}
        or bool_or({{ key }} is null)
        {%- endfor %}
    {%- endif %}
{% endtest %}
