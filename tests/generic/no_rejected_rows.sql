{#- An input's rejected rows (rejection_reason set): configured `severity: warn` on each
    validated staging model, so the build says that rows were rejected (rpt_input_rejected lists
    them) and goes on, while the guarding tests of the accepted rows still fail it. -#}
{% test no_rejected_rows(model) %}
    select * from {{ model }}
    where rejection_reason is not null
{% endtest %}
