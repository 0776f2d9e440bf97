{#- Service Ping business rules (SPEC §2.1, §3, §4.9, §4.13): what a version, a metric value, an
    internal install and an accepted ping are. Written once here, with the engine adapters of
    macros/adapters/ underneath, so every model applies the same rule. -#}

{#- GitLab version strings: 16.11.3, 16.11.3-ee, 15.3.0-rc42-ee, 15.3.0-pre. Anything else: NULL parts. -#}
{% macro version_pattern() %}{{ return('^([0-9]+)[.]([0-9]+)[.]([0-9]+)(-(pre|rc[0-9]+))?(-ee)?$') }}{% endmacro %}

{% macro version_part(expression, part) %}
    {%- set group = {'major': 1, 'minor': 2, 'patch': 3}[part] -%}
    case when {{ regex_full_match(expression, version_pattern()) }}
        then cast({{ regex_group(expression, version_pattern(), group) }} as integer)
    end
{% endmacro %}

{% macro version_is_prerelease(expression) %}
    case when {{ regex_full_match(expression, version_pattern()) }}
        then {{ regex_group(expression, version_pattern(), 4) }} <> ''
    end
{% endmacro %}

{#- SPEC §3 and §4.13 metric semantics, one definition for every model:
    - absent key or JSON null: not_instrumented when the instance's version (version_rank) is older
      than the metric's milestone (milestone_rank), not_collected when it is not (optional data
      turned off, 14.1+); not_instrumented when either is unknown (the former rule: nothing shows
      the version had the metric);
    - -1, -2 (counter error) or the histogram fallback {"-1": -1}: failed;
    - -1000: deprecated;
    - other negatives or non-numbers: invalid. -#}
{% macro metric_status(json_expression, version_rank=none, milestone_rank=none) %}
    case
        when {{ json_expression }} is null or {{ json_type_of(json_expression) }} = 'NULL' then
            {%- if version_rank is not none and milestone_rank is not none %}
            case when {{ version_rank }} >= {{ milestone_rank }} then 'not_collected' else 'not_instrumented' end
            {%- else %}
            'not_instrumented'
            {%- endif %}
        when {{ metric_failed(json_expression) }} then 'failed'
        when {{ json_number(json_expression) }} is null then 'invalid'
        when {{ json_number(json_expression) }} = -1000 then 'deprecated'
        when {{ json_number(json_expression) }} < 0 then 'invalid'
        else 'ok'
    end
{% endmacro %}

{#- The instance's query failed (SPEC §4.13): the number -1 or -2 (counter error), whatever JSON
    type carried it (-1, -1.0, "-1"), or {"-1": -1} in place of a histogram. Every such text holds
    a minus sign, and almost no metric does, so the text is searched first and only the rare
    values with a '-' are cast: casting every catalog metric is a large share of staging's CPU. -#}
{% macro metric_failed(json_expression) %}
    (instr({{ json_expression }}, '-') > 0 and (
        {{ json_number(json_expression) }} in (-1, -2)
        or replace(cast({{ json_expression }} as string), ' ', '') = '{"-1":-1}'
    ))
{% endmacro %}

{#- An internal install (SPEC §4.13): a development kit or a version string holding the marker
    (vars internal_installation_types, internal_version_marker); a SaaS measurement never is. -#}
{% macro is_internal_install(installation_type, gitlab_version) %}
    {%- set types = var('internal_installation_types', []) -%}
    coalesce(
        {%- if types %}
        lower({{ installation_type }}) in ({% for type in types %}{{ sql_string(type | lower) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- else %}
        false
        {%- endif %}
        or instr({{ gitlab_version }}, {{ sql_string(var('internal_version_marker', 'VERSION')) }}) > 0,
        false
    )
{%- endmacro %}

{#- A top-level text field (uuid, hostname, version) with GitLab's fallback value -1 / "-1" is
    missing: NULL (SPEC §4.13). -#}
{% macro without_fallback(text_expression) %}
    case when trim({{ text_expression }}) <> '-1' then {{ text_expression }} end
{%- endmacro %}

{#- The usable value: the number when the status is ok, NULL otherwise (never 0). -#}
{% macro metric_value(json_expression) %}
    case when {{ json_number(json_expression) }} >= 0 then {{ json_number(json_expression) }} end
{% endmacro %}

{#- The envelope and payload fields staging parses (SPEC §2.1), with their leaf types:
    text fields are read as text, counts as the JSON value (typed by metric_value). -#}
{% macro ping_document_fields() %}
    {%- set fields = [('id', 'json'), ('received_at', 'text'), ('source_ip', 'text')] -%}
    {%- for field in ['uuid', 'hostname', 'version', 'edition', 'installation_type', 'recorded_at',
                      'license_md5', 'license_sha256', 'license_id', 'license_subscription_id', 'license_plan', 'license_trial',
                      'license_starts_at', 'license_expires_at', 'licensee.Name', 'licensee.Email',
                      'licensee.Company'] -%}
        {%- do fields.append(('payload.' ~ field, 'text')) -%}
    {%- endfor -%}
    {%- for field in ['license_user_count', 'license_billable_users', 'historical_max_users', 'active_user_count'] -%}
        {%- do fields.append(('payload.' ~ field, 'json')) -%}
    {%- endfor -%}
    {{ return(fields) }}
{% endmacro %}

{#- A line of stg_raw__pings that is an accepted ping of this build: no quarantine reason, and
    received by the as-of date (a replay: a ping received later has not arrived yet). The one
    definition for the dedupe and for whatever needs only the accepted pings' columns (the
    licenses seen in pings), which can then read staging instead of computing the dedupe. -#}
{% macro accepted_ping() %}
    (quarantine_reason is null and {{ known_as_of('received_at') }})
{%- endmacro %}

{#- As-of replay (SPEC §4.9): with var('as_of_date') set, input dated after it has not arrived yet.
    Returns a predicate on a timestamp/date column (always true without the var; NULL dates pass). -#}
{% macro known_as_of(column) %}
    {%- set as_of = var('as_of_date', '') -%}
    {%- if as_of -%}
        ({{ column }} is null or cast({{ column }} as date) <= cast('{{ as_of }}' as date))
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{#- The columns that say which raw line a ping is and where it came from (lineage and ids), as
    every model listing pings row by row carries them first. -#}
{% macro ping_identity_columns() %}
    {{- select_list(['file_name', 'line_number', 'upload_method', 'ping_id', 'uuid', 'hostname']) -}}
{% endmacro %}

{#- The version and edition columns of a ping (SPEC §4.6), as staging parses them and every
    ping-grain model carries them on; with as_null, each as a typed NULL, for measurements that
    have no installation (SaaS namespaces). -#}
{% macro ping_version_columns(as_null=false) %}
    {%- set columns = [
        ('gitlab_version', 'string'),
        ('version_major', 'integer'),
        ('version_minor', 'integer'),
        ('version_patch', 'integer'),
        ('is_prerelease', 'boolean'),
        ('edition', 'string'),
        ('installation_type', 'string'),
    ] -%}
    {%- set items = [] -%}
    {%- for name, type in columns -%}
        {%- do items.append(('cast(null as ' ~ type ~ ') as ' ~ name) if as_null else name) -%}
    {%- endfor -%}
    {{- select_list(items) -}}
{% endmacro %}

{#- The license columns of a ping (SPEC §4.6, §4.13), as staging parses them and the dedupe keeps
    them: the licensee's name and e-mail are not among them (they stay in staging). -#}
{% macro ping_license_columns() %}
    {{- select_list(['license_md5', 'license_sha256', 'license_id', 'license_subscription_id', 'license_plan',
                     'is_trial_license', 'license_starts_at', 'license_expires_at']) -}}
{% endmacro %}

{#- The timestamps of a ping: recorded by the instance, received by the collector, and ping_at,
    the as-of time the models use. -#}
{% macro ping_timestamp_columns() %}
    {{- select_list(['recorded_at', 'received_at', 'ping_at']) -}}
{% endmacro %}

{#- Select-list items, one per line at a select list's indent (no comma before the first or after
    the last): how the ping column groups render where a model lists them. -#}
{% macro select_list(items) %}
    {{- items | join(',\n        ') -}}
{% endmacro %}
