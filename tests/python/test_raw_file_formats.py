"""Ping files as they arrive in the wild: Windows line endings, a UTF-8 byte-order mark, an empty
file, gzip, a control character after a valid document, a gzip stream cut short or corrupt, bytes
that are not UTF-8 - every line is still read once, with its own line number, a line that is not
one JSON text is quarantined whole, and a damaged file is one quarantine row: the build goes on."""

import gzip
import importlib.util
import pathlib
import random

import pytest

from conftest import DbtProject, envelope, result_messages, write_raw_dir


@pytest.fixture(scope="module")
def staged(dbt_project, tmp_path_factory):
    raw = write_raw_dir(tmp_path_factory.mktemp("raw-formats"), {})
    pings = raw / "pings"
    (pings / "windows.ndjson").write_bytes(
        (envelope(1, uuid="crlf-1") + "\r\n\r\n" + envelope(2, uuid="crlf-2") + "\r\n").encode())
    (pings / "bom.ndjson").write_bytes(b"\xef\xbb\xbf" + (envelope(3, uuid="bom-1") + "\n").encode())
    (pings / "empty.ndjson").write_bytes(b"")
    # a control character after a valid document: the line is not JSON, and no reader may cut it
    # down to the valid part
    (pings / "separator.ndjson").write_bytes((envelope(6, uuid="rs-1") + "\x1etail\n").encode())
    with gzip.open(pings / "zipped.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.write(envelope(4, uuid="gz-1") + "\n" + envelope(5, uuid="gz-2") + "\n"
                     + envelope(7, uuid="gz-rs") + "\x1etail\n"
                     # a valid line holding the text \x1e, which the gzip reader once took for its
                     # delimiter (DuckDB reads the four characters, not an escape): cut, quarantined
                     + envelope(8, uuid="gz-text", hostname="h\\x1e") + "\n")
    # bytes that are not UTF-8 (a Latin-1 name, a line cut inside a character) reject their line
    # only; the file's other lines, UTF-8 names included, are read
    (pings / "latin1.ndjson").write_bytes(
        (envelope(11, uuid="utf8", hostname="caf\u00e9.example").replace("\\u00e9", "\u00e9") + "\n").encode()
        + envelope(12, uuid="latin1", hostname="caf\u00e9.example").replace("\\u00e9", "\u00e9").encode("latin-1") + b"\n"
        + '{"id": 13, "payload": {"hostname": "caf\u00e9"}}'.encode()[:-4] + b"\n"  # ends inside the \u00e9
        + (envelope(14, uuid="after") + "\n").encode())
    (raw / "manual_uploads").mkdir()
    (raw / "manual_uploads" / "latin1.json").write_bytes('{"uuid": "m", "hostname": "soci\u00e9t\u00e9"}'.encode("latin-1"))
    # a 3 MB line: over DuckDB's default CSV line limit (2 MB), read whole from either kind of file
    (pings / "long.ndjson").write_text(envelope(9, uuid="long", filler="x" * 3_000_000) + "\n", encoding="utf-8")
    with gzip.open(pings / "long.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.write(envelope(10, uuid="gz-long", filler="x" * 3_000_000) + "\n")
    # damaged files: each is one quarantine row (with the line where known), the build goes on
    whole = gzip.compress("".join(envelope(20 + n, uuid=f"cut-{n}", filler=[(n * 7919 + i) * 104729 % 1000003 for i in range(3000)])
                                  + "\n" for n in range(6)).encode())
    (pings / "cut.ndjson.gz").write_bytes(whole[:len(whole) * 2 // 3])  # a collector died mid-write
    corrupt = bytearray(gzip.compress((envelope(30, uuid="corrupt") + "\n").encode()))
    corrupt[-6] ^= 0xFF  # the stored length no longer matches: its bytes cannot be trusted
    (pings / "corrupt.ndjson.gz").write_bytes(bytes(corrupt))
    (pings / "empty.ndjson.gz").write_bytes(gzip.compress(b""))
    with gzip.open(pings / "latin1.ndjson.gz", "wb") as handle:
        handle.write((envelope(31, uuid="gz-utf8") + "\n").encode()
                     + envelope(32, uuid="gz-latin1", hostname="caf\u00e9").replace("\\u00e9", "\u00e9").encode("latin-1")
                     + b"\n" + (envelope(33, uuid="gz-after") + "\n").encode())
    # a carriage return that ends no line (it stays in the line) and no newline at the end
    (pings / "lone-cr.ndjson").write_bytes((envelope(34, uuid="cr-1") + "\n{\"id\": 35,\r\"x\": 1}\n"
                                            + envelope(36, uuid="cr-after")).encode())
    result = dbt_project.invoke(
        "build", "--select", "+rpt_pings_quarantined", "--indirect-selection", "cautious",
        "--exclude", "test_type:unit", raw_data_dir=raw,
    )
    assert result.success, result.exception
    return dbt_project


def test_every_line_read_once_with_its_number(staged):
    rows = staged.query("select file_name, line_number, uuid, quarantine_reason from stg_raw__pings order by 1, 2")
    assert rows == [
        ("manual_uploads/latin1.json", 1, None, "invalid_json"),
        ("pings/bom.ndjson", 1, "bom-1", None),
        ("pings/corrupt.ndjson.gz", None, None, "corrupt_gzip"),
        ("pings/cut.ndjson.gz", 1, "cut-0", None),
        ("pings/cut.ndjson.gz", 2, "cut-1", None),
        ("pings/cut.ndjson.gz", 3, "cut-2", None),
        ("pings/cut.ndjson.gz", 4, None, "truncated_gzip"),
        ("pings/empty.ndjson", None, None, "empty_file"),
        ("pings/empty.ndjson.gz", None, None, "empty_file"),
        ("pings/latin1.ndjson", 1, "utf8", None),
        ("pings/latin1.ndjson", 2, None, "not_utf8"),
        ("pings/latin1.ndjson", 3, None, "not_utf8"),
        ("pings/latin1.ndjson", 4, "after", None),
        ("pings/latin1.ndjson.gz", 1, "gz-utf8", None),
        ("pings/latin1.ndjson.gz", 2, None, "not_utf8"),
        ("pings/latin1.ndjson.gz", 3, "gz-after", None),
        ("pings/lone-cr.ndjson", 1, "cr-1", None),
        ("pings/lone-cr.ndjson", 2, None, "missing_or_invalid_received_at"),
        ("pings/lone-cr.ndjson", 3, "cr-after", None),
        ("pings/long.ndjson", 1, "long", None),
        ("pings/long.ndjson.gz", 1, "gz-long", None),
        ("pings/separator.ndjson", 1, None, "invalid_json"),
        ("pings/windows.ndjson", 1, "crlf-1", None),
        ("pings/windows.ndjson", 2, None, "empty_line"),
        ("pings/windows.ndjson", 3, "crlf-2", None),
        ("pings/zipped.ndjson.gz", 1, "gz-1", None),
        ("pings/zipped.ndjson.gz", 2, "gz-2", None),
        ("pings/zipped.ndjson.gz", 3, None, "invalid_json"),
        ("pings/zipped.ndjson.gz", 4, "gz-text", None),
    ]


def test_a_line_that_is_not_utf8_is_kept_escaped(staged):
    assert staged.query("select hostname from stg_raw__pings where uuid = 'utf8'") == [("caf\u00e9.example",)]
    (raw_line,) = staged.query("select raw_line from stg_raw__pings where file_name = 'pings/latin1.ndjson' "
                               "and line_number = 2")[0]
    assert "caf\\xE9.example" in raw_line and "\\x22latin1\\x22" in raw_line


def test_a_gzip_line_is_read_whole(staged):
    assert staged.query("select hostname from stg_raw__pings where uuid = 'gz-text'") == [("h\\x1e",)]


def test_a_rejected_line_keeps_its_whole_text(staged):
    rows = staged.query(
        "select file_name, raw_line from stg_raw__pings where quarantine_reason = 'invalid_json' "
        "and file_name in ('pings/separator.ndjson', 'pings/zipped.ndjson.gz') order by 1")
    assert [(file_name, raw_line[-5:]) for file_name, raw_line in rows] == [
        ("pings/separator.ndjson", "\x1etail"),
        ("pings/zipped.ndjson.gz", "\x1etail"),
    ]


def test_a_damaged_file_is_one_row_with_its_line(staged):
    rows = staged.query("select file_name, line_number, quarantine_reason from rpt_pings_quarantined "
                        "where quarantine_reason in ('truncated_gzip', 'corrupt_gzip', 'empty_file') order by 1")
    assert rows == [
        ("pings/corrupt.ndjson.gz", None, "corrupt_gzip"),
        ("pings/cut.ndjson.gz", 4, "truncated_gzip"),
        ("pings/empty.ndjson", None, "empty_file"),
        ("pings/empty.ndjson.gz", None, "empty_file"),
    ]


def test_a_carriage_return_inside_a_line_keeps_it_whole(staged):
    (raw_line,) = staged.query("select raw_line from stg_raw__pings where file_name = 'pings/lone-cr.ndjson' "
                               "and line_number = 2")[0]
    assert raw_line == '{"id": 35,\r"x": 1}'


def test_the_inspection_counts_the_same_across_any_chunk_boundary():
    """stg_raw__files sees a file in chunks: whatever the boundaries cut (a \\r\\n, a UTF-8
    character, a line), its counts are those of the whole bytes."""
    path = pathlib.Path(__file__).resolve().parents[2] / "models" / "staging" / "raw" / "stg_raw__files.py"
    spec = importlib.util.spec_from_file_location("stg_raw__files", path)
    files = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(files)

    pieces = [b"a", b"\n", b"\r", b"\r\n", "\u00e9".encode(), "\u20ac".encode(), b"\xe9", b"\xa9", b"\xef\xbb\xbf", b"{}"]
    rnd = random.Random(23)
    cases = [(b"\xc3a\xa9\n", [1, 2]), (b"a\r\nb\r", [2]), (b"ab\ncd\n", [1, 4])]  # cut: a character, \r\n, lines
    for _ in range(3000):
        data = b"".join(rnd.choice(pieces) * rnd.randint(1, 3) for _ in range(rnd.randint(0, 25)))
        cases.append((data, sorted(rnd.sample(range(len(data) + 1), min(len(data) + 1, rnd.randint(0, 6))))))
    for data, cuts in cases:
        scan = files._Scan()
        for start, end in zip([0] + cuts, cuts + [len(data)]):
            scan.feed(data[start:end])
        line_count = scan.finish()
        lines = data.split(b"\n")
        try:
            data.decode("utf-8")
            is_utf8 = True
        except UnicodeDecodeError:
            is_utf8 = False
        expected = (len(lines) - (1 if lines[-1] == b"" else 0), max(map(len, lines)), is_utf8,
                    data.count(b"\r") - data.count(b"\r\n"))
        assert (line_count, scan.longest, scan.is_utf8, scan.lone_cr) == expected, (data, cuts)


def test_one_file_is_parsed_from_held_lines_as_it_is_streamed(tmp_path, monkeypatch):
    """A read of fewer files than DuckDB's threads (a weekly build's one file) holds the lines
    before the parse so that the parse runs on every thread: the same rows as the streamed read."""
    raw = write_raw_dir(tmp_path / "raw", {"week.ndjson.gz": [
        envelope(1, uuid="one"), "", "not json", envelope(2, uuid="two", filler="x" * 100_000)]}, gz={"week.ndjson.gz"})
    compiled = pathlib.Path("compiled", "usage_analytics", "models", "staging", "ping_collector", "stg_raw__pings.sql")
    found = {}
    for threads in ("2", "1"):
        project = DbtProject(tmp_path / f"threads-{threads}.duckdb", tmp_path / f"target-{threads}")
        monkeypatch.setenv("DUCKDB_THREADS", threads)
        result = project.invoke("build", "--select", "+stg_raw__pings", "--indirect-selection", "cautious",
                                "--exclude", "test_type:unit", raw_data_dir=raw)
        assert result.success, result.exception
        held = "as materialized" in (project.target_dir / compiled).read_text(encoding="utf-8")
        rows = project.query("select * from stg_raw__pings order by line_number")
        found[threads] = (held, rows)
    assert found["2"][0] and not found["1"][0]
    assert len(found["2"][1]) == 4 and found["2"][1] == found["1"][1]


def test_many_files_are_read_a_bounded_number_per_statement(tmp_path):
    """A first load of many files reads at most raw_files_per_statement of them per statement
    (each file's scan holds its buffers until its statement ends), the rest in the model's
    post-hook: the same rows as one statement, on a first build, an incremental one and a
    --full-refresh, with the manual uploads read once."""
    def ping_files(first, last):
        return {f"2026-04-{day:02d}.ndjson": [envelope(day * 10 + n, uuid=f"u-{day}-{n}") for n in (1, 2)] + ["not json"]
                for day in range(first, last + 1)}
    first_files = ping_files(1, 4)
    first_files["2026-04-02.ndjson.gz"] = first_files.pop("2026-04-02.ndjson")
    raw = write_raw_dir(tmp_path / "raw", first_files, manual_uploads={"upload.json": '{"uuid": "manual"}'},
                        gz={"2026-04-02.ndjson.gz"})
    (raw / "pings" / "2026-04-05.ndjson").write_bytes(b"")
    (raw / "saas_usage").mkdir()
    for day in (1, 2, 3):
        (raw / "saas_usage" / f"2026-04-0{day}.ndjson").write_text(
            '{"namespace_id": %d, "recorded_at": "2026-04-0%dT00:00:00Z", "metrics": {}}\n' % (day, day), encoding="utf-8")
    select = ("--select", "+stg_raw__pings", "+stg_raw__saas_usage", "--indirect-selection", "cautious",
              "--exclude", "test_type:unit")
    rows_sql = {"stg_raw__pings": "select file_name, line_number, upload_method, ping_id, uuid, quarantine_reason "
                                  "from stg_raw__pings order by all",
                "stg_raw__saas_usage": "select file_name, line_number, namespace_id from stg_raw__saas_usage order by all"}

    def build(project, logs, *options):
        result = project.invoke("build", *select, "--log-path", str(logs), *options, raw_data_dir=raw,
                                variables={"raw_files_per_statement": 2})
        assert result.success, result.exception
        return {model: project.query(sql) for model, sql in rows_sql.items()}, (logs / "dbt.log").read_text(encoding="utf-8")

    def whole(name):
        project = DbtProject(tmp_path / f"{name}.duckdb", tmp_path / f"target-{name}")
        result = project.invoke("build", *select, raw_data_dir=raw)
        assert result.success, result.exception
        return {model: project.query(sql) for model, sql in rows_sql.items()}

    batched = DbtProject(tmp_path / "batched.duckdb", tmp_path / "target-batched")
    first, log = build(batched, tmp_path / "logs-first")
    assert first == whole("first")
    assert len(first["stg_raw__pings"]) == 4 * 3 + 1 + 1 and len(first["stg_raw__saas_usage"]) == 3
    # the gzip file's pings are read, the bad line of each file quarantined
    assert sum(1 for row in first["stg_raw__pings"] if row[0].endswith(".gz") and row[5] is None) == 2
    # five ping files: 2 + 2 + 1; three SaaS files: 2 + 1
    assert "stg_raw__pings: 3 more raw files read, at most 2 a statement" in log
    assert "stg_raw__saas_usage: 1 more raw files read, at most 2 a statement" in log

    for name, lines in ping_files(6, 8).items():
        (raw / "pings" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    later, log = build(batched, tmp_path / "logs-later")
    assert later == whole("later")
    assert len(later["stg_raw__pings"]) == 7 * 3 + 1 + 1
    assert "stg_raw__pings: 1 more raw files read, at most 2 a statement" in log

    refreshed, log = build(batched, tmp_path / "logs-refresh", "--full-refresh")
    assert refreshed == later
    assert "stg_raw__pings: 6 more raw files read, at most 2 a statement" in log


def test_a_bound_of_no_raw_files_a_statement_is_refused(tmp_path):
    """raw_files_per_statement below 1 would leave files unread: the build stops and says why."""
    raw = write_raw_dir(tmp_path / "raw", {"week.ndjson": [envelope(1)]})
    project = DbtProject(tmp_path / "refused.duckdb", tmp_path / "target")
    result = project.invoke("compile", "--select", "stg_raw__pings", raw_data_dir=raw,
                            variables={"raw_files_per_statement": 0})
    assert not result.success
    assert "raw_files_per_statement must be a whole number of files, at least 1, not 0" in result_messages(result)
