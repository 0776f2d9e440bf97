"""Incremental builds (the scale issue): the demo's last weeks arrive after a first build, then
three corrections (a new manual license mapping, a relabelled instance, an amended subscription)
in a build of their own. The incremental builds read only the new files, recompute only the
dedupe groups those files touch (late pings and manual uploads land in their months), the corrections
take effect without a full refresh, and the result equals a `--full-refresh` build of the same
directory, row for row, the incremental models included."""

import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, DbtProject

sys.path.insert(0, str(ROOT / "scripts"))
import parity  # noqa: E402

# files received from this Monday on arrive after the first build: the demo's late ping (recorded
# in mid-June, received in July) among them, and the manual uploads from July on
HELD_BACK_FROM = "2026-06-29"
COMPARED = ["stg_raw__pings", "stg_raw__saas_usage", "dim_subscription", "dim_instance", "fct_service_ping",
            "fct_service_ping_metric", "mart_instance_monthly", "mart_subscription_monthly", "mart_use_case_measures",
            "mart_use_case_adoption", "mart_account_health", "mart_usage_alerts", "rpt_unmapped_licenses",
            "rpt_pings_quarantined", "rpt_saas_namespace_links",
            # the monthly core and what reads it
            "int_service_pings_deduplicated", "int_saas_measurements", "int_service_pings_mapped",
            "int_instance_months", "int_instance_months_typed", "int_primary_ping_metrics", "int_xmau_deployment_months",
            "int_instance_month_metrics", "int_use_case_measures", "int_use_case_scores"]


# the fourth correction: this measure's green threshold (seed use_case_measures) changes
CHANGED_MEASURE, CHANGED_GREEN_FROM = "ci,deployments_per_seat", "0.06"

# a manual upload the first build stores, whose automatic copy arrives with the held-back week
AUTOMATIC_COPY_OF = parity.AUTOMATIC_COPY_OF


def _stored_rows(project):
    """Each stored row of the core by its dedupe group (uuid, hostname, as-of time), month, line
    and rowid: a row rewritten gets a new rowid, so this tells which groups a build rewrote."""
    return set(project.query("select (uuid, hostname, ping_at), ping_month, file_name, line_number, rowid "
                             "from int_service_pings_deduplicated"))


def _snapshot_rows(project):
    """The monthly snapshot's rows by key and rowid, with the columns a correction changes."""
    return {(uuid, hostname, month): (rowid, instance_type, subscription_id) for uuid, hostname, month, rowid, instance_type,
            subscription_id in project.query("select uuid, hostname, month, rowid, instance_type, subscription_id "
                                             "from int_instance_month_metrics")}


def _mapped_rows(project):
    """The mapped pings by id and rowid, with the columns a correction changes."""
    return {ping_id: (rowid, subscription_id, mapping_source) for ping_id, rowid, subscription_id, mapping_source
            in project.query("select ping_id, rowid, subscription_id, mapping_source from int_service_pings_mapped")}


def _measure_rows(project):
    """The use-case measures by key, with the build that wrote each row and its green threshold."""
    return {tuple(key): (written_at, green_from) for *key, written_at, green_from in project.query(
        "select subscription_id, month, use_case, measure, _written_at, green_from from int_use_case_measures")}


def _kept_copy(project):
    """The kept copy of the payload uploaded by hand and later sent automatically."""
    return project.query("select upload_method, ping_id from fct_service_ping "
                         f"where file_name = 'manual_uploads/{AUTOMATIC_COPY_OF}' or ping_id = {10**9}")


