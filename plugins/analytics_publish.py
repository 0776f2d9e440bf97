"""dbt-duckdb plugin: the file system side of publishing the analyst database (macros/publish.sql).

The on-run-end macro writes every file beside its published path under a temporary name (DuckDB
SQL on dbt's own connection); this plugin, called through `adapter.store_relation` (dbt-duckdb's
hook from Jinja into Python), checks the publish paths first and swaps the finished files in by
rename, so a reader never sees a half-written file and a reader holding the old one never blocks
the build (on POSIX a rename replaces the name; an open file keeps its old contents). It also
copies the last published analyst database to the temporary name, for the macro to update.
"""

import os
import shutil
import time
from pathlib import Path

from dbt.adapters.duckdb.plugins import BasePlugin


class PublishError(Exception):
    pass


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _check_directory(directory: Path, published: Path) -> None:
    if not directory.exists():
        raise PublishError(f"cannot publish {published}: its directory {directory} does not exist")
    if not directory.is_dir():
        raise PublishError(f"cannot publish {published}: {directory} is not a directory")
    probe = directory / f".{published.name}.write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise PublishError(f"cannot publish {published}: {directory} is not writable ({error.strerror})") from error


class Plugin(BasePlugin):
    def store(self, target_config):
        action = target_config.config["action"]
        if action == "prepare":
            self.prepare(target_config.config)
        elif action == "swap":
            self.swap(target_config.config)
        elif action == "discard":
            self.discard(target_config.config)
        else:
            raise PublishError(f"unknown publish action {action!r}")

    def prepare(self, config):
        """Every publish path writable, else config["error"] says which is not (the macro fails the
        hook with it: an exception here would stop dbt with a stack of its own); leftovers of an
        interrupted publish removed."""
        # the publishing step's own cost, handed back at the swap (scripts/bench.py reads it)
        self.started = time.perf_counter(), time.process_time()
        try:
            self._prepare(config)
        except PublishError as error:
            config["error"] = str(error)

    def _prepare(self, config):
        for file in map(Path, config["files"]):
            _check_directory(file.parent, file)
            for stale in file.parent.glob(f"{file.name}.*.publishing*"):
                stale.unlink()
            if file.is_dir():
                raise PublishError(f"cannot publish {file}: it is a directory")
        for written, directory in config["directories"]:
            written, directory = Path(written), Path(directory)
            _check_directory(directory.parent, directory)
            if directory.exists() and not directory.is_dir():
                raise PublishError(f"cannot publish Parquet files to {directory}: it is a file")
            directory.mkdir(exist_ok=True)
            for stale in directory.glob(".*.publishing"):
                for path in stale.iterdir():
                    path.unlink()
                stale.rmdir()
            written.mkdir()
        # the last published file as the start of the next (copying costs I/O, not CPU): the
        # macro keeps what is still valid in it, or discards it
        for published, written in config.get("copies", []):
            if Path(published).is_file():
                shutil.copyfile(published, written)
                config.setdefault("copied", []).append(written)

    def discard(self, config):
        """A copied file the macro cannot start from, removed (with its log, if any)."""
        for path in map(Path, config["files"]):
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)

    def swap(self, config):
        """Each written file over its published name (rename); Parquet files one by one, and the
        Parquet files of models no longer published removed."""
        for written, published in config["files"]:
            written, published = Path(written), Path(published)
            _sync(written)
            os.replace(written, published)
            _sync(published.parent)
        for written_directory, published_directory in config["directories"]:
            written_directory, published_directory = Path(written_directory), Path(published_directory)
            names = set()
            for written in sorted(written_directory.glob("*.parquet")):
                _sync(written)
                os.replace(written, published_directory / written.name)
                names.add(written.name)
            written_directory.rmdir()
            for old in published_directory.glob("*.parquet"):
                if old.name not in names:
                    old.unlink()
            _sync(published_directory)
        config["seconds"] = round(time.perf_counter() - self.started[0], 2)
        config["cpu_seconds"] = round(time.process_time() - self.started[1], 2)
