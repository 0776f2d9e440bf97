"""What the report and app browser tests share: Debian's Chromium and a read-only query of a file."""

import shutil

import duckdb

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def query(path, sql):
    """Rows of a query on a DuckDB file opened read-only (as analysts and the app open it)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()
