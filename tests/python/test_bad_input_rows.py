"""Bad rows in the tabular inputs: each is rejected with its reason, listed in rpt_input_rejected
with its file, line and fields, counted in rpt_data_quality; the good rows flow on and the build
goes on (warning). Structural problems still stop it, naming the file and the problem."""

import pytest

from conftest import LICENSES, SUBSCRIPTIONS, envelope, result_messages, write_raw_dir

HEADER = SUBSCRIPTIONS.splitlines()[0]
BAD_SUBSCRIPTIONS = SUBSCRIPTIONS + "\n".join([
    "sub-b1,S-B,1,ACC-2,Bad Month Corp,premium,self_managed,10,2026-13-01,2026-12-31,Active",   # line 4
    "sub-b2,S-C,1,ACC-3,Typo Corp,premium,self_managed,abc,2026-01-01,2026-12-31,Active",        # line 5
    ",S-D,1,ACC-4,No Id Corp,premium,self_managed,10,2026-01-01,2026-12-31,Active",              # line 6
    "sub-b4,S-E,1,ACC-5,Plan Corp,platinum,self_managed,10,2026-01-01,2026-12-31,Active",        # line 7
    "sub-b5,S-F,1,ACC-6,Twice Corp,premium,self_managed,10,2026-01-01,2026-12-31,Active",        # line 8
    "sub-b5,S-F,1,ACC-6,Twice Corp,premium,self_managed,20,2026-01-01,2026-12-31,Active",        # line 9
    "sub-v2,S-1,2,ACC-1,Example Corp,ultimate,self_managed,200,2026-01-01,2026-12-31,Active",    # line 10
    "sub-b6,S-G,1,ACC-7,Short Corp,premium",                                                      # line 11
    "sub-b7,S-H,1,ACC-8,Long Corp,premium,self_managed,10,2026-01-01,2026-12-31,Active,x,y",     # line 12
]) + "\n"
BAD_LICENSES = LICENSES + "\n".join([
    "92eb5ffee6ae2fec3ad71c777531578f,sub-v2,ultimate,many,2026-01-01,2026-12-31,false,2026-01-01 00:00:00",
    "4a8a08f09d37b73795649038408b5f33,sub-v2,ultimate,10,2026-01-01,2026-12-31,maybe,2026-01-01 00:00:00",
]) + "\n"
MAPPING = "license_md5,zuora_subscription_id\n" \
          "8277e0910d750195b448797616e091ad,sub-v1\n" \
          "8277e0910d750195b448797616e091ad,sub-v2\n"
LABELS = "uuid,hostname,instance_type,included_in_health_measure,updated_at\n" \
         "u-1,gitlab.example.com,Production,Included,2026-01-01 00:00:00\n" \
         "u-1,gitlab.example.com,Prod,,2026-02-01 00:00:00\n"


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(tmp_path_factory.mktemp("bad-rows"), {"week.ndjson": [envelope(1)]}, tables={
        "subscriptions.csv": BAD_SUBSCRIPTIONS, "licenses.csv": BAD_LICENSES,
        "license_md5_to_subscription_mapping.csv": MAPPING, "instance_types.csv": LABELS,
    })
    # a Latin-1 company name (Excel's default on Windows) in a row of its own
    with open(raw / "subscriptions.csv", "ab") as handle:
        handle.write("sub-b8,S-I,1,ACC-9,Soci\u00e9t\u00e9,premium,self_managed,10,2026-01-01,2026-12-31,Active\n".encode("latin-1"))
    result = dbt_project.build(raw_data_dir=raw)
    assert result.success, result_messages(result)
    return dbt_project, result


