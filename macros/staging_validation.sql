{#-
    The validation every tabular input's staging model shares (SPEC §2.4): every value as trimmed
    text ('' as missing), one reason per row (the first check that fails), and the copies of one key
    (identical copies are one row, the first line wins; copies that disagree are all rejected).
    Copies are counted among the valid rows and among the invalid ones apart.
-#}

{#- The raw reader's lineage (file_name, line_number, damage_reason), then every raw column as
    trimmed text with '' as missing. columns: the raw columns in output order; lowered: those
    compared in lower case; typed: those staging parses afterwards (kept as <column>_text);
    renamed: {raw column: output name}. -#}
{% macro cleaned_text_columns(columns, lowered=[], typed=[], renamed={}) -%}
    file_name,
    line_number,
    damage_reason,
    {%- for column in columns %}
        {%- set value = "nullif(trim(cast(" ~ column ~ " as string)), '')" %}
        {%- if column in lowered %}{% set value = "lower(" ~ value ~ ")" %}{% endif %}
        {%- set alias = renamed.get(column, column ~ ("_text" if column in typed else "")) %}
    {{ value }} as {{ alias }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The row's own reason: the reader's damage_reason (a row it could not read whole: not_utf8,
    missing_fields, too_many_fields, empty_file), else the first of checks ({reason: SQL condition
    that fails the row}, in order) that holds; NULL for a valid row. -#}
{% macro first_failing_check(checks) -%}
    case
        when damage_reason is not null then damage_reason
        {%- for reason, condition in checks.items() %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- The rejection reason of a checked row (column row_reason): its own reason, else the first
    conflict that holds - conflicts: [{reason, values, key (default copy_key)}], the rows of one key
    whose `values` disagree -, else duplicate_row for a later copy of copy_key (columns); NULL for an
    accepted row. -#}
{% macro rejection_reason(copy_key, conflicts=[]) -%}
    case
        when row_reason is not null then row_reason
        {%- for conflict in conflicts %}
        {%- set partition = 'row_reason is null, ' ~ (conflict.get('key', copy_key) | join(', ')) %}
        when min({{ conflict['values'] }}) over (partition by {{ partition }})
            <> max({{ conflict['values'] }}) over (partition by {{ partition }})
            then '{{ conflict.reason }}'
        {%- endfor %}
        when row_number() over (partition by row_reason is null, {{ copy_key | join(', ') }} order by line_number) > 1
            then 'duplicate_row'
    end
{%- endmacro %}
