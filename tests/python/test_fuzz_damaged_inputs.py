"""Fuzz (hypothesis): a small world whose every input kind gets damaged copies of its rows and
damaged files - cut, bytes flipped, fields deleted, wrong types, columns swapped, a cut or corrupt
gzip, a zero-byte file - and, now and then, a damaged CSV header. Whatever the damage:

- the build exits 0, or (a damaged header) stops with the structural error naming the file;
- rows read = accepted + rejected per input (lines read = accepted + duplicates + quarantined for
  pings);
- the marts are those of the undamaged world: the damage is added next to the good rows, so the
  undamaged rows are the world itself, built once.

The damage is chosen to be detectable (a flipped byte sets the high bit: never UTF-8; a swap or a
wrong type puts text where a number, date or enum belongs): a damaged copy that still reads as a
valid row would legitimately change the marts.
"""

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import DbtProject, envelope, result_messages

SUBSCRIPTIONS = [
    "subscription_id,subscription_name,subscription_version,account_id,account_name,plan,delivery,"
    "licensed_seats,term_start_date,term_end_date,status,namespace_id",
    "sub-v1,S-1,1,ACC-1,Example Corp,ultimate,self_managed,200,2025-01-01,2025-12-31,Expired,",
    "sub-v2,S-1,2,ACC-1,Example Corp,ultimate,self_managed,200,2026-01-01,2026-12-31,Active,",
    "sub-saas,S-2,1,ACC-2,Hosted Corp,premium,saas,50,2026-01-01,2026-12-31,Active,77",
]
LICENSES = [
    "license_md5,subscription_id,plan,users_count,starts_at,expires_at,is_trial,created_at",
    "0cc175b9c0f1b6a831c399e269772661,sub-v1,ultimate,200,2025-01-01,2026-12-31,false,2025-01-01 00:00:00",
]
MAPPING = ["license_md5,zuora_subscription_id", "92eb5ffee6ae2fec3ad71c777531578f,sub-v2"]
LABELS = [
    "uuid,hostname,instance_type,included_in_health_measure,updated_at",
    "u-1,gitlab.example.com,Production,Included,2026-01-01 00:00:00",
]
# (a column of text, a column that must be a number, date or enum): a swap is always detectable
SWAPS = {"subscriptions.csv": (4, 7), "licenses.csv": (1, 3), "license_md5_to_subscription_mapping.csv": (0, 1),
         "instance_types.csv": (1, 2)}
WRONG_TYPES = {"subscriptions.csv": (7, "many"), "licenses.csv": (7, "2026-13-45"),
               "license_md5_to_subscription_mapping.csv": (1, ""), "instance_types.csv": (4, "yesterday")}
CSVS = {"subscriptions.csv": SUBSCRIPTIONS, "licenses.csv": LICENSES,
        "license_md5_to_subscription_mapping.csv": MAPPING, "instance_types.csv": LABELS}
INPUT_NAMES = {"subscriptions.csv": "subscriptions", "licenses.csv": "licenses",
               "license_md5_to_subscription_mapping.csv": "license_md5_to_subscription_mapping",
               "instance_types.csv": "instance_types"}
MARTS = ["dim_subscription", "dim_instance", "fct_service_ping", "mart_instance_monthly", "mart_subscription_monthly",
         "mart_use_case_adoption", "mart_account_health", "mart_usage_alerts"]


def pings():
    lines = []
    for week, day in enumerate(["2026-04-06", "2026-04-13", "2026-04-20"]):
        for number, (uuid, md5) in enumerate([("u-1", "0cc175b9c0f1b6a831c399e269772661"),
                                              ("u-2", "92eb5ffee6ae2fec3ad71c777531578f")]):
            lines.append(envelope(10 * week + number + 1, uuid=uuid, license_md5=md5, recorded_at=f"{day}T03:00:00Z",
                                  received_at=f"{day}T05:00:00Z"))
    return lines


def saas_lines():
    return [json.dumps({"namespace_id": 77, "recorded_at": f"{day}T00:00:00Z", "billable_members": 40,
                        "metrics": {"usage_activity_by_stage_monthly": {"manage": {"events": 30}}}})
            for day in ["2026-04-06", "2026-04-13"]]


def damage_csv_row(kind, name, row, position):
    fields = row.split(",")
    if kind == "cut":
        # at least the last field is gone, one character stays (a blank line is not a CSV row)
        return row[:1 + position % max(1, row.rfind(",") - 1)]
    if kind == "flip":
        data = bytearray(row.encode())
        data[position % len(data)] |= 0x80  # the high bit: never UTF-8 on its own
        return bytes(data)
    if kind == "delete":
        del fields[position % len(fields)]
    elif kind == "wrong_type":
        column, value = WRONG_TYPES[name]
        fields[column] = value
    elif kind == "swap":
        left, right = SWAPS[name]
        fields[left], fields[right] = fields[right], fields[left]
    return ",".join(fields)


def damage_json_line(kind, line, position):
    document = json.loads(line)
    if kind == "cut":
        return line[:1 + position % (len(line) - 2)]
    if kind == "flip":
        data = bytearray(line.encode())
        data[position % len(data)] |= 0x80
        return bytes(data)
    target = document["payload"] if "payload" in document else document
    if kind == "delete":
        target.pop("uuid" if "payload" in document else "namespace_id")
    elif kind in ("wrong_type", "swap"):
        key = "received_at" if "payload" in document else "recorded_at"
        document[key] = "not a time" if kind == "wrong_type" else document.get("id", 1)
    return json.dumps(document)


