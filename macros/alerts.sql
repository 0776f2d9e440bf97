{#- One alert type's candidates (SPEC §4.8), in the one shape every type shares: a select of
    `relation` (a CTE holding the columns the expressions name) giving alert_type, account_id,
    subscription_id, uuid, hostname, month, subject, metric_value, term_month and details. Whether a
    candidate fires is decided once for every type, from seed alert_rules (threshold, fires_when,
    from_term_month): mart_usage_alerts. -#}
{% macro alert_candidates(alert_type, relation, subject, metric_value, details, where=none, is_instance_alert=false,
                          term_month='cast(null as integer)') %}
    select
        '{{ alert_type }}' as alert_type,
        account_id,
        subscription_id,
        {{ 'uuid' if is_instance_alert else 'cast(null as string)' }} as uuid,
        {{ 'hostname' if is_instance_alert else 'cast(null as string)' }} as hostname,
        month,
        {{ subject }} as subject,
        cast({{ metric_value }} as double) as metric_value,
        {{ term_month }} as term_month,
        {{ details }} as details
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{% endmacro %}