def _export(project, relation):
    """Every row, but the bookkeeping columns (`_written_at` says which build wrote the row)."""
    return project.query(f"select columns(lambda c: not starts_with(c, '_')) from {relation} order by all")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    raw, parked = base / "raw", base / "parked"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(raw)],
                   check=True, capture_output=True)
    parked.mkdir()
    held = parity.files_from(raw, HELD_BACK_FROM)
    for path in held:
        (parked / path.relative_to(raw)).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, parked / path.relative_to(raw))

    # the week's first ping file also carries a ping the collector sent again, received a week
    # after its first copy (a duplicate of a ping the first build stored, which the week ranks
    # again), and the automatic copy of an air-gapped instance's payload uploaded by hand before
    # the first build: the automatic copy is kept from now on, the manual one no more
    [first_held] = sorted((parked / "pings").glob("*.ndjson"))[:1]
    parity.add_late_copies(raw, first_held)

    # a copy of the project: the fourth correction changes a seed
    project = base / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "dbt_packages", "__pycache__", ".pytest_cache"))
    incremental = DbtProject(base / "incremental.duckdb", base / "target-incremental", project_dir=project)
    first = incremental.build(raw_data_dir=raw)
    assert first.success, first.exception
    rows_before = _stored_rows(incremental)
    kept_before = _kept_copy(incremental)
    measures_before = _measure_rows(incremental)

    # the week lands
    for path in held:
        shutil.move(parked / path.relative_to(raw), path)
    week = incremental.build(raw_data_dir=raw)
    assert week.success, week.exception
    rows_after = _stored_rows(incremental)
    snapshot_after = _snapshot_rows(incremental)
    mapped_after = _mapped_rows(incremental)
    kept_after = _kept_copy(incremental)
    measures_after = _measure_rows(incremental)
    week_staging = (incremental.target_dir / "compiled" / "usage_analytics" / "models" / "staging" / "ping_collector"
                    / "stg_raw__pings.sql").read_text(encoding="utf-8")

    # corrections chosen from what the first build shows
    [(license_md5,)] = incremental.query("select license_md5 from rpt_unmapped_licenses order by license_md5 limit 1")
    [(uuid, hostname)] = incremental.query(
        "select uuid, hostname from dim_instance where instance_type_source <> 'csm_label' "
        "and delivery = 'self_managed' order by uuid, hostname limit 1")
    [(amended_name, amended_row)] = incremental.query(
        "select subscription_name, subscription_id from dim_subscription "
        "where delivery = 'self_managed' and licensed_seats > 0 order by subscription_name limit 1")
    subscription_id = amended_row  # the newly mapped license goes to the subscription amended below
    lines = (raw / "subscriptions.csv").read_text(encoding="utf-8").splitlines()
    [current] = [line for line in lines if line.split(",")[0] == amended_row]
    fields = current.split(",")
    fields[0], fields[2], fields[7] = fields[0] + "-amended", str(int(fields[2]) + 1), str(int(fields[7]) + 100)
    (raw / "subscriptions.csv").write_text("\n".join(lines + [",".join(fields)]) + "\n", encoding="utf-8")
    with (raw / "license_md5_to_subscription_mapping.csv").open("a", encoding="utf-8") as mapping:
        mapping.write(f"{license_md5},{subscription_id}\n")
    with (raw / "instance_types.csv").open("a", encoding="utf-8") as labels:
        labels.write(f"{uuid},{hostname},Staging,,2026-10-01 09:00:00\n")

    # then the corrections, with no new file
    second = incremental.build(raw_data_dir=raw)
    assert second.success, second.exception

    # a fourth correction: a changed seed threshold, in a build of its own
    measures_corrected = _measure_rows(incremental)
    seed = project / "seeds" / "reference" / "use_case_measures.csv"
    seed_lines = seed.read_text(encoding="utf-8").splitlines()
    [changed_line] = [number for number, line in enumerate(seed_lines) if line.startswith(f"{CHANGED_MEASURE},")]
    seed_fields = seed_lines[changed_line].split(",")
    seed_fields[-2] = CHANGED_GREEN_FROM
    seed_lines[changed_line] = ",".join(seed_fields)
    seed.write_text("\n".join(seed_lines) + "\n", encoding="utf-8")
    seeded = incremental.build(raw_data_dir=raw)
    assert seeded.success, seeded.exception

    refreshed = DbtProject(base / "refreshed.duckdb", base / "target-refreshed", project_dir=project)
    full = refreshed.invoke("build", "--exclude", "test_type:unit", "--full-refresh", raw_data_dir=raw)
    assert full.success, full.exception
    return {"incremental": incremental, "refreshed": refreshed, "second": second, "held": held, "raw": raw,
            "rows": (rows_before, rows_after, _stored_rows(incremental)), "week_staging": week_staging,
            "snapshot": (snapshot_after, _snapshot_rows(incremental)),
            "mapped": (mapped_after, _mapped_rows(incremental)), "kept_copy": (kept_before, kept_after),
            "measures": (measures_before, measures_after, measures_corrected, _measure_rows(incremental)),
            "license_md5": license_md5, "subscription_id": subscription_id, "instance": (uuid, hostname),
            "amended": (amended_name, fields[0], int(fields[7]))}


