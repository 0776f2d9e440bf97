"""The analyst database `dbt build` publishes (macros/publish.sql): exactly the marts, no personal
data, readable by DuckDB 1.x clients, swapped in atomically, untouched by a failed build."""

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, DbtProject, envelope, result_messages, write_raw_dir

CLI = Path(sys.executable).with_name("duckdb")
# the shapes of personal data (SPEC §3): an IPv4 or IPv6 address, an e-mail address
IPV4 = r"(^|[^0-9.])([0-9]{1,3}\.){3}[0-9]{1,3}([^0-9.]|$)"
IPV6 = r"(^|[^0-9a-fA-F:])([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,4}::([0-9a-fA-F]{1,4})?"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PERSONAL_COLUMNS = {"source_ip", "licensee_email", "licensee_name", "raw_line"}
# the raw lines of the second build: two accepted pings of a new instance, one line that is not
# JSON (quarantined with its raw text: an address and an e-mail that must stay restricted)
RAW_LINES = [
    envelope(1, uuid="u-new", source_ip="198.51.100.7"),
    envelope(2, uuid="u-new", received_at="2026-04-13T05:00:00Z", recorded_at="2026-04-13T03:00:00Z"),
    '{"id": 3, "source_ip": "198.51.100.8", "payload": {"licensee": {"Email": "cut.off@private-example.org"',
]


def manifest_models(project, schema):
    manifest = json.loads((project.target_dir / "manifest.json").read_text(encoding="utf-8"))
    return {node["name"] for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["schema"] == schema}


def tables(path):
    with duckdb.connect(str(path), read_only=True) as connection:
        return {name for (name,) in connection.execute("select table_schema || '.' || table_name from information_schema.tables").fetchall()}