damages = st.lists(st.tuples(st.sampled_from(["cut", "flip", "delete", "wrong_type", "swap"]), st.integers(0, 10 ** 6)),
                   min_size=1, max_size=3)
world_damage = st.fixed_dictionaries({
    **{name: damages for name in CSVS},
    "pings": damages, "saas_usage": damages,
    "files": st.lists(st.sampled_from(["cut_gzip", "corrupt_gzip", "zero_bytes"]), max_size=2, unique=True),
    "header": st.sampled_from([None, None, None, "subscriptions.csv", "licenses.csv"]),
})


def as_bytes(line):
    return line if isinstance(line, bytes) else line.encode()


def write_world(raw: Path, damage=None):
    damage = damage or {}
    expected = {}
    for name, good in CSVS.items():
        rows = list(good)
        for kind, position in damage.get(name, []):
            rows.append(damage_csv_row(kind, name, good[1 + position % (len(good) - 1)], position))
        if damage.get("header") == name:
            rows[0] = rows[0].replace(rows[0].split(",")[1], rows[0].split(",")[1].upper() + "X")
        (raw / name).write_bytes(b"".join(as_bytes(row) + b"\n" for row in rows))
        expected[INPUT_NAMES[name]] = len(rows) - 1
    for folder, lines, file_name in [("pings", pings(), "week.ndjson"), ("saas_usage", saas_lines(), "week.ndjson")]:
        (raw / folder).mkdir(parents=True, exist_ok=True)
        (raw / folder / file_name).write_bytes(b"".join(as_bytes(line) + b"\n" for line in lines))
        extra = [damage_json_line(kind, lines[position % len(lines)], position) for kind, position in damage.get(folder, [])]
        if extra:
            (raw / folder / "damaged.ndjson").write_bytes(b"".join(as_bytes(line) + b"\n" for line in extra))
        expected[folder] = len(lines) + len(extra)
    whole = gzip.compress("".join(line + "\n" for line in pings()).encode())
    for kind in damage.get("files", []):
        if kind == "cut_gzip":
            (raw / "pings" / "cut.ndjson.gz").write_bytes(whole[:len(whole) // 2])
        elif kind == "corrupt_gzip":
            (raw / "pings" / "corrupt.ndjson.gz").write_bytes(whole[:-8] + b"\x00" * 8)
        else:
            (raw / "pings" / "empty.ndjson").write_bytes(b"")
    return raw, expected


def marts(project):
    return {name: sorted(project.query(f"select * from {name}"), key=repr) for name in MARTS}


@pytest.fixture(scope="module")
def undamaged(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz-base")
    project = DbtProject(base / "base.duckdb", base / "target")
    (base / "raw").mkdir()
    raw, _ = write_world(base / "raw")
    result = project.build(raw_data_dir=raw)
    assert result.success, result_messages(result)
    return marts(project)


# each example is a dbt build: no shrinking (it would rerun dozens), the failing damage is printed
@settings(max_examples=2, deadline=None, database=None, phases=[Phase.generate], print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(damage=world_damage)
def test_damage_is_quarantined_and_the_rest_served(undamaged, damage):
    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        (directory / "raw").mkdir()
        raw, expected = write_world(directory / "raw", damage)
        project = DbtProject(directory / "fuzz.duckdb", directory / "target")
        result = project.build(raw_data_dir=raw)
        if damage["header"]:
            assert not result.success
            assert damage["header"] in result_messages(result) and "header" in result_messages(result)
            return
        assert result.success, result_messages(result)

        # rows read = accepted + rejected, per input (and every row written was read)
        for name in INPUT_NAMES.values():
            model = {"license_md5_to_subscription_mapping": "stg_raw__license_subscription_mapping"}.get(name, f"stg_raw__{name}")
            [(read, accepted)] = project.query(f"select count(*), count(*) filter (where rejection_reason is null) from {model}")
            [(rejected,)] = project.query(f"select count(*) from rpt_input_rejected where input_name = '{name}'")
            assert read == expected[name] and read == accepted + rejected, name
        [(read, accepted)] = project.query("select count(*), count(*) filter (where quarantine_reason is null) from stg_raw__saas_usage")
        [(rejected,)] = project.query("select count(*) from rpt_input_rejected where input_name = 'saas_usage'")
        assert read == expected["saas_usage"] and read == accepted + rejected
        [(read, accepted, duplicates, quarantined, file_rows)] = project.query("""
            select
                (select count(*) from stg_raw__pings),
                (select count(*) from fct_service_ping where upload_method <> 'saas'),
                (select count(*) from int_service_pings_deduplicated where is_duplicate),
                (select count(*) from rpt_pings_quarantined),
                (select count(*) from stg_raw__pings where file_name in ('pings/cut.ndjson.gz', 'pings/corrupt.ndjson.gz', 'pings/empty.ndjson'))""")
        assert read == accepted + duplicates + quarantined
        assert read - file_rows == expected["pings"]

        # the marts are those of the undamaged world
        assert marts(project) == undamaged