def test_the_incremental_build_reads_only_the_new_files(builds):
    compiled = builds["week_staging"]
    raw = builds["raw"]
    held = {str(path.relative_to(raw)) for path in builds["held"] if path.parent.name in ("pings", "manual_uploads")}
    loaded_before = {str(path.relative_to(raw)) for folder in ("pings", "manual_uploads")
                     for path in (raw / folder).glob("*") if str(path.relative_to(raw)) not in held}
    assert held and loaded_before
    # the model's statement reads the first raw_files_per_statement new ping files and every new
    # manual upload; its post-hook (read_remaining_raw_files) reads the other ping files
    per_statement = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["raw_files_per_statement"]
    held_pings = sorted(name for name in held if name.startswith("pings/"))
    assert len(held_pings) > per_statement
    first_statement = held_pings[:per_statement] + sorted(name for name in held if name.startswith("manual_uploads/"))
    assert [name for name in first_statement if name not in compiled] == []
    assert [name for name in held_pings[per_statement:] + sorted(loaded_before) if name in compiled] == []
    [(loaded,)] = builds["incremental"].query(
        "select count(distinct file_name) from stg_raw__pings where file_name in ("
        + ", ".join(f"'{name}'" for name in sorted(held)) + ")")
    assert loaded == len(held)


def test_incremental_history_equals_a_full_refresh(builds):
    different = [relation for relation in COMPARED
                 if _export(builds["incremental"], relation) != _export(builds["refreshed"], relation)]
    assert different == []
    assert all(_export(builds["incremental"], relation) for relation in ["fct_service_ping", "mart_account_health"])


def test_late_pings_and_manual_uploads_land_in_their_month(builds):
    held = ", ".join(f"'{path.relative_to(builds['raw'])}'" for path in builds["held"])
    arrived_late = builds["incremental"].query(
        "select upload_method, ping_month, cast(date_trunc('month', recorded_at) as date) "
        f"from fct_service_ping where file_name in ({held}) "
        "and (upload_method = 'manual' or date_trunc('month', received_at) <> date_trunc('month', recorded_at))")
    assert {method for method, _, _ in arrived_late} == {"automatic", "manual"}
    assert [row for row in arrived_late if row[1] != row[2]] == []
    [(months_with_late_pings,)] = builds["incremental"].query(
        "select count(*) from mart_instance_monthly where ping_id in (select ping_id from fct_service_ping "
        f"where file_name in ({held}) and upload_method = 'manual')")
    assert months_with_late_pings > 0


def test_corrections_take_effect_without_a_full_refresh(builds):
    project = builds["incremental"]
    [(mapping_source, subscription_name)] = project.query(
        "select distinct mapping_source, subscription_name from dim_instance "
        f"where license_md5 = '{builds['license_md5']}'")
    assert (mapping_source, subscription_name) == ("manual", builds["amended"][0])
    uuid, hostname = builds["instance"]
    assert project.query(
        f"select instance_type, instance_type_source from dim_instance where uuid = '{uuid}' and hostname = '{hostname}'"
    ) == [("Staging", "csm_label")]
    name, amended_id, seats = builds["amended"]
    assert project.query(
        f"select subscription_id, licensed_seats from dim_subscription where subscription_name = '{name}'"
    ) == [(amended_id, seats)]