def personal_data(path):
    """{relation.column: rows} of text columns holding an IP or e-mail shape, and personal column names."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return personal_data_in(connection)


def personal_data_in(connection):
    found = {}
    columns = connection.execute("""
        select table_schema, table_name, column_name, data_type from information_schema.columns
        order by all""").fetchall()
    for schema, table, column, data_type in columns:
        if column in PERSONAL_COLUMNS:
            found[f"{schema}.{table}.{column}"] = "personal column"
        if data_type != "VARCHAR":
            continue
        [(count,)] = connection.execute(
            f'select count(*) from "{schema}"."{table}" where regexp_matches("{column}", ?) '
            f'or regexp_matches("{column}", ?) or regexp_matches("{column}", ?)', [IPV4, IPV6, EMAIL]).fetchall()
        if count:
            found[f"{schema}.{table}.{column}"] = count
    return found


def fingerprint(project):
    """Bytes of every published file."""
    files = [project.analytics_database, project.restricted_database, *sorted(project.parquet_dir.glob("*"))]
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("analyst")
    project = DbtProject(base / "working.duckdb", base / "target")
    result = project.build()
    assert result.success, result.exception
    return project


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory):
    return write_raw_dir(tmp_path_factory.mktemp("raw"), {"2026-04-13.ndjson": RAW_LINES})


def test_exactly_the_marts_and_build_info(published):
    marts = manifest_models(published, "marts")
    # the layer decides: every contract model analysts rely on, nothing of another layer
    assert {"dim_instance", "fct_service_ping", "fct_service_ping_metric", "mart_account_health",
            "rpt_unmapped_licenses", "rpt_data_quality"} <= marts
    assert not marts & (manifest_models(published, "staging") | manifest_models(published, "intermediate"))
    assert tables(published.analytics_database) == {f"main.{name}" for name in marts | {"build_info"}} | {
        "storage.metrics_catalog", "storage.service_ping_metric_values", "storage.publish_basis"}
    restricted = manifest_models(published, "restricted")
    assert restricted == {"rpt_pings_quarantined", "rpt_license_usage_rejected"}
    assert tables(published.restricted_database) == {f"main.{name}" for name in restricted | {"build_info"}}
    # Parquet: every table of schema main (the view and its stored tables have no file)
    assert {path.name for path in published.parquet_dir.iterdir()} == {
        f"{name}.parquet" for name in marts - {"fct_service_ping_metric"} | {"build_info"}}


def test_same_rows_as_the_working_database(published):
    with duckdb.connect(str(published.analytics_database), read_only=True) as analyst:
        for name in manifest_models(published, "marts"):
            [(count,)] = analyst.execute(f"select count(*) from {name}").fetchall()
            assert published.query(f"select count(*) from marts.{name}") == [(count,)], name
            if name != "fct_service_ping_metric":
                [(parquet_count,)] = analyst.execute(
                    "select count(*) from read_parquet(?)", [str(published.parquet_dir / f"{name}.parquet")]).fetchall()
                assert parquet_count == count, name
        # the long-form fact is a view over stored columns: the same rows as the build's view
        assert analyst.execute("select count(*), count(metric_value), sum(metric_value) from fct_service_ping_metric").fetchall() \
            == published.query("select count(*), count(metric_value), sum(metric_value) from marts.fct_service_ping_metric")


def test_build_info_is_one_row_of_this_build(published):
    run_results = json.loads((published.target_dir / "run_results.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(published.analytics_database), read_only=True) as analyst:
        rows = analyst.execute("select as_of_date, published_at, dbt_invocation_id, target_name from build_info").fetchall()
        types = dict(analyst.execute("select column_name, data_type from information_schema.columns "
                                     "where table_name = 'build_info'").fetchall())
    assert types == {"as_of_date": "DATE", "published_at": "TIMESTAMP", "dbt_invocation_id": "VARCHAR", "target_name": "VARCHAR"}
    [(as_of_date, published_at, invocation_id, target_name)] = rows
    assert published.query("select as_of_date from int_as_of_date") == [(as_of_date,)]
    assert invocation_id == run_results["metadata"]["invocation_id"]
    assert target_name == "duckdb"
    assert abs(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - published_at) < dt.timedelta(hours=1)


def test_descriptions_go_along_as_comments(published):
    manifest = json.loads((published.target_dir / "manifest.json").read_text(encoding="utf-8"))
    nodes = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    with duckdb.connect(str(published.analytics_database), read_only=True) as analyst:
        relations = dict(analyst.execute(
            "select table_name, comment from duckdb_tables() where database_name = current_database() and schema_name = 'main' "
            "union all select view_name, comment from duckdb_views() where database_name = current_database() and not internal").fetchall())
        columns = analyst.execute("select table_name, column_name, comment from duckdb_columns() "
                                  "where database_name = current_database() and schema_name = 'main'").fetchall()
    assert len(relations) == len(manifest_models(published, "marts")) + 1
    for name, comment in relations.items():
        assert comment and comment == (nodes[name]["description"] if name in nodes else comment), name
    for table, column, comment in columns:
        expected = nodes[table]["columns"][column]["description"] if table in nodes else comment
        assert comment and comment == expected, f"{table}.{column}"


def test_no_personal_data_in_the_analyst_files(published):
    assert personal_data(published.analytics_database) == {}
    with duckdb.connect() as connection:
        for path in published.parquet_dir.glob("*.parquet"):
            connection.execute(f"create view {path.stem} as select * from read_parquet('{path}')")
        assert len(connection.execute("select * from information_schema.tables").fetchall()) > 10
        assert personal_data_in(connection) == {}


def test_the_scan_finds_personal_data_where_it_is(published):
    # the check must be able to fail: the quarantine keeps raw lines with addresses and e-mails
    found = personal_data(published.restricted_database)
    assert "main.rpt_pings_quarantined.raw_line" in found


def test_the_duckdb_1x_cli_opens_it(published):
    version = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    output = subprocess.run(
        [str(CLI), "-readonly", "-csv", "-noheader", str(published.analytics_database), "-c",
         "select (select count(*) from mart_account_health), (select count(*) from fct_service_ping_metric), "
         "(select as_of_date from build_info)"],
        capture_output=True, text=True, check=True).stdout.strip()
    [(health, metrics, as_of_date)] = published.query(
        "select (select count(*) from mart_account_health), (select count(*) from fct_service_ping_metric), "
        "(select as_of_date from int_as_of_date)")
    assert output == f"{health},{metrics},{as_of_date.isoformat()}"


READER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
query = "select (select count(*) from fct_service_ping), (select dbt_invocation_id from build_info)"
print(*connection.execute(query).fetchone(), flush=True)
sys.stdin.readline()
print(*connection.execute(query).fetchone(), flush=True)
"""


