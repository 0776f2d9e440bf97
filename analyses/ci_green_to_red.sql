-- Subscriptions whose CI use case went from green to red from one month to the next.
{{ use_case_green_to_red('ci') }}
