"""Incremental builds (the scale issue): the demo's last weeks arrive after a first build,
together with three corrections (a new manual license mapping, a relabelled instance, an
amended subscription). The incremental build reads only the new files, the late pings and
manual uploads land in their months, the corrections take effect without a full refresh, and
the result equals a `--full-refresh` build of the same directory, row for row."""

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, DbtProject

HELD_BACK_WEEKS = 4  # the last ping and SaaS files arrive after the first build
COMPARED = ["stg_raw__pings", "dim_subscription", "dim_instance", "fct_service_ping",
            "fct_service_ping_metric", "mart_instance_monthly", "mart_subscription_monthly", "mart_use_case_measures",
            "mart_use_case_adoption", "mart_account_health", "mart_usage_alerts", "rpt_unmapped_licenses",
            "rpt_pings_quarantined", "rpt_saas_namespace_links"]


def _held_back(raw):
    pings = sorted((raw / "pings").glob("*.ndjson"))[-HELD_BACK_WEEKS:]
    saas = sorted((raw / "saas_usage").glob("*.ndjson"))[-HELD_BACK_WEEKS:]
    first_late_day = pings[0].stem
    manual = [path for path in (raw / "manual_uploads").glob("*.json") if path.stem[-10:] >= first_late_day[:7]]
    return pings + saas + manual


def _rows_inserted(result, model):
    [node] = [node for node in result.result.results if node.node.name == model]
    return node.adapter_response.get("rows_affected")


def _export(project, relation):
    return project.query(f"select * from {relation} order by all")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    raw, parked = base / "raw", base / "parked"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(raw)],
                   check=True, capture_output=True)
    parked.mkdir()
    held = _held_back(raw)
    for path in held:
        (parked / path.relative_to(raw)).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, parked / path.relative_to(raw))

    incremental = DbtProject(base / "incremental.duckdb", base / "target-incremental")
    first = incremental.build(raw_data_dir=raw)
    assert first.success, first.exception

    # corrections chosen from what the first build shows
    [(license_md5, subscription_id)] = incremental.query(
        "select license_md5, suggested_subscription_id from rpt_unmapped_licenses "
        "where suggested_subscription_id is not null order by license_md5 limit 1")
    [(uuid, hostname)] = incremental.query(
        "select uuid, hostname from dim_instance where instance_type_source <> 'csm_label' "
        "and delivery = 'self_managed' order by uuid, hostname limit 1")
    [(amended_name, amended_row)] = incremental.query(
        "select subscription_name, subscription_id from dim_subscription "
        "where delivery = 'self_managed' and licensed_seats > 0 order by subscription_name limit 1")
    lines = (raw / "subscriptions.csv").read_text(encoding="utf-8").splitlines()
    [current] = [line for line in lines if line.split(",")[0] == amended_row]
    fields = current.split(",")
    fields[0], fields[2], fields[7] = fields[0] + "-amended", str(int(fields[2]) + 1), str(int(fields[7]) + 100)
    (raw / "subscriptions.csv").write_text("\n".join(lines + [",".join(fields)]) + "\n", encoding="utf-8")
    with (raw / "license_md5_to_subscription_mapping.csv").open("a", encoding="utf-8") as mapping:
        mapping.write(f"{license_md5},{subscription_id}\n")
    with (raw / "instance_types.csv").open("a", encoding="utf-8") as labels:
        labels.write(f"{uuid},{hostname},Staging,,2026-10-01 09:00:00\n")

    for path in held:
        shutil.move(parked / path.relative_to(raw), path)
    second = incremental.build(raw_data_dir=raw)
    assert second.success, second.exception

    refreshed = DbtProject(base / "refreshed.duckdb", base / "target-refreshed")
    full = refreshed.invoke("build", "--exclude", "test_type:unit", "--full-refresh", raw_data_dir=raw)
    assert full.success, full.exception
    return {"incremental": incremental, "refreshed": refreshed, "second": second, "held": held, "raw": raw,
            "license_md5": license_md5, "subscription_id": subscription_id, "instance": (uuid, hostname),
            "amended": (amended_name, fields[0], int(fields[7]))}


def test_the_incremental_build_reads_only_the_new_files(builds):
    new_ping_lines = sum(len(path.read_text(encoding="utf-8").splitlines())
                         for path in builds["held"] if path.parent.name == "pings")
    new_manual_uploads = sum(1 for path in builds["held"] if path.parent.name == "manual_uploads")
    assert new_ping_lines > 0 and new_manual_uploads > 0
    inserted = _rows_inserted(builds["second"], "stg_raw__pings")
    assert inserted in (None, -1) or inserted == new_ping_lines + new_manual_uploads
    [(loaded_after,)] = builds["incremental"].query(
        "select count(*) from stg_raw__pings where file_name in ("
        + ", ".join(f"'{path.relative_to(builds['raw'])}'" for path in builds["held"]) + ")")
    assert loaded_after == new_ping_lines + new_manual_uploads


def test_incremental_history_equals_a_full_refresh(builds):
    different = [relation for relation in COMPARED
                 if _export(builds["incremental"], relation) != _export(builds["refreshed"], relation)]
    assert different == []
    assert all(_export(builds["incremental"], relation) for relation in ["fct_service_ping", "mart_account_health"])


def test_late_pings_and_manual_uploads_land_in_their_month(builds):
    late = builds["incremental"].query(
        "select upload_method, ping_month, cast(date_trunc('month', received_at) as date) "
        "from fct_service_ping where file_name in ("
        + ", ".join(f"'{path.relative_to(builds['raw'])}'" for path in builds["held"]) + ") "
        "and (upload_method = 'manual' or date_trunc('month', received_at) <> ping_month)")
    assert {method for method, _, _ in late} >= {"manual"}
    assert all(month == (received if method == "manual" else month) for method, month, received in late)
    instance_months = builds["incremental"].query(
        "select count(*) from mart_instance_monthly where ping_id in (select ping_id from fct_service_ping "
        "where upload_method = 'manual' and file_name in ("
        + ", ".join(f"'{path.relative_to(builds['raw'])}'" for path in builds["held"]) + "))")
    assert instance_months[0][0] > 0


def test_corrections_take_effect_without_a_full_refresh(builds):
    project = builds["incremental"]
    [(mapping_source, subscription_name)] = project.query(
        "select distinct mapping_source, subscription_name from dim_instance "
        f"where license_md5 = '{builds['license_md5']}'")
    [(suggested_name,)] = project.query(
        f"select subscription_name from stg_raw__subscriptions where subscription_id = '{builds['subscription_id']}'")
    assert (mapping_source, subscription_name) == ("manual", suggested_name)
    uuid, hostname = builds["instance"]
    assert project.query(
        f"select instance_type, instance_type_source from dim_instance where uuid = '{uuid}' and hostname = '{hostname}'"
    ) == [("Staging", "csm_label")]
    name, amended_id, seats = builds["amended"]
    assert project.query(
        f"select subscription_id, licensed_seats from dim_subscription where subscription_name = '{name}'"
    ) == [(amended_id, seats)]
