"""Property: whatever the lines look like, every one is accounted for -
lines read = accepted + duplicates + quarantined, and the build does not fail."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import envelope, write_raw_dir

KEYS = ["uuid", "hostname", "recorded_at", "version", "license_md5", "license_billable_users", "counts"]
odd_values = st.one_of(st.none(), st.booleans(), st.integers(-3, 2 ** 62), st.floats(allow_nan=False, allow_infinity=False),
                       st.text(max_size=12), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@st.composite
def mutated_line(draw, ping_id):
    document = json.loads(envelope(ping_id, uuid=draw(st.sampled_from(["u-1", "u-2"])),
                                   recorded_at=draw(st.sampled_from(["2026-04-06T03:00:00Z", "2026-04-13T03:00:00Z"]))))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "replace", "envelope"]))
        key = draw(st.sampled_from(KEYS))
        if action == "drop":
            document["payload"].pop(key, None)
        elif action == "replace":
            document["payload"][key] = draw(odd_values)
        else:
            document[draw(st.sampled_from(["id", "received_at", "payload"]))] = draw(odd_values)
    line = json.dumps(document)
    if draw(st.booleans()) and draw(st.booleans()):
        line = line[: draw(st.integers(0, len(line)))]  # truncated
    return line


lines_strategy = st.integers(1, 12).flatmap(lambda count: st.tuples(*[mutated_line(index + 1) for index in range(count)]))


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=lines_strategy)
def test_every_line_is_accounted_for(dbt_project, lines):
    with tempfile.TemporaryDirectory() as directory:
        raw = write_raw_dir(Path(directory), {"fuzz.ndjson": list(lines)})
        result = dbt_project.invoke(
            "build", "--select", "+fct_service_ping", "+rpt_pings_quarantined", "--indirect-selection", "cautious",
            "--exclude", "test_type:unit", raw_data_dir=raw,
        )
        assert result.success, result.exception
        [(read, accepted, duplicates, quarantined)] = dbt_project.query("""
            select
                (select count(*) from stg_raw__pings),
                (select count(*) from fct_service_ping),
                (select count(*) from int_service_pings_deduplicated where is_duplicate),
                (select count(*) from rpt_pings_quarantined)""")
        assert read == len(lines)
        assert read == accepted + duplicates + quarantined
