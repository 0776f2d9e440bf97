"""The project's own generic tests (tests/generic) pass on good rows and fail on bad ones - a test
that cannot fail is a defect: each is rendered on an inline relation and run with `dbt show`."""

import json

import pytest

ROWS_OF_IDS = "select 1 as id union all select 2"
CASES = [
    # (test, arguments, relation, failing rows)
    ("primary_key", {"column_name": "id"}, ROWS_OF_IDS, 0),
    ("primary_key", {"column_name": "id"}, "select 1 as id union all select 1", 1),
    ("primary_key", {"column_name": "id"}, "select 1 as id union all select null", 1),
    # a multi-column grain: a NULL in any key column, or a repeated combination, fails
    ("primary_key", {"columns": ["a", "b"]}, "select 1 as a, 1 as b union all select 1, 2 union all select 2, 1", 0),
    ("primary_key", {"columns": ["a", "b"]}, "select 1 as a, 1 as b union all select 1, null", 1),
    ("primary_key", {"columns": ["a", "b"]}, "select 1 as a, 1 as b union all select null, 1", 1),
    ("primary_key", {"columns": ["a", "b"]},
     "select 1 as a, 2 as b union all select 1, 2 union all select 1, 3 union all select 2, 2", 1),
    ("primary_key", {"columns": ["a", "b"]}, "select 1 as a, null as b union all select 1, null", 1),
    # text and dates in the grain, and keys that differ in one column only
    ("primary_key", {"columns": ["s", "d", "n"]},
     "select 'x' as s, date '2026-01-01' as d, 1 as n union all select 'x', date '2026-02-01', 1 "
     "union all select 'y', date '2026-01-01', 1 union all select 'x', date '2026-01-01', 2", 0),
    ("primary_key", {"columns": ["s", "d", "n"]},
     "select 'x' as s, date '2026-01-01' as d, 1 as n union all select 'x', date '2026-01-01', 1 "
     "union all select 'y', date '2026-01-01', 1", 1),
    ("unique_combination_of_columns", {"combination_of_columns": ["a", "b"]},
     "select 1 as a, 1 as b union all select 1, 2", 0),
    ("unique_combination_of_columns", {"combination_of_columns": ["a", "b"]},
     "select 1 as a, 1 as b union all select 1, 1", 1),
    # several columns against one value list, or each against its own: one row per column and bad value
    ("accepted_values_of_columns", {"columns": ["a", "b"], "values": ["red", "green"]},
     "select 'red' as a, 'green' as b union all select null, 'red'", 0),
    ("accepted_values_of_columns", {"columns": ["a", "b"], "values": ["red", "green"]},
     "select 'red' as a, 'blue' as b union all select 'red', 'blue' union all select 'pink', 'red'", 2),
    ("accepted_values_of_columns", {"columns": {"a": ["x"], "b": ["y"]}},
     "select 'x' as a, 'y' as b", 0),
    ("accepted_values_of_columns", {"columns": {"a": ["x"], "b": ["y"]}},
     "select 'y' as a, 'y' as b union all select 'x', 'x'", 2),
    ("accepted_values_of_columns", {"columns": {"n": [1, 2]}}, "select 1 as n union all select 3", 1),
    # several columns' NULLs: one row per column that holds one
    ("not_null_columns", {"columns": ["a", "b"]}, "select 1 as a, 1 as b union all select 2, 2", 0),
    ("not_null_columns", {"columns": ["a", "b"]}, "select 1 as a, null as b union all select 2, null", 1),
    ("not_null_columns", {"columns": ["a", "b"]}, "select null as a, 1 as b union all select 2, null", 2),
    ("not_null_columns", {"columns": {"a": "flag", "b": "true"}},
     "select null as a, 1 as b, false as flag union all select 1, 2, true", 0),
    ("not_null_columns", {"columns": {"a": "flag", "b": "true"}},
     "select null as a, null as b, true as flag union all select null, 1, true", 2),
    # several columns' ranges: one row per column with a value outside its range
    ("accepted_range_of_columns", {"columns": {"x": {"min_value": 0, "max_value": 1}, "y": {"min_value": 0}}},
     "select 0 as x, 5 as y union all select 1, 0 union all select null, null", 0),
    ("accepted_range_of_columns", {"columns": {"x": {"min_value": 0, "max_value": 1}, "y": {"min_value": 0}}},
     "select 2 as x, -1 as y union all select -1, 0 union all select 0.5, -3", 2),
    ("accepted_range_of_columns", {"columns": {"x": {"max_value": 1}}}, "select 1.5 as x union all select -9", 1),
    ("accepted_range", {"column_name": "x", "min_value": 0, "max_value": 10},
     "select 0 as x union all select 10 union all select null", 0),
    ("accepted_range", {"column_name": "x", "min_value": 0, "max_value": 10},
     "select -1 as x union all select 11 union all select 5", 2),
    ("accepted_range", {"column_name": "x", "min_value": 0}, "select 99 as x union all select -1", 1),
    ("not_null_where", {"column_name": "x", "condition": "flag"},
     "select cast(null as integer) as x, false as flag union all select 1, true", 0),
    ("not_null_where", {"column_name": "x", "condition": "flag"},
     "select cast(null as integer) as x, true as flag", 1),
    # golden_records_match: the relation is the golden seed (k, v, why), `mart` the relation checked
    ("golden_records_match", {"mart": "(select 1 as k, 10 as v union all select 2, null) as mart",
                              "keys": ["k"], "columns": ["v"]},
     "select 1 as k, 10 as v, 0 as why union all select 2, null, 0", 0),
    ("golden_records_match", {"mart": "(select 1 as k, 11 as v union all select 2, 5) as mart",
                              "keys": ["k"], "columns": ["v"]},
     "select 1 as k, 10 as v, 0 as why union all select 2, null, 0 union all select 3, 1, 0", 3),
    ("golden_records_match", {"mart": "(select 1 as k, 10.0004 as v, 4 as n) as mart", "keys": ["k"],
                              "columns": ["v", "is_big"], "tolerances": {"v": 0.0005},
                              "expressions": {"is_big": "n > 3"}},
     "select 1 as k, 10.0 as v, true as is_big, 0 as why", 0),
    ("golden_records_match", {"mart": "(select 1 as k, 10.001 as v, 2 as n) as mart", "keys": ["k"],
                              "columns": ["v"], "tolerances": {"v": 0.0005}},
     "select 1 as k, 10.0 as v, 0 as why", 1),
]


def failing_rows(dbt_project, test, arguments, relation):
    rendered = ", ".join(f"{name}={json.dumps(value)}" for name, value in arguments.items())
    model = json.dumps(f"({relation}) as relation")
    inline = f"select count(*) as failures from ({{{{ test_{test}(model={model}, {rendered}) }}}}) as failing"
    result = dbt_project.invoke("show", "--inline", inline)
    assert result.success, result.exception
    return int(result.result.results[0].agate_table.rows[0][0])


@pytest.mark.parametrize(("test", "arguments", "relation", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_generic_test_fails_exactly_on_bad_rows(dbt_project, test, arguments, relation, expected):
    assert failing_rows(dbt_project, test, arguments, relation) == expected
