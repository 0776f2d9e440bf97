"""Drive dbt in-process (dbtRunner, one invocation at a time) on crafted raw data directories."""

import contextlib
import gzip
import json
import os
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

ROOT = Path(__file__).resolve().parents[2]


# the project's schemas (macros/generate_schema_name.sql), searched in this order for unqualified names
SCHEMAS = ["main", "marts", "intermediate", "staging", "restricted", "reference", "sample", "golden"]


def duckdb_connect(database):
    """A connection to a DuckDB file dbt may still hold open in this process: DuckDB refuses a
    second connection with other database options, so pass the profile's (config_options).
    Unqualified model names resolve in every layer's schema (search_path)."""
    connection = duckdb.connect(str(database), config={"temp_directory": os.environ.get("DUCKDB_TEMP_DIR", "target/duckdb_tmp")})
    existing = {name for (name,) in connection.execute(
        "select schema_name from information_schema.schemata where catalog_name = current_database()").fetchall()}
    connection.execute(f"set search_path = '{','.join(name for name in SCHEMAS if name in existing)}'")
    return connection


@contextlib.contextmanager
def _env(**values):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class DbtProject:
    """One DuckDB file; dbt commands against it; read-only queries."""

    def __init__(self, database: Path, target_dir: Path, project_dir: Path = ROOT):
        self.database = database
        self.target_dir = target_dir
        self.project_dir = project_dir
        # what a successful build publishes (macros/publish.sql), beside the working database
        self.analytics_database = database.with_name(f"{database.stem}.analytics.duckdb")
        self.parquet_dir = database.with_name(f"{database.stem}.analytics")
        self.restricted_database = database.with_name(f"{database.stem}.restricted.duckdb")

    def invoke(self, *args, raw_data_dir=None, variables=None):
        variables = dict(variables or {})
        if raw_data_dir is not None:
            variables["raw_data_dir"] = str(raw_data_dir)
        command = [*args, "--project-dir", str(self.project_dir), "--profiles-dir", str(self.project_dir),
                   "--target-path", str(self.target_dir)]
        if variables:
            command += ["--vars", json.dumps(variables)]
        with _env(DUCKDB_PATH=str(self.database), ANALYTICS_DUCKDB_PATH=str(self.analytics_database),
                  RESTRICTED_DUCKDB_PATH=str(self.restricted_database), DBT_PROJECT_DIR=str(self.project_dir)):
            return dbtRunner().invoke(command)

    def build(self, raw_data_dir=None, **options):
        return self.invoke("build", "--exclude", "test_type:unit", raw_data_dir=raw_data_dir, **options)

    def query(self, sql):
        connection = duckdb_connect(self.database)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def relations(self):
        return [name for (name,) in self.query("select table_name from information_schema.tables order by 1")]


def result_messages(result):
    """Everything a failed dbt invocation said: its exception and each node's message."""
    return str(result.exception or "") + " ".join(str(getattr(r, "message", "")) for r in (result.result or []))


@pytest.fixture(scope="module")
def dbt_project(tmp_path_factory):
    base = tmp_path_factory.mktemp("dbt")
    return DbtProject(base / "test.duckdb", base / "target")


SUBSCRIPTIONS = (
    "subscription_id,subscription_name,subscription_version,account_id,account_name,plan,delivery,"
    "licensed_seats,term_start_date,term_end_date,status\n"
    "sub-v1,S-1,1,ACC-1,Example Corp,ultimate,self_managed,200,2025-01-01,2025-12-31,Expired\n"
    "sub-v2,S-1,2,ACC-1,Example Corp,ultimate,self_managed,200,2026-01-01,2026-12-31,Active\n"
)
LICENSES = "license_md5,subscription_id,plan,users_count,starts_at,expires_at,is_trial,created_at\n" \
           "0cc175b9c0f1b6a831c399e269772661,sub-v1,ultimate,200,2025-01-01,2026-12-31,false,2025-01-01 00:00:00\n"


def payload(uuid="u-1", hostname="gitlab.example.com", recorded_at="2026-04-06T03:00:00Z", **fields):
    document = {
        "uuid": uuid, "hostname": hostname, "version": "16.11.3-ee", "recorded_at": recorded_at,
        "license_md5": "0cc175b9c0f1b6a831c399e269772661", "license_user_count": 200, "license_billable_users": 80,
        "licensee": {"Name": "Quentin Quarantine", "Email": "quentin.q@private-example.org", "Company": "Example Corp"},
        "usage_activity_by_stage_monthly": {"manage": {"events": 60}},
    }
    document.update(fields)
    return document


def envelope(ping_id, received_at="2026-04-06T05:00:00Z", source_ip="192.0.2.123", **payload_fields):
    return json.dumps({"id": ping_id, "received_at": received_at, "source_ip": source_ip, "payload": payload(**payload_fields)})


def write_raw_dir(path: Path, ping_files: dict, manual_uploads: dict = None, tables: dict = None, gz: set = ()):
    """ping_files: {file name: [lines]}; tables: {csv name: text} (default: subscriptions + licenses)."""
    (path / "pings").mkdir(parents=True, exist_ok=True)
    for name, lines in ping_files.items():
        text = "\n".join(lines) + "\n"
        if name in gz:
            with gzip.open(path / "pings" / name, "wt", encoding="utf-8") as handle:
                handle.write(text)
        else:
            (path / "pings" / name).write_text(text, encoding="utf-8")
    if manual_uploads:
        (path / "manual_uploads").mkdir(exist_ok=True)
        for name, document in manual_uploads.items():
            (path / "manual_uploads" / name).write_text(document, encoding="utf-8")
    for name, text in (tables if tables is not None else {"subscriptions.csv": SUBSCRIPTIONS, "licenses.csv": LICENSES}).items():
        (path / name).write_text(text, encoding="utf-8")
    return path
