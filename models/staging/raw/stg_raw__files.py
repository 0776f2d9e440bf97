"""One row per raw line file (pings/*.ndjson[.gz], saas_usage/*.ndjson[.gz]) and CSV input: what the
readers need to know before DuckDB's scan, which cannot catch an error of its own, reads it.

Each file is streamed once in chunks (memory bounded by the chunk and the longest line, never by
the file): a gzip stream that ends early or does not decompress, bytes that are not UTF-8, a
carriage return that does not end a line, the longest line. A cut gzip file's complete lines are
written to a plain salvage copy, which the reader reads in its place. A file already inspected
(same path, size and modification time) keeps its row: a landed raw file is immutable.
The check stays in Python: DuckDB's own scan ends a line at a lone carriage return without a word,
stops on (or skips) a line over its limit and on bytes that are not UTF-8, and does not verify a
gzip checksum, so it cannot take the check's place; the pass only searches bytes in C (no copy per
line, no decode of ASCII), so it costs about what reading the file does.
"""

import codecs
import fnmatch
import hashlib
import os
import posixpath
import zlib

CHUNK_BYTES = 8 * 1024 * 1024
COLUMNS = [
    ("file_name", "varchar"),
    ("entity", "varchar"),
    ("file_path", "varchar"),
    ("byte_size", "bigint"),
    ("modified_at_ns", "bigint"),
    ("is_gzip", "boolean"),
    ("line_count", "bigint"),
    ("longest_line_bytes", "bigint"),
    ("is_utf8", "boolean"),
    ("has_lone_carriage_return", "boolean"),
    ("damage_reason", "varchar"),
    ("damage_line_number", "bigint"),
    ("salvage_path", "varchar"),
]


class _Scan:
    """Counts over a stream of chunks: lines, the longest line, UTF-8, lone carriage returns."""

    def __init__(self):
        self.newlines = 0
        self.longest = 0
        self.current = 0  # bytes of the line in progress
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.is_utf8 = True
        self.lone_cr = 0
        self.last_was_cr = False
        self.total = 0

    def feed(self, data):
        # C-speed searches only (find, isascii): a per-byte or per-line copy of the data (split,
        # count, decode of ASCII) would cost more than reading it
        if not data:
            return
        self.total += len(data)
        find, longest, position = data.find, self.longest, 0
        newline = find(b"\n")
        if newline >= 0:
            longest = max(longest, self.current + newline)
            self.newlines += 1
            position = newline + 1
            while (newline := find(b"\n", position)) >= 0:
                if newline - position > longest:
                    longest = newline - position
                self.newlines += 1
                position = newline + 1
            self.current = 0
        self.current += len(data) - position
        self.longest = max(longest, self.current)
        # ASCII is UTF-8, unless a character cut at the end of the previous chunk is pending
        if self.is_utf8 and not (data.isascii() and not self.decoder.getstate()[0]):
            try:
                self.decoder.decode(data)
            except UnicodeDecodeError:
                self.is_utf8 = False
        if b"\r" in data:
            self.lone_cr += data.count(b"\r") - data.count(b"\r\n")
        if self.last_was_cr and data[:1] == b"\n":
            self.lone_cr -= 1
        self.last_was_cr = data[-1:] == b"\r"

    def finish(self):
        if self.is_utf8:
            try:
                self.decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.is_utf8 = False
        # physical lines: a last line without its newline is a line too
        return self.newlines + (1 if self.current else 0)


def _chunks(path, is_gzip):
    """The file's bytes (decompressed) in chunks; a gzip stream cut short raises EOFError after
    yielding what came before the cut, a corrupt one zlib.error (gzip checks its CRC and length)."""
    with open(path, "rb") as handle:
        if not is_gzip:
            while data := handle.read(CHUNK_BYTES):
                yield data
            return
        stream, fed = zlib.decompressobj(wbits=31), False
        while compressed := handle.read(1024 * 1024):
            while compressed:
                fed = True
                data = stream.decompress(compressed, CHUNK_BYTES)
                if data:
                    yield data
                if stream.eof:
                    # the next member (concatenated gzip files are one stream)
                    compressed = stream.unused_data
                    stream, fed = zlib.decompressobj(wbits=31), False
                else:
                    compressed = stream.unconsumed_tail
        if fed:
            while data := stream.decompress(b"", CHUNK_BYTES):
                yield data
            if not stream.eof:
                raise EOFError("gzip stream cut short")


