"""Build seeds/reference/metrics_catalog.csv from GitLab's public reference files.

Rows: every metric of ../shared/reference/health_score_metrics.csv (the 161 metrics GitLab's
data team sends to its Customer Success tool), every numerator of seeds/reference/
use_case_measures.csv (by key path, EXTRA_METRICS), UMAU, and every xMAU metric of the dictionary
(a performance_indicator_type naming umau, smau, gmau or paid_gmau: the Product KPIs, SPEC §4.11).
Time frame, data category, value type, milestone, performance indicator type, product group and
description come from ../shared/reference/metrics_dictionary.csv where the key path is there;
otherwise the time frame is inferred from the key path and the category is `optional` (said in the
description). The product stage is the key path's segment after usage_activity_by_stage(_monthly).

    python scripts/build_metrics_catalog.py          # write the seed
    python scripts/build_metrics_catalog.py --check  # exit 1 when the seed is out of date
"""

import argparse
import csv
import hashlib
import io
import os
import pathlib
import re
import sys

from generated_file import write_or_check

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "reference"
TARGET = ROOT / "seeds" / "reference" / "metrics_catalog.csv"
COLUMNS = ["key_path", "column_name", "time_frame", "data_category", "value_type", "milestone",
           "performance_indicator_type", "product_group", "product_stage", "description"]

# Use-case numerators (SPEC §4.6) and UMAU (SPEC §4.4): always in the catalog.
EXTRA_METRICS = [
    "usage_activity_by_stage_monthly.create.action_monthly_active_users_project_repo",
    "usage_activity_by_stage_monthly.verify.ci_pipelines",
    "counts_monthly.deployments",
    "usage_activity_by_stage_monthly.release.deployments",
    "usage_activity_by_stage_monthly.secure.user_unique_users_all_secure_scanners",
    "usage_activity_by_stage_monthly.secure.user_container_scanning_jobs",
    "usage_activity_by_stage_monthly.secure.user_secret_detection_jobs",
    "redis_hll_counters.manage.unique_active_users_monthly",
    "usage_activity_by_stage_monthly.manage.events",
]

# The dictionary's performance indicator types that make a metric an xMAU (SPEC §4.11); the
# dbt var xmau_indicator_types names the same ones for the models.
XMAU_TYPES = {"umau", "smau", "gmau", "paid_gmau"}

# Column names used by the marts themselves: a metric may not take them.
RESERVED = {
    "uuid", "hostname", "subscription_id", "account_id", "month", "ping_id", "ping_date", "l28_window_start",
    "l28_window_end", "gitlab_version", "version_major", "version_minor", "is_trial", "term_month",
    "billable_users", "licensed_seats", "licensed_seats_source", "license_utilization", "umau", "umau_utilization",
    "instance_type", "instance_type_source", "included_in_health_measure", "is_production", "is_primary_instance",
    "delivery",
}

PREFIXES = [  # (key path prefix, time frame it implies)
    ("usage_activity_by_stage_monthly.", "28d"),
    ("usage_activity_by_stage.", "all"),
    ("counts_monthly.", "28d"),
    ("counts_weekly.", "7d"),
    ("counts.", "all"),
    ("redis_hll_counters.", None),
]
SUFFIX = {"28d": "_28d", "7d": "_7d", "all": "_all", "none": ""}


def infer_time_frame(key_path: str) -> str:
    for prefix, time_frame in PREFIXES:
        if key_path.startswith(prefix) and time_frame:
            return time_frame
    if key_path.endswith(("_monthly", "_28d")):
        return "28d"
    if key_path.endswith(("_weekly", "_7d")):
        return "7d"
    return "all"


def snake(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text.lower())).strip("_")


def column_name(key_path: str, time_frame: str) -> str:
    """counts.ci_builds -> ci_builds_all; usage_activity_by_stage_monthly.create.x -> create_x_28d."""
    short = key_path
    for prefix, _ in PREFIXES:
        if key_path.startswith(prefix):
            short = key_path[len(prefix):]
            break
    name = snake(short)
    if not re.search(r"_(monthly|weekly|28d|7d)$", name):
        name += SUFFIX[time_frame]
    return name


def fit(name: str, key_path: str) -> str:
    """Valid identifier of at most 63 characters, deterministic."""
    if name[0].isdigit():
        name = "m_" + name
    if len(name) > 63:
        name = name[:54].rstrip("_") + "_" + hashlib.md5(key_path.encode()).hexdigest()[:8]
    return name


def is_boolean(key_path: str) -> bool:
    return key_path.endswith(("_enabled", ".enabled"))


def indicator_types(text: str) -> set[str]:
    """'smau|gmau|paid_gmau' -> {'smau', 'gmau', 'paid_gmau'}."""
    return {part.strip() for part in (text or "").split("|") if part.strip()}


def product_group(text: str) -> str:
    """The dictionary's product group without its 'group::' prefix, snake_case: the dictionary
    writes both 'group::code review' and 'source_code'."""
    text = (text or "").strip()
    return snake(text[len("group::"):] if text.startswith("group::") else text)


def product_stage(key_path: str) -> str:
    """usage_activity_by_stage_monthly.verify.ci_pipelines -> verify; '' outside the stage trees."""
    parts = key_path.split(".")
    return parts[1] if len(parts) > 2 and parts[0] in ("usage_activity_by_stage_monthly", "usage_activity_by_stage") else ""


def build_rows() -> list[dict]:
    with (SHARED / "metrics_dictionary.csv").open(newline="", encoding="utf-8") as handle:
        dictionary = {row["key_path"]: row for row in csv.DictReader(handle)}
    with (SHARED / "health_score_metrics.csv").open(newline="", encoding="utf-8") as handle:
        key_paths = {row["metric_name"].strip() for row in csv.DictReader(handle)}
    key_paths.update(EXTRA_METRICS)
    key_paths.update(path for path, row in dictionary.items()
                     if indicator_types(row.get("performance_indicator_type")) & XMAU_TYPES)

    rows, taken = [], set(RESERVED)
    for key_path in sorted(key_paths):
        known = dictionary.get(key_path)
        time_frame = (known or {}).get("time_frame") or infer_time_frame(key_path)
        name = fit(column_name(key_path, time_frame), key_path)
        if name in taken:  # collision: keep the whole path
            name = fit(snake(key_path) + SUFFIX[time_frame], key_path)
        assert name not in taken, f"column name collision for {key_path}: {name}"
        taken.add(name)
        if known:
            description = " ".join((known.get("description") or "").split())
            data_category = known["data_category"]
            value_type = known.get("value_type") or ("boolean" if is_boolean(key_path) else "number")
            milestone = known.get("milestone") or ""
            indicator_type = "|".join(sorted(indicator_types(known.get("performance_indicator_type")),
                                             key=(known.get("performance_indicator_type") or "").find))
            group = product_group(known.get("product_group"))
        else:
            description = "Not in the public metrics dictionary; time frame inferred from the key path."
            data_category = "optional"
            value_type = "boolean" if is_boolean(key_path) else "number"
            milestone = ""
            indicator_type, group = "", ""
        rows.append({
            "key_path": key_path, "column_name": name, "time_frame": time_frame, "data_category": data_category,
            "value_type": value_type, "milestone": milestone, "performance_indicator_type": indicator_type,
            "product_group": group, "product_stage": product_stage(key_path), "description": description,
        })
    return rows


def render(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the generated file is out of date")
    args = parser.parse_args()
    return write_or_check(TARGET, render(build_rows()), args.check, ROOT, "scripts/build_metrics_catalog.py")


if __name__ == "__main__":
    sys.exit(main())
