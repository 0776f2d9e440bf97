{#- A primary key in one scan of the model (a view's whole chain is computed once, not once per
    test): fails with one row per key value, or combination of values, that has a NULL in any key
    column or occurs more than once. column_name: a single-column key (the test sits on the
    column); columns: a multi-column grain (the test sits on the model). Plain SQL both engines
    run: no dispatch. -#}
{% test primary_key(model, column_name=none, columns=none) %}
    {%- set keys = columns if columns else [column_name] -%}
    {%- if not keys or none in keys -%}
        {{ exceptions.raise_compiler_error("primary_key on " ~ model ~ ": give column_name or columns") }}
    {%- endif %}
    select
        {{ keys | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ keys | join(', ') }}
    having
        count(*) > 1
        {%- for key in keys %}
        or {{ key }} is null
        {%- endfor %}
{% endtest %}
