{#- Spark seeds as literals. dbt-spark's session method formats the bindings into the SQL
    without escaping (a quote in a value is a syntax error, NULL becomes the text 'None'):
    each value is written here as an escaped literal, NULL as null. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {{ spark__seed_literal(row[loop.index0], type) }}{{ ',' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark__seed_literal(value, type) %}
    {%- if value is none -%}
        cast(null as {{ type }})
    {%- else -%}
        {%- if value is sameas true or value is sameas false -%}
            {%- set text = 'true' if value else 'false' -%}
        {%- elif value.strftime is defined and value.hour is defined -%}
            {%- set text = value.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
        {%- elif value.isoformat is defined -%}
            {%- set text = value.isoformat() -%}
        {%- else -%}
            {%- set text = value | string -%}
        {%- endif -%}
        cast('{{ text.replace("\\", "\\\\").replace("'", "\\'") }}' as {{ type }})
    {%- endif -%}
{% endmacro %}