def test_a_reader_holding_the_file_never_blocks_the_next_build(published, raw_dir):
    path = str(published.analytics_database)
    reader = subprocess.Popen([sys.executable, "-c", READER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        before = reader.stdout.readline().split()
        result = published.build(raw_data_dir=raw_dir)
        assert result.success, result_messages(result)
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == before  # its snapshot, read to the end
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    with duckdb.connect(path, read_only=True) as analyst:
        after = analyst.execute("select (select count(*) from fct_service_ping), (select dbt_invocation_id from build_info)").fetchone()
    assert after[0] == 2 and int(before[0]) > 2
    assert after[1] != before[1]
    # a production build on raw files: its quarantined line (an address, an e-mail) stays restricted
    assert personal_data(published.analytics_database) == {}
    with duckdb.connect(str(published.restricted_database), read_only=True) as restricted:
        assert restricted.execute("select count(*) from rpt_pings_quarantined").fetchall() == [(1,)]


def test_a_failed_build_leaves_every_published_file_as_it_was(published, raw_dir, tmp_path):
    published.build(raw_data_dir=raw_dir)
    before = fingerprint(published)
    # a model fails: a required input is missing
    broken = tmp_path / "broken"
    shutil.copytree(raw_dir, broken)
    (broken / "subscriptions.csv").unlink()
    result = published.build(raw_data_dir=broken)
    assert not result.success
    assert fingerprint(published) == before
    # a data test fails (a copy of the project with one failing singular test)
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv*", "target", "logs", ".git"))
    (project / "tests" / "assert_this_build_fails.sql").write_text("select 1 as failing_row\n", encoding="utf-8")
    command = [str(Path(sys.executable).with_name("dbt")), "build", "--exclude", "test_type:unit",
               "--project-dir", str(project), "--profiles-dir", str(project), "--vars", json.dumps({"raw_data_dir": str(raw_dir)})]
    # (a working database of its own: this process holds the fixture's open)
    env = {**os.environ, "DUCKDB_PATH": str(tmp_path / "copy.duckdb"), "DBT_PROJECT_DIR": str(project),
           "ANALYTICS_DUCKDB_PATH": str(published.analytics_database), "RESTRICTED_DUCKDB_PATH": str(published.restricted_database)}
    failed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout[-3000:]
    assert "assert_this_build_fails" in failed.stdout and "Analyst database not published" in failed.stdout
    assert fingerprint(published) == before
    # a build that selects part of the project publishes nothing either
    assert published.invoke("build", "--select", "stg_raw__pings", raw_data_dir=raw_dir).success
    assert fingerprint(published) == before


@pytest.mark.parametrize("where", ["missing", "file"])
def test_a_bad_publish_path_is_a_clear_error_and_the_build_stays(tmp_path, raw_dir, where):
    project = DbtProject(tmp_path / "working.duckdb", tmp_path / "target")
    if where == "file":
        (tmp_path / "not-a-directory").write_text("", encoding="utf-8")
        project.analytics_database = tmp_path / "not-a-directory" / "analytics.duckdb"
        expected = "is not a directory"
    else:
        project.analytics_database = tmp_path / "no-such-directory" / "analytics.duckdb"
        expected = "does not exist"
    result = project.build(raw_data_dir=raw_dir)
    assert not result.success
    message = result_messages(result)
    assert str(project.analytics_database) in message and expected in message
    # every model was built and stays: only the publication failed
    assert project.query("select count(*) from marts.fct_service_ping") == [(2,)]
    assert not project.restricted_database.exists()


def test_no_published_model_keeps_personal_or_raw_columns(published):
    # a model that keeps input as received must be tagged restricted (generate_schema_name)
    manifest = json.loads((published.target_dir / "manifest.json").read_text(encoding="utf-8"))
    offending = [f"{node['name']}.{name}" for node in manifest["nodes"].values()
                 if node["resource_type"] == "model" and node["schema"] == "marts"
                 for name, column in node["columns"].items()
                 if name in PERSONAL_COLUMNS or (column.get("meta") or {}).get("pii")]
    assert offending == []
    restricted = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"
                  and node["original_file_path"].startswith("models/marts/") and "raw_line" in node["columns"]]
    assert restricted and all(node["schema"] == "restricted" for node in restricted)


def published_contents(path):
    """{relation: sorted rows} of every table and view of an analyst file but build_info and
    publish_basis (which say when and by which build it was published)."""
    with duckdb.connect(str(path), read_only=True) as analyst:
        relations = analyst.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
            "union all select schema_name, view_name from duckdb_views() where database_name = current_database() "
            "and not internal order by all").fetchall()
        return {f"{schema}.{name}": sorted(analyst.execute(f'select * from "{schema}"."{name}"').fetchall(), key=repr)
                for schema, name in relations if name not in ("build_info", "publish_basis")}