def test_a_week_recomputes_only_the_groups_it_touches(builds):
    before, after, corrected = builds["rows"]
    held = {str(path.relative_to(builds["raw"])) for path in builds["held"]}
    touched = {group for group, _, file_name, _, _ in after if file_name in held}
    # the week's files reach back into earlier months (late pings, manual uploads)
    assert len({month for group, month, _, _, _ in after if group in touched}) > 1
    # a group the week touches that was stored before: its old copies are ranked again with the new
    assert {group for group, _, _, _, _ in before} & touched
    # every other group keeps the very rows stored before; the touched groups are written anew
    assert {row for row in after if row[0] not in touched} == {row for row in before if row[0] not in touched}
    last_rowid = max(rowid for _, _, _, _, rowid in before)
    assert all(rowid > last_rowid for group, _, _, _, rowid in after if group in touched)
    # corrections with no new file rewrite nothing of the core
    assert corrected == after


def test_corrections_rewrite_only_the_snapshot_rows_they_change(builds):
    before, after = builds["snapshot"]
    assert before.keys() == after.keys()
    rewritten = {key for key in after if after[key][0] != before[key][0]}
    changed = {key for key in after if after[key][1:] != before[key][1:]}
    uuid, hostname = builds["instance"]
    # the relabelled instance's months are among the rows written again; most rows are not
    assert changed and changed <= rewritten
    assert {key for key in after if key[:2] == (uuid, hostname)} <= rewritten
    assert len(rewritten) < len(after) / 2


def test_a_copy_kept_instead_replaces_the_stored_ping(builds):
    before, after = builds["kept_copy"]
    assert [method for method, _ in before] == ["manual"]
    assert after == [("automatic", 10**9)]


def test_corrections_rewrite_only_the_pings_whose_mapping_they_change(builds):
    before, after = builds["mapped"]
    assert before.keys() == after.keys()
    rewritten = {ping_id for ping_id in after if after[ping_id][0] != before[ping_id][0]}
    changed = {ping_id for ping_id in after if after[ping_id][1:] != before[ping_id][1:]}
    # the newly mapped license's pings among them; most pings are not written again
    assert changed and changed == rewritten
    assert {ping_id for ping_id in after if after[ping_id][2] == "manual"} & rewritten
    assert len(rewritten) < len(after) / 2


def test_a_week_rescores_only_a_small_share_of_the_use_case_grid(builds):
    before, after, _, _ = builds["measures"]
    rewritten = {key for key in after if after[key][0] != before.get(key, (None,))[0]}
    held = ", ".join(f"'{path.relative_to(builds['raw'])}'" for path in builds["held"])
    [(first_month,)] = builds["incremental"].query(
        f"select min(ping_month) from fct_service_ping where file_name in ({held})")
    # the week's new subscription-months among the rows written; only the months its pings
    # belong to are scored again, every row of an earlier month keeps the build that wrote it
    assert after.keys() - before.keys() and after.keys() - before.keys() <= rewritten
    assert {key[1] for key in rewritten} and min(key[1] for key in rewritten) >= first_month
    assert any(key[1] < first_month for key in after)
    assert len(rewritten) < len(after) / 2


def test_a_changed_seed_threshold_rescores_exactly_its_measure(builds):
    _, _, before, after = builds["measures"]
    use_case, measure = CHANGED_MEASURE.split(",")
    assert before.keys() == after.keys()
    rewritten = {key for key in after if after[key][0] != before[key][0]}
    assert rewritten == {key for key in after if key[2:] == (use_case, measure)} != set()
    assert {after[key][1] for key in rewritten} == {float(CHANGED_GREEN_FROM)}