def _salvage(path, salvage_dir, key):
    """The complete lines of a cut gzip stream, as a plain file; returns its path and line count."""
    os.makedirs(salvage_dir, exist_ok=True)
    target = os.path.abspath(os.path.join(salvage_dir, key + ".ndjson"))
    lines = 0
    pending = b""
    with open(target + ".part", "wb") as out:
        try:
            for data in _chunks(path, True):
                data = pending + data
                cut = data.rfind(b"\n") + 1
                out.write(data[:cut])
                lines += data[:cut].count(b"\n")
                pending = data[cut:]
        except (EOFError, OSError, zlib.error):
            pass
    os.replace(target + ".part", target)
    return target, lines


def inspect(path, file_name, entity, salvage_dir):
    stat = os.stat(path)
    row = {
        "file_name": file_name, "entity": entity, "file_path": path, "byte_size": stat.st_size,
        "modified_at_ns": stat.st_mtime_ns, "is_gzip": path.endswith(".gz"), "line_count": 0,
        "longest_line_bytes": 0, "is_utf8": True, "has_lone_carriage_return": False,
        "damage_reason": None, "damage_line_number": None, "salvage_path": None,
    }
    scan = _Scan()
    error = None
    try:
        for data in _chunks(path, row["is_gzip"]):
            scan.feed(data)
    except EOFError:
        error = "truncated_gzip"
    except zlib.error:
        error = "corrupt_gzip"
    except OSError:
        error = "unreadable_file"
    line_count = scan.finish()
    row.update(longest_line_bytes=scan.longest, is_utf8=scan.is_utf8, has_lone_carriage_return=scan.lone_cr > 0)
    if error is None:
        row["line_count"] = line_count
        if scan.total == 0:
            row.update(damage_reason="empty_file")
        return row
    # a cut stream: the cut is in the line after the last complete one; a corrupt one: its
    # bytes cannot be trusted, no line is named
    row.update(damage_reason=error, line_count=scan.newlines,
               damage_line_number=scan.newlines + 1 if error == "truncated_gzip" else None)
    if error == "truncated_gzip" and scan.newlines > 0:
        key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
        row["salvage_path"], _ = _salvage(path, salvage_dir, key)
    return row


def model(dbt, session):
    dbt.config(materialized="table")
    settings = dbt.config.get("meta") or {}
    raw_dir = (settings.get("raw_data_dir") or "").rstrip("/")
    salvage_dir = settings.get("salvage_dir") or "target/raw_salvage"
    globs = {
        "pings": "pings/*.ndjson*", "saas_usage": "saas_usage/*.ndjson*", "subscriptions": "subscriptions.csv",
        "licenses": "licenses.csv", "license_md5_to_subscription_mapping": "license_md5_to_subscription_mapping.csv",
        "instance_types": "instance_types.csv",
    }
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    session.execute(f"create or replace temp table stg_raw__files_inventory ({columns})")

    known = {}
    if raw_dir:
        try:
            for values in session.execute(f"select * from {dbt.this}").fetchall():
                row = dict(zip([name for name, _ in COLUMNS], values))
                known[(row["file_path"], row["byte_size"], row["modified_at_ns"])] = row
        except Exception:  # first build: no previous inventory
            known = {}

    rows = []
    if raw_dir and os.path.isdir(raw_dir):
        for entity, pattern in globs.items():
            folder = os.path.join(raw_dir, os.path.dirname(pattern))
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                path = os.path.join(folder, name)
                if not fnmatch.fnmatchcase(name, os.path.basename(pattern)) or not os.path.isfile(path):
                    continue
                file_name = posixpath.join(os.path.dirname(pattern), name)
                stat = os.stat(path)
                previous = known.get((path, stat.st_size, stat.st_mtime_ns))
                salvaged = previous and (previous["salvage_path"] is None or os.path.exists(previous["salvage_path"]))
                rows.append(previous if salvaged else inspect(path, file_name, entity, salvage_dir))
    if rows:
        placeholders = ", ".join("?" for _ in COLUMNS)
        session.executemany(
            f"insert into stg_raw__files_inventory values ({placeholders})",
            [[row[name] for name, _ in COLUMNS] for row in rows],
        )
    return session.table("stg_raw__files_inventory")