def build_and_publish(project, raw_dir, *options):
    """A build (its own log file); how it published: 'updating the last published file' or 'written whole'."""
    logs = project.target_dir / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    result = project.invoke("build", "--exclude", "test_type:unit", "--log-path", str(logs), *options, raw_data_dir=raw_dir)
    assert result.success, result_messages(result)
    [line] = [line for line in (logs / "dbt.log").read_text(encoding="utf-8").splitlines() if "Analyst database published" in line]
    return "updating the last published file" if "updating the last published file" in line else "written whole"


def publish_line(project):
    """The log line of the last build_and_publish that says how it published."""
    [line] = [line for line in (project.target_dir / "logs" / "dbt.log").read_text(encoding="utf-8").splitlines()
              if "Analyst database published" in line]
    return line


def updated_by_written_rows(project):
    """The marts the last build_and_publish updated by the rows written since (meta publish_written_rows_of)."""
    found = re.search(r"; ([a-z_, ]+) by the rows written since", publish_line(project))
    return set(found.group(1).split(", ")) if found else set()


def metric_rows(connection, ping_id):
    return connection.execute("select key_path, raw_value, value_status from fct_service_ping_metric "
                              "where ping_id = ? order by key_path", [ping_id]).fetchall()


def test_the_next_publish_updates_the_last_one_and_equals_a_whole_one(tmp_path):
    # week 1: two instances; week 2: a new ping, and a line of the same ping as ping 10 received
    # earlier (it becomes the kept one, with other values; ping 10 becomes a duplicate)
    raw = write_raw_dir(tmp_path / "raw", {"2026-04-06.ndjson": [
        envelope(10), envelope(20, uuid="u-2", hostname="gitlab.other.example")]})
    project = DbtProject(tmp_path / "working.duckdb", tmp_path / "target")
    assert build_and_publish(project, raw) == "written whole"
    write_raw_dir(raw, {"2026-04-13.ndjson": [
        envelope(11, received_at="2026-04-06T04:00:00Z", counts={"ci_builds": 61}),
        envelope(12, received_at="2026-04-13T05:00:00Z", recorded_at="2026-04-13T03:00:00Z")]})
    assert build_and_publish(project, raw) == "updating the last published file"
    # the pings: only the rows int_service_pings_mapped wrote since (a mart with publish_written_rows_of)
    assert updated_by_written_rows(project) == {"fct_service_ping", "mart_instance_monthly", "mart_use_case_measures",
                                              "mart_use_case_adoption"}
    updated = published_contents(project.analytics_database)
    with duckdb.connect(str(project.analytics_database), read_only=True) as analyst:
        assert [ping_id for (ping_id,) in analyst.execute(
            "select ping_id from storage.service_ping_metric_values order by 1").fetchall()] == [11, 12, 20]
        assert [ping_id for (ping_id,) in analyst.execute("select ping_id from fct_service_ping order by 1").fetchall()] == [11, 12, 20]
        assert ("counts.ci_builds", "61", "ok") in metric_rows(analyst, 11)
    version = subprocess.run([str(CLI), "-readonly", "-csv", "-noheader", str(project.analytics_database), "-c",
                              "select count(*) from storage.service_ping_metric_values"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == "3"
    # the same build published whole: the same rows in every table and view
    project.analytics_database.unlink()
    assert build_and_publish(project, raw) == "written whole"
    assert published_contents(project.analytics_database) == updated
    assert len(updated["main.fct_service_ping_metric"]) == 3 * len(updated["storage.metrics_catalog"])


def test_rows_written_by_a_build_that_did_not_publish_reach_the_next_publish(tmp_path):
    raw = write_raw_dir(tmp_path / "raw", {"2026-04-06.ndjson": [envelope(10)]})
    project = DbtProject(tmp_path / "working.duckdb", tmp_path / "target")
    assert build_and_publish(project, raw) == "written whole"
    # a build of part of the project stores a new ping and publishes nothing
    write_raw_dir(raw, {"2026-04-13.ndjson": [
        envelope(12, received_at="2026-04-13T05:00:00Z", recorded_at="2026-04-13T03:00:00Z")]})
    partial = project.invoke("build", "--exclude", "test_type:unit", "--select", "+int_service_pings_mapped",
                             raw_data_dir=raw)
    assert partial.success, result_messages(partial)
    with duckdb.connect(str(project.analytics_database), read_only=True) as analyst:
        assert analyst.execute("select ping_id from fct_service_ping").fetchall() == [(10,)]
    # the next build writes no ping again, and publishes the one written before
    assert build_and_publish(project, raw) == "updating the last published file"
    assert updated_by_written_rows(project) == {"fct_service_ping", "mart_instance_monthly", "mart_use_case_measures",
                                              "mart_use_case_adoption"}
    updated = published_contents(project.analytics_database)
    assert [row[0] for row in updated["main.fct_service_ping"]] == [10, 12]
    project.analytics_database.unlink()
    assert build_and_publish(project, raw) == "written whole"
    assert published_contents(project.analytics_database) == updated


def test_a_copy_that_would_be_wrong_is_not_kept(tmp_path):
    # the same ping ids with other values from another raw directory: kept rows would be stale
    first = write_raw_dir(tmp_path / "first", {"2026-04-06.ndjson": [envelope(10)]})
    second = write_raw_dir(tmp_path / "second", {"2026-04-06.ndjson": [
        envelope(10, counts={"ci_builds": 99})]})
    project = DbtProject(tmp_path / "working.duckdb", tmp_path / "target")
    assert build_and_publish(project, first) == "written whole"
    assert build_and_publish(project, second) == "written whole"
    with duckdb.connect(str(project.analytics_database), read_only=True) as analyst:
        assert ("counts.ci_builds", "99", "ok") in metric_rows(analyst, 10)
    # --full-refresh publishes whole too, and then the next build updates the copy again
    assert build_and_publish(project, second, "--full-refresh") == "written whole"
    assert build_and_publish(project, second) == "updating the last published file"
    # a --full-refresh of part of the project publishes nothing: the next publish writes whole
    assert project.invoke("build", "--full-refresh", "--select", "stg_raw__pings", raw_data_dir=second).success
    assert build_and_publish(project, second) == "written whole"


def test_a_changed_macro_writes_the_copy_whole(tmp_path):
    # a parsing rule lives in a macro: the rows kept from the last publish may no longer be its result
    project_dir = tmp_path / "project"
    shutil.copytree(ROOT, project_dir, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "dbt_packages", "__pycache__"))
    raw = write_raw_dir(tmp_path / "raw", {"2026-04-06.ndjson": [envelope(10)]})
    project = DbtProject(tmp_path / "working.duckdb", tmp_path / "target", project_dir=project_dir)
    assert build_and_publish(project, raw) == "written whole"
    assert build_and_publish(project, raw) == "updating the last published file"
    rules = project_dir / "macros" / "ping_rules.sql"
    changed = rules.read_text(encoding="utf-8").replace(
        "{% macro accepted_ping() %}", "{% macro accepted_ping() %}{# changed #}", 1)
    assert changed != rules.read_text(encoding="utf-8")
    rules.write_text(changed, encoding="utf-8")
    assert build_and_publish(project, raw) == "written whole"
