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
    ("unique_combination_of_columns", {"combination_of_columns": ["a", "b"]},
     "select 1 as a, 1 as b union all select 1, 2", 0),
    ("unique_combination_of_columns", {"combination_of_columns": ["a", "b"]},
     "select 1 as a, 1 as b union all select 1, 1", 1),
    ("accepted_range", {"column_name": "x", "min_value": 0, "max_value": 10},
     "select 0 as x union all select 10 union all select null", 0),
    ("accepted_range", {"column_name": "x", "min_value": 0, "max_value": 10},
     "select -1 as x union all select 11 union all select 5", 2),
    ("accepted_range", {"column_name": "x", "min_value": 0}, "select 99 as x union all select -1", 1),
    ("not_null_where", {"column_name": "x", "condition": "flag"},
     "select cast(null as integer) as x, false as flag union all select 1, true", 0),
    ("not_null_where", {"column_name": "x", "condition": "flag"},
     "select cast(null as integer) as x, true as flag", 1),
]


def failing_rows(dbt_project, test, arguments, relation):
    rendered = ", ".join(f"{name}={json.dumps(value)}" for name, value in arguments.items())
    inline = (f"select count(*) as failures from ({{{{ test_{test}(model='({relation}) as relation', "
              f"{rendered}) }}}}) as failing")
    result = dbt_project.invoke("show", "--inline", inline)
    assert result.success, result.exception
    return int(result.result.results[0].agate_table.rows[0][0])


@pytest.mark.parametrize(("test", "arguments", "relation", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_generic_test_fails_exactly_on_bad_rows(dbt_project, test, arguments, relation, expected):
    assert failing_rows(dbt_project, test, arguments, relation) == expected
