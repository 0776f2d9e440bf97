"""Every mart of two DuckDB builds compared row by row: a refactoring must leave them identical.

    .venv/bin/python scripts/compare_marts.py BEFORE.duckdb AFTER.duckdb
    .venv/bin/python scripts/compare_marts.py --build OUT.duckdb [--raw-data-dir DIR] [--ref REV]
    .venv/bin/python scripts/compare_marts.py --ref main [--raw-data-dir DIR]   # build both, compare

--build builds this checkout (or, with --ref, the committed tree of REV exported to a temporary
directory) into OUT.duckdb with `dbt build --exclude test_type:unit`; the analyst databases it
publishes go beside OUT. --ref alone builds REV and the working tree, then compares them.

Every table of the mart layer (schemas `marts` and `restricted`) is compared as a multiset of
rows: order does not matter, NULL equals NULL, a duplicated row counts twice. Columns must match
by name and type. Prints `identical` or `DIFFERENT` per mart with a sample of the rows found on
one side only; exits 1 when any mart differs or exists on one side only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
MART_SCHEMAS = ("marts", "restricted")


def tables(connection: duckdb.DuckDBPyConnection, alias: str) -> dict[str, list[tuple[str, str]]]:
    """{schema.table: [(column, type), ...]} of the mart layer in one attached database."""
    rows = connection.execute(
        f"""
        select table_schema, table_name, column_name, data_type
        from information_schema.columns
        where table_catalog = '{alias}' and table_schema in {MART_SCHEMAS!r}
        order by table_schema, table_name, ordinal_position
        """
    ).fetchall()
    found: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, kind in rows:
        found.setdefault(f"{schema}.{table}", []).append((column, kind))
    return found


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare(before: Path, after: Path, sample: int = 5) -> list[tuple[str, str, list[str]]]:
    """[(mart, 'identical' | 'DIFFERENT' | 'only before' | 'only after', detail lines)]."""
    connection = duckdb.connect()
    connection.execute(f"attach '{before}' as before_db (read_only)")
    connection.execute(f"attach '{after}' as after_db (read_only)")
    left, right = tables(connection, "before_db"), tables(connection, "after_db")
    results = []
    for name in sorted(set(left) | set(right)):
        if name not in right:
            results.append((name, "only before", []))
            continue
        if name not in left:
            results.append((name, "only after", []))
            continue
        if left[name] != right[name]:
            results.append((name, "DIFFERENT", [f"columns before: {left[name]}", f"columns after:  {right[name]}"]))
            continue
        schema, table = name.split(".")
        columns = ", ".join(quoted(column) for column, _ in left[name])
        relation = {side: f"{side}_db.{quoted(schema)}.{quoted(table)}" for side in ("before", "after")}
        details = []
        for side, other in (("before", "after"), ("after", "before")):
            # EXCEPT ALL: a multiset difference in which NULL matches NULL
            missing = f"select {columns} from {relation[side]} except all select {columns} from {relation[other]}"
            count = connection.execute(f"select count(*) from ({missing})").fetchone()[0]
            if count:
                details.append(f"{count} row(s) only {side}, e.g.:")
                for row in connection.execute(f"{missing} limit {sample}").fetchall():
                    details.append(f"    {row}")
        counts = [connection.execute(f"select count(*) from {relation[side]}").fetchone()[0] for side in ("before", "after")]
        status = "DIFFERENT" if details else "identical"
        results.append((name, status, [f"rows before {counts[0]}, after {counts[1]}", *details]))
    connection.close()
    return results


def export_ref(ref: str, into: Path) -> Path:
    """The committed tree of ref, as files in into (git archive: no checkout, no worktree)."""
    archive = into / "source.tar"
    with open(archive, "wb") as handle:
        subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, stdout=handle, check=True)
    source = into / "source"
    source.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(source, filter="data")
    archive.unlink()
    return source


def build(out: Path, raw_data_dir: str | None, ref: str | None) -> None:
    """dbt build (no unit tests) of this checkout or of ref into out; exits on failure."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in (out, out.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="compare_marts_") as scratch:
        project = export_ref(ref, Path(scratch)) if ref else ROOT
        work = Path(scratch) / "target"
        env = dict(os.environ)
        env.update(
            DBT_PROFILES_DIR=str(project),
            DBT_PROJECT_DIR=str(project),
            DBT_TARGET="duckdb",
            DUCKDB_PATH=str(out),
            DUCKDB_TEMP_DIR=str(work / "duckdb_tmp"),
            ANALYTICS_DUCKDB_PATH=str(out.with_name(out.stem + ".analytics.duckdb")),
            ANALYTICS_PARQUET_DIR=str(work / "parquet"),
            RESTRICTED_DUCKDB_PATH=str(out.with_name(out.stem + ".restricted.duckdb")),
        )
        command = [str(Path(sys.executable).parent / "dbt"), "build", "--exclude", "test_type:unit",
                   "--target-path", str(work), "--log-path", str(work / "logs")]
        if raw_data_dir:
            command += ["--vars", f"{{raw_data_dir: '{Path(raw_data_dir).resolve()}'}}"]
        result = subprocess.run(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode:
            print(result.stdout[-6000:])
            sys.exit(f"dbt build of {ref or 'the working tree'} failed (exit {result.returncode})")
        summary = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
        print(f"built {ref or 'the working tree'} into {out}: {summary[-1].strip() if summary else 'done'}")


def report(results: list[tuple[str, str, list[str]]]) -> bool:
    for name, status, details in results:
        print(f"{status:>11}  {name}  {details[0] if details and status == 'identical' else ''}".rstrip())
        if status != "identical":
            for line in details:
                print(f"             {line}")
    differing = [name for name, status, _ in results if status != "identical"]
    print(f"{len(results) - len(differing)} of {len(results)} marts identical" + (f"; differ: {', '.join(differing)}" if differing else ""))
    return not differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("databases", nargs="*", type=Path, help="BEFORE.duckdb AFTER.duckdb")
    parser.add_argument("--build", type=Path, help="build into this DuckDB file and stop")
    parser.add_argument("--ref", help="a git revision: build its committed tree (with --build), or build it and the working tree and compare")
    parser.add_argument("--raw-data-dir", help="build from this raw data directory instead of the embedded sample")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "target" / "compare_marts", help="where --ref alone builds its two files")
    parser.add_argument("--sample", type=int, default=5, help="rows shown per side of a difference")
    args = parser.parse_args()
    if args.build:
        build(args.build, args.raw_data_dir, args.ref)
        return
    if args.ref and not args.databases:
        before, after = args.work_dir / "before.duckdb", args.work_dir / "after.duckdb"
        build(before, args.raw_data_dir, args.ref)
        build(after, args.raw_data_dir, None)
    elif len(args.databases) == 2 and not args.ref:
        before, after = args.databases
    else:
        parser.error("give BEFORE and AFTER databases, or --build OUT, or --ref REV")
    for path in (before, after):
        if not path.exists():
            sys.exit(f"no database at {path}")
    sys.exit(0 if report(compare(before, after, args.sample)) else 1)


if __name__ == "__main__":
    main()
