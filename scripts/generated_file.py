"""Write a generated file, or with --check only say whether the committed one is up to date."""

import pathlib


def write_or_check(target: pathlib.Path, expected: str, check: bool, root: pathlib.Path, command: str) -> int:
    """Return a process exit code: 1 when --check finds the file out of date."""
    name = target.relative_to(root)
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != expected:
            print(f"{name} is out of date: run python {command}")
            return 1
        return 0
    target.write_text(expected, encoding="utf-8")
    print(f"wrote {name}")
    return 0