def test_each_bad_row_is_rejected_with_its_reason_file_and_line(built):
    project, _ = built
    rows = project.query("select input_name, file_name, line_number, rejection_reason from rpt_input_rejected order by 1, 2, 3")
    assert rows == [
        ("instance_types", "instance_types.csv", 3, "unknown_instance_type"),
        ("license_md5_to_subscription_mapping", "license_md5_to_subscription_mapping.csv", 2, "license_mapped_twice"),
        ("license_md5_to_subscription_mapping", "license_md5_to_subscription_mapping.csv", 3, "license_mapped_twice"),
        ("licenses", "licenses.csv", 3, "invalid_users_count"),
        ("licenses", "licenses.csv", 4, "invalid_is_trial"),
        ("subscriptions", "subscriptions.csv", 4, "unparseable_term_start_date"),
        ("subscriptions", "subscriptions.csv", 5, "invalid_licensed_seats"),
        ("subscriptions", "subscriptions.csv", 6, "missing_subscription_id"),
        ("subscriptions", "subscriptions.csv", 7, "unknown_plan"),
        ("subscriptions", "subscriptions.csv", 8, "conflicting_duplicate"),
        ("subscriptions", "subscriptions.csv", 9, "conflicting_duplicate"),
        ("subscriptions", "subscriptions.csv", 10, "duplicate_row"),
        ("subscriptions", "subscriptions.csv", 11, "missing_fields"),
        ("subscriptions", "subscriptions.csv", 12, "too_many_fields"),
        ("subscriptions", "subscriptions.csv", 13, "not_utf8"),
    ]


def test_a_rejected_row_keeps_its_fields(built):
    project, _ = built
    (fields,) = project.query("select row_fields from rpt_input_rejected where input_name = 'subscriptions' and line_number = 5")[0]
    assert '"licensed_seats":"abc"' in fields.replace(" ", "") and '"subscription_id":"sub-b2"' in fields.replace(" ", "")


def test_good_rows_flow_on(built):
    project, _ = built
    assert project.query("select subscription_id from dim_subscription") == [("sub-v2",)]
    assert project.query("select distinct subscription_id, mapping_source from fct_service_ping") == [("sub-v2", "license")]


def test_the_build_warns_and_counts_the_rejected_rows(built):
    project, result = built
    warned = sorted(r.node.name for r in result.result if str(r.status) == "warn")
    assert [name for name in warned if name.startswith("no_rejected_rows")] == [
        "no_rejected_rows_stg_raw__instance_types_", "no_rejected_rows_stg_raw__license_subscription_mapping_",
        "no_rejected_rows_stg_raw__licenses_", "no_rejected_rows_stg_raw__subscriptions_"]
    counts = dict(project.query("select check_name, numerator from rpt_data_quality where check_name like '%rows_rejected'"))
    assert counts == {"subscriptions_rows_rejected": 10, "licenses_rows_rejected": 2,
                      "license_md5_to_subscription_mapping_rows_rejected": 2, "instance_types_rows_rejected": 1,
                      "saas_usage_rows_rejected": 0}


@pytest.mark.parametrize("problem, tables, expected", [
    ("a required column renamed", {"subscriptions.csv": SUBSCRIPTIONS.replace("term_start_date", "term_start")},
     ["subscriptions.csv", "term_start_date"]),
    ("a required column missing", {"subscriptions.csv": SUBSCRIPTIONS.replace(",status\n", "\n", 1)},
     ["subscriptions.csv", "status"]),
    ("a zero-byte required file", {"subscriptions.csv": ""}, ["subscriptions.csv", "empty"]),
    ("the mapping's header renamed", {"subscriptions.csv": SUBSCRIPTIONS,
                                      "license_md5_to_subscription_mapping.csv": "license_md5,subscription_id\n"},
     ["license_md5_to_subscription_mapping.csv", "zuora_subscription_id"]),
])
def test_structural_problems_stop_the_build_naming_file_and_problem(dbt_project, tmp_path, problem, tables, expected):
    raw = write_raw_dir(tmp_path / "structure", {"week.ndjson": [envelope(1)]}, tables=tables)
    result = dbt_project.build(raw_data_dir=raw)
    assert not result.success, problem
    assert all(text in result_messages(result) for text in expected), result_messages(result)


def test_a_raw_directory_that_does_not_exist_is_named(dbt_project, tmp_path):
    result = dbt_project.build(raw_data_dir=tmp_path / "nowhere")
    assert not result.success
    assert f"{tmp_path / 'nowhere'} does not exist" in result_messages(result)
