{#-
    The validation every tabular input's staging model shares (SPEC §2.4): every value as trimmed
    text ('' as missing), and the copies of one key among the valid rows (identical copies are one
    row, the first line wins; copies that disagree are rejected). A row is valid while its
    row_reason is NULL; copies are counted among the valid rows and among the invalid ones apart.
-#}

{#- columns: the raw columns in output order; lowered: those compared in lower case; typed: those
    that staging parses afterwards (kept as <column>_text); renamed: {raw column: output name} -#}
{% macro cleaned_text_columns(columns, lowered=[], typed=[], renamed={}) -%}
    {%- for column in columns %}
        {%- set value = "nullif(trim(cast(" ~ column ~ " as string)), '')" %}
        {%- if column in lowered %}{% set value = "lower(" ~ value ~ ")" %}{% endif %}
        {%- set alias = renamed.get(column, column ~ ("_text" if column in typed else "")) %}
        {{ value }} as {{ alias }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- true on every row of a key (valid rows apart from invalid ones) whose copies disagree on expression -#}
{% macro differs_within_key(expression, key_columns) -%}
    min({{ expression }}) over (partition by row_reason is null, {{ key_columns | join(', ') }})
        <> max({{ expression }}) over (partition by row_reason is null, {{ key_columns | join(', ') }})
{%- endmacro %}

{#- 1 for the first line of a key, 2 for its second copy, ... -#}
{% macro copy_number(key_columns) -%}
    row_number() over (partition by row_reason is null, {{ key_columns | join(', ') }} order by line_number)
{%- endmacro %}

{#- The row's rejection reason: its own row_reason, else the first of conflicts ({flag column:
    reason}) that holds, else duplicate_row for a later identical copy; NULL for an accepted row. -#}
{% macro rejection_reason(conflicts) -%}
    case
        when row_reason is not null then row_reason
        {%- for flag, reason in conflicts.items() %}
        when {{ flag }} then '{{ reason }}'
        {%- endfor %}
        when copy_number > 1 then 'duplicate_row'
    end
{%- endmacro %}
