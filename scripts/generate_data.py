"""Deterministic generator of raw input for the pipeline (SPEC §2).

    python scripts/generate_data.py --seeds seeds/sample        # the embedded demo, as dbt seeds
    python scripts/generate_data.py --out DIR                    # the same demo as a raw data directory
    python scripts/generate_data.py --out DIR --pings 20000      # a scaled fleet (benchmarks)
    python scripts/generate_data.py --out DIR --pings 20000 --append-week   # one more week

Same arguments, same bytes. The demo fleet (2026-03-02 .. 2026-10-25, weekly pings) covers:

| account | scenarios |
|---|---|
| Acme Corp | renewal (licenses.csv points at the old version), production (Included) + Staging + Geo Secondary Node + Obsolete (stopped in April); DevSecOps adopted mid-period; one payload sent automatically and as a manual upload; a late ping; a hosted (saas) subscription too |
| Globex | single unlabelled instance (single_instance_rule), overage, -1 and -2 values, a numeric string, far behind on 15.x |
| Initech | 13.9 (no billable users) upgrading to 14+/15+; licenses.csv names the wrong subscription, the manual mapping fixes it; low utilization |
| Umbrella | two subscriptions; two unlabelled instances (utilization_rule vs Unknown); Opt-Out and relabelled instances; an `Unknown` label; billable drop >= 20 %; production instance stops reporting in September |
| Hooli | air-gapped: monthly manual uploads only; CI and DevSecOps fall from green to red in September and recover |
| Stark Industries | offline license: license usage exports only (one with the older `Active User Count` header) |
| Wayne Enterprises | term starts September 2026 (onboarding); an unmapped license whose licensee company is the account name; a trial license |
| Cyberdyne | Cancelled and Expired subscriptions; an unmapped license with no match; CI downgrade |
| Soylent, Tyrell | hosted subscriptions: one linked namespace, one never linked; a namespace without subscription |
| Vandelay Industries | SPEC §4.13: a disaster-recovery copy of production (same uuid and license), a gitlab-development-kit install on the same license, an amendment from 100 to 150 seats on June 15 and an upgrade to ultimate on August 10 (version_effective_date) after which billable users fall; -1000 and {"-1": -1} metric values |
| Kramerica | SPEC §4.13: a FIPS instance (license_sha256 only; optional data off; one week of -1 user counts), an instance on an unknown license naming its subscription (license_subscription_id), a second subscription that reports nothing |

Bad lines (one each, in the first ping file): not JSON, truncated JSON, a JSON array, an envelope
without payload, a payload without uuid, an unparseable recorded_at, a recorded_at two days after
received_at, a blank line; plus a re-delivered duplicate. Personal data: source IPs in
203.0.113.0/24 and 198.51.100.0/24, licensee names "First Last", e-mails "first.last@<domain>".

The scaled fleet (--pings N: about N / 26 instances, 26 weekly pings each) repeats the demo's shapes:
accounts with one to three instances on one license, a renewal (licenses.csv points at the old
subscription version), old versions (13.x: no billable users, fewer metrics), -1 values in a failed
week, and 1,000+ leaves per payload (the keys of ../shared/reference/service_ping_example.json, the
metrics catalog and filler metrics). Each payload is its instance and version's JSON text template
with the weekly values filled in.

--append-week writes, into an existing --out directory of the same fleet (same arguments), only what
arrives in the week after the period: that week's ping file (collector ids continuing) and the manual
uploads recorded that week; the other files stay as they are. In the scaled fleet that week also holds
late pings: three instances could not send their pings of one to three of the weeks two to four weeks
earlier (those weeks are missing from the earlier files) and deliver them now, so recorded_at is two to
five weeks before received_at and none is a duplicate; and two instances do not ping that week but
upload its payload by hand (manual_uploads/<hostname>-<date>.json, a bare payload without envelope).
The demo fleet has no such gaps: its appended week holds the normal pings of the instances still reporting.
It creates new files only, never writes into an existing one (a benchmark run directory hard-links the base's).

Generation streams: the fleet is drawn week by week (each instance's random numbers in week order) and each
week's ping file is written line by line once the week is complete, so memory holds about one week of drawn
pings (their random factors, not their text) and the late pings waiting for their week, not the data set.
--append-week draws the earlier weeks the same way (cheap) but makes only the new week's payloads.
"""

import argparse
import array
import csv
import datetime as dt
import gzip
import hashlib
import io
import itertools
import json
import os
import pathlib
import random
import re
import sys
import typing

ROOT = pathlib.Path(__file__).resolve().parent.parent
# the shared reference material, as scripts/build_metrics_catalog.py finds it
REFERENCE = pathlib.Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "reference"
CATALOG = ROOT / "seeds" / "reference" / "metrics_catalog.csv"
START = dt.date(2026, 3, 2)  # a Monday
WEEKS = 34

USE_CASE_PATHS = {  # key path -> (use case level, share of seats)
    "usage_activity_by_stage_monthly.create.action_monthly_active_users_project_repo": ("scm", 1.0),
    "usage_activity_by_stage_monthly.verify.ci_pipelines": ("ci", 1.0),
    "counts_monthly.deployments": ("ci", 0.18),
    "usage_activity_by_stage_monthly.release.deployments": ("cd", 1.0),
    "usage_activity_by_stage_monthly.secure.user_unique_users_all_secure_scanners": ("devsecops", 1.0),
    "usage_activity_by_stage_monthly.secure.user_container_scanning_jobs": ("devsecops", 0.5),
    "usage_activity_by_stage_monthly.secure.user_secret_detection_jobs": ("devsecops", 1.0),
}
ENGAGEMENT_PATH = "redis_hll_counters.manage.unique_active_users_monthly"
UMAU_PATH = "usage_activity_by_stage_monthly.manage.events"
ENVELOPE_KEYS = {
    "uuid", "hostname", "version", "installation_type", "active_user_count", "recorded_at", "edition", "license_md5",
    "license_sha256", "license_id", "historical_max_users", "licensee", "license_user_count", "license_starts_at",
    "license_expires_at", "license_plan", "license_add_ons", "license_trial", "license_billable_users",
}


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def stable_rng(*parts):
    return random.Random(int(md5("|".join(map(str, parts)))[:12], 16))


def parse_version(version):
    try:
        major, minor = version.split("-")[0].split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (99, 0)


def milestone_of(text):
    """'15.2' -> (15, 2); '<13.9' (older than the dictionary) -> (13, 9); unknown -> (0, 0)."""
    try:
        major, minor = (text or "").strip().lstrip("<").split(".")[:2]
        return (int(major), int(minor))
    except ValueError:
        return (0, 0)


def load_catalog():
    with CATALOG.open(newline="", encoding="utf-8") as handle:
        return [(row["key_path"], milestone_of(row["milestone"])) for row in csv.DictReader(handle)]


def load_xmau_paths():
    """The catalog's xMAU metrics (a performance indicator type): monthly active users of a stage or group."""
    with CATALOG.open(newline="", encoding="utf-8") as handle:
        return {row["key_path"] for row in csv.DictReader(handle) if row.get("performance_indicator_type")}


def set_path(tree, key_path, value):
    *parents, leaf = key_path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


# --------------------------------------------------------------------------- the fleet

def subscription(sid, name, version, account, plan, seats, start, end, status, delivery="self_managed", namespace="",
                 effective=""):
    return {"subscription_id": sid, "subscription_name": name, "subscription_version": version,
            "account_id": account[0], "account_name": account[1], "plan": plan, "delivery": delivery,
            "licensed_seats": seats, "term_start_date": start, "term_end_date": end, "status": status,
            "namespace_id": namespace, "version_effective_date": effective}


def instance(uuid, hostname, license_key, licensee, seats, billable, levels, versions, **options):
    """billable/levels: (start, end) linear over the period; versions: [(from_week, version)];
    last_week None: still reporting."""
    return {"uuid": uuid, "hostname": hostname, "license_key": license_key, "licensee": licensee,
            "seats": seats, "billable": billable, "levels": levels, "versions": versions,
            "first_week": options.get("first_week", 0), "last_week": options.get("last_week"),
            "weekday": options.get("weekday", 0), "manual": options.get("manual", False),
            "trial": options.get("trial", False), "ip": options.get("ip", "203.0.113.10"),
            "quirks": options.get("quirks", {}), "drop": options.get("drop"),
            # SPEC §4.13: installation type (gitlab-development-kit: internal), a FIPS instance sends
            # no license_md5, a subscription the payload names (license_subscription_id)
            "installation_type": options.get("installation_type", "omnibus-gitlab"),
            "fips": options.get("fips", False), "claims": options.get("claims")}


def demo_fleet():
    acme, globex, initech, umbrella = ("ACC-0001", "Acme Corp"), ("ACC-0002", "Globex"), ("ACC-0003", "Initech"), ("ACC-0004", "Umbrella")
    hooli, stark, wayne, cyber = ("ACC-0005", "Hooli"), ("ACC-0006", "Stark Industries"), ("ACC-0007", "Wayne Enterprises"), ("ACC-0008", "Cyberdyne")
    soylent, tyrell = ("ACC-0009", "Soylent"), ("ACC-0010", "Tyrell")
    vandelay, kramerica = ("ACC-0011", "Vandelay Industries"), ("ACC-0012", "Kramerica")
    subs = [
        subscription("8a1f0000000000000000000000000a11", "A-S00001", 1, acme, "ultimate", 200, "2025-06-01", "2026-05-31", "Expired"),
        subscription("8a1f0000000000000000000000000a12", "A-S00001", 2, acme, "ultimate", 220, "2026-06-01", "2027-05-31", "Active"),
        subscription("8a1f0000000000000000000000000a13", "A-S00013", 1, acme, "premium", 40, "2026-01-01", "2026-12-31", "Active", "saas", "9002"),
        subscription("8a1f0000000000000000000000000b21", "A-S00002", 1, globex, "premium", 50, "2026-01-01", "2026-12-31", "Active"),
        subscription("8a1f0000000000000000000000000c31", "A-S00003", 1, initech, "premium", 100, "2025-11-01", "2026-10-31", "Active"),
        subscription("8a1f0000000000000000000000000d41", "A-S00004", 1, umbrella, "ultimate", 400, "2025-09-01", "2026-08-31", "Expired"),
        subscription("8a1f0000000000000000000000000d42", "A-S00004", 2, umbrella, "ultimate", 400, "2026-09-01", "2027-08-31", "Active"),
        subscription("8a1f0000000000000000000000000d43", "A-S00005", 1, umbrella, "premium", 100, "2026-02-01", "2027-01-31", "Active"),
        subscription("8a1f0000000000000000000000000e51", "A-S00006", 1, hooli, "ultimate", 150, "2026-01-15", "2027-01-14", "Active"),
        subscription("8a1f0000000000000000000000000f61", "A-S00007", 1, stark, "premium", 80, "2026-01-01", "2026-12-31", "Active"),
        subscription("8a1f0000000000000000000000000071", "A-S00008", 1, wayne, "ultimate", 300, "2026-09-01", "2027-08-31", "Active"),
        subscription("8a1f0000000000000000000000000081", "A-S00009", 1, cyber, "premium", 60, "2025-07-01", "2026-06-30", "Cancelled"),
        subscription("8a1f0000000000000000000000000082", "A-S00010", 1, cyber, "ultimate", 120, "2025-04-01", "2026-03-31", "Expired"),
        subscription("8a1f0000000000000000000000000091", "A-S00011", 1, soylent, "ultimate", 75, "2026-02-01", "2027-01-31", "Active", "saas", "9001"),
        subscription("8a1f0000000000000000000000000092", "A-S00012", 1, tyrell, "premium", 30, "2026-04-01", "2027-03-31", "Active", "saas", ""),
        # SPEC §4.13: an amendment from 100 to 150 seats on June 15, an upgrade to ultimate on August 10
        subscription("8a1f0000000000000000000000000111", "A-S00014", 1, vandelay, "premium", 100, "2026-01-01", "2026-12-31", "Expired"),
        subscription("8a1f0000000000000000000000000112", "A-S00014", 2, vandelay, "premium", 150, "2026-01-01", "2026-12-31", "Expired",
                     effective="2026-06-15"),
        subscription("8a1f0000000000000000000000000113", "A-S00014", 3, vandelay, "ultimate", 150, "2026-01-01", "2026-12-31", "Active",
                     effective="2026-08-10"),
        # a FIPS instance and an unknown license naming its subscription; a second subscription reports nothing
        subscription("8a1f0000000000000000000000000121", "A-S00015", 1, kramerica, "ultimate", 120, "2026-01-01", "2026-12-31", "Active"),
        subscription("8a1f0000000000000000000000000122", "A-S00016", 1, kramerica, "premium", 50, "2026-01-01", "2026-12-31", "Active"),
    ]
    person = lambda first, last, domain, company: {"Name": f"{first} {last}", "Email": f"{first.lower()}.{last.lower()}@{domain}", "Company": company}
    acme_admin = person("Alice", "Anders", "acme.example", "Acme Corp")
    vandelay_admin = person("Art", "Vandelay", "vandelay.example", "Vandelay Industries")
    kramerica_admin = person("Cosmo", "Kramer", "kramerica.example", "Kramerica")
    high = {"scm": (0.55, 0.65), "ci": (0.55, 0.6), "cd": (0.12, 0.14), "devsecops": (0.02, 0.25), "ue": (0.85, 0.9)}
    low = {"scm": (0.1, 0.12), "ci": (0.05, 0.06), "cd": (0.01, 0.01), "devsecops": (0.0, 0.0), "ue": (0.4, 0.45)}
    instances = [
        instance("a1000000-0000-4000-8000-000000000001", "gitlab.acme.example", "ACME-LICENSE-2025", acme_admin, 200, (80, 150), high,
                 [(0, "16.11.3-ee"), (12, "17.2.1-ee"), (24, "17.5.0-ee")], weekday=1, ip="203.0.113.11",
                 quirks={"manual_copy_week": 20, "late": {15: dt.timedelta(days=19)}}),
        instance("a1000000-0000-4000-8000-000000000002", "staging.acme.example", "ACME-LICENSE-2025", acme_admin, 200, (10, 12), low,
                 [(0, "16.11.3-ee"), (10, "17.5.0-rc42-ee")], weekday=1, ip="203.0.113.12"),
        instance("a1000000-0000-4000-8000-000000000003", "geo.acme.example", "ACME-LICENSE-2025", acme_admin, 200, (80, 150), low,
                 [(0, "16.11.3-ee"), (12, "17.2.1-ee")], weekday=2, ip="203.0.113.13"),
        instance("a1000000-0000-4000-8000-000000000004", "old.acme.example", "ACME-LICENSE-2025", acme_admin, 200, (30, 30), low,
                 [(0, "15.3.0-pre")], weekday=3, last_week=6, ip="203.0.113.14"),
        instance("b2000000-0000-4000-8000-000000000001", "git.globex.example", "GLOBEX-LICENSE", person("Bob", "Brown", "globex.example", "Globex"),
                 50, (55, 62), {"scm": (0.6, 0.6), "ci": (0.3, 0.35), "cd": (0.06, 0.07), "devsecops": (0.1, 0.1), "ue": (0.6, 0.7)},
                 [(0, "15.8.2-ee")], weekday=4, ip="198.51.100.21",
                 quirks={"failed_weeks": (5, 6), "invalid_week": 8, "string_week": 9}),
        instance("c3000000-0000-4000-8000-000000000001", "gitlab.initech.example", "INITECH-LICENSE", person("Carol", "Chen", "initech.example", "Initech"),
                 100, (30, 35), {"scm": (0.3, 0.35), "ci": (0.2, 0.28), "cd": (0.03, 0.05), "devsecops": (0.0, 0.0), "ue": (0.5, 0.55)},
                 [(0, "13.9.0"), (14, "14.10.5-ee"), (24, "15.11.0-ee")], weekday=0, ip="198.51.100.31"),
        instance("d4000000-0000-4000-8000-000000000001", "gitlab.umbrella.example", "UMBRELLA-LICENSE-A", person("Dan", "Dorsey", "umbrella.example", "Umbrella"),
                 400, (300, 200), {"scm": (0.55, 0.3), "ci": (0.5, 0.3), "cd": (0.1, 0.06), "devsecops": (0.25, 0.1), "ue": (0.85, 0.7)},
                 [(0, "17.0.2-ee"), (16, "17.4.1-ee")], weekday=2, last_week=27, ip="198.51.100.41", drop=(22, 0.7)),
        instance("d4000000-0000-4000-8000-000000000002", "sandbox.umbrella.example", "UMBRELLA-LICENSE-A", person("Dan", "Dorsey", "umbrella.example", "Umbrella"),
                 400, (5, 6), low, [(0, "17.0.2-ee")], weekday=3, ip="198.51.100.42"),
        instance("d4000000-0000-4000-8000-000000000003", "dev.umbrella.example", "UMBRELLA-LICENSE-B", person("Erin", "Evans", "umbrella.example", "Umbrella"),
                 100, (60, 65), {"scm": (0.4, 0.45), "ci": (0.3, 0.3), "cd": (0.05, 0.05), "devsecops": (0.0, 0.0), "ue": (0.6, 0.6)},
                 [(0, "16.6.0-ee"), (20, "17.1.0-ee")], weekday=4, ip="198.51.100.43"),
        instance("d4000000-0000-4000-8000-000000000004", "ci.umbrella.example", "UMBRELLA-LICENSE-B", person("Erin", "Evans", "umbrella.example", "Umbrella"),
                 100, (70, 72), {"scm": (0.5, 0.5), "ci": (0.6, 0.6), "cd": (0.1, 0.1), "devsecops": (0.0, 0.0), "ue": (0.7, 0.7)},
                 [(0, "16.6.0-ee")], weekday=5, ip="198.51.100.44"),
        instance("d4000000-0000-4000-8000-000000000005", "test.umbrella.example", "UMBRELLA-LICENSE-B", person("Erin", "Evans", "umbrella.example", "Umbrella"),
                 100, (3, 3), low, [(0, "16.6.0-ee")], weekday=6, ip="198.51.100.45"),
        instance("e5000000-0000-4000-8000-000000000001", "gitlab.hooli.internal", "HOOLI-LICENSE", person("Frank", "Fischer", "hooli.example", "Hooli"),
                 150, (100, 120), {"scm": (0.5, 0.55), "ci": (0.45, 0.55), "cd": (0.08, 0.11), "devsecops": (0.22, 0.3), "ue": (0.8, 0.82)},
                 [(0, "17.1.0-ee")], weekday=0, manual=True, quirks={"crash_weeks": (27, 27)}),
        instance("f7000000-0000-4000-8000-000000000001", "gitlab.wayne.example", "WAYNE-LICENSE", person("Grace", "Gordon", "wayne.example", "Wayne Enterprises"),
                 300, (90, 180), high, [(0, "17.3.0-ee")], weekday=1, first_week=26, ip="203.0.113.71"),
        instance("f7000000-0000-4000-8000-000000000002", "poc.wayne.example", "WAYNE-UNREGISTERED", person("Grace", "Gordon", "wayne.example", "Wayne Enterprises"),
                 50, (20, 25), low, [(0, "17.3.0-ee")], weekday=2, first_week=20, ip="203.0.113.72"),
        instance("f7000000-0000-4000-8000-000000000003", "trial.wayne.example", "WAYNE-TRIAL", person("Henry", "Hale", "wayne.example", "Wayne Enterprises"),
                 100, (15, 20), high, [(0, "17.3.0-ee")], weekday=3, first_week=10, trial=True, ip="203.0.113.73"),
        instance("08000000-0000-4000-8000-000000000001", "gitlab.cyberdyne.example", "CYBERDYNE-LICENSE", person("Iris", "Ivanova", "cyberdyne.example", "Cyberdyne"),
                 60, (40, 38), {"scm": (0.6, 0.3), "ci": (0.6, 0.1), "cd": (0.12, 0.02), "devsecops": (0.0, 0.0), "ue": (0.8, 0.5)},
                 [(0, "16.9.1-ee")], weekday=4, last_week=16, ip="198.51.100.81"),
        instance("08000000-0000-4000-8000-000000000002", "lab.skynet.example", "SKYNET-LICENSE", person("John", "Jones", "skynet.example", "Skynet Labs"),
                 25, (10, 12), low, [(0, "banana")], weekday=5, ip="198.51.100.82"),
        # Vandelay: production, its disaster-recovery standby (same uuid, same license), a development kit;
        # billable users fall when the upgrade to ultimate stops billing guests (week 23 = August 10)
        instance("0b000000-0000-4000-8000-000000000001", "gitlab.vandelay.example", "VANDELAY-LICENSE", vandelay_admin,
                 100, (60, 90), high, [(0, "17.2.1-ee"), (18, "17.4.1-ee")], weekday=1, ip="203.0.113.111", drop=(23, 0.6),
                 quirks={"deprecated_week": 6, "histogram_week": 7}),
        instance("0b000000-0000-4000-8000-000000000001", "dr.vandelay.example", "VANDELAY-LICENSE", vandelay_admin,
                 100, (60, 90), low, [(0, "17.2.1-ee"), (18, "17.4.1-ee")], weekday=2, ip="203.0.113.112", drop=(23, 0.6)),
        instance("0b000000-0000-4000-8000-000000000002", "gdk.vandelay.example", "VANDELAY-LICENSE", vandelay_admin,
                 100, (500, 500), high, [(0, "17.6.0-pre")], weekday=3, ip="203.0.113.113", installation_type="gitlab-development-kit"),
        # Kramerica: FIPS mode (no license_md5, only license_sha256; optional data turned off: user engagement
        # not collected; one week of -1 user counts) and an instance on an unknown license naming its subscription
        instance("0c000000-0000-4000-8000-000000000001", "gitlab.kramerica.example", "KRAMERICA-FIPS-LICENSE", kramerica_admin,
                 120, (70, 80), high, [(0, "17.3.0-ee")], weekday=4, ip="198.51.100.121", fips=True,
                 quirks={"not_collected": ("redis_hll_counters.manage.unique_active_users_monthly",), "fallback_counts_week": 9}),
        instance("0c000000-0000-4000-8000-000000000002", "new.kramerica.example", "KRAMERICA-UNREGISTERED", kramerica_admin,
                 120, (10, 12), low, [(0, "17.3.0-ee")], weekday=5, ip="198.51.100.122", first_week=12,
                 claims="8a1f0000000000000000000000000121"),
    ]
    licenses = [  # key, subscription_id, plan, users_count, starts, expires, is_trial, created
        ("ACME-LICENSE-2025", "8a1f0000000000000000000000000a11", "ultimate", 200, "2025-06-01", "2027-05-31", "false", "2025-05-28 09:00:00"),
        ("GLOBEX-LICENSE", "8a1f0000000000000000000000000b21", "premium", 50, "2026-01-01", "2026-12-31", "false", "2025-12-20 10:00:00"),
        ("INITECH-LICENSE", "8a1f0000000000000000000000000d43", "premium", 100, "2025-11-01", "2026-10-31", "false", "2025-10-25 11:00:00"),
        ("UMBRELLA-LICENSE-A", "8a1f0000000000000000000000000d41", "ultimate", 400, "2025-09-01", "2027-08-31", "false", "2025-08-30 12:00:00"),
        ("HOOLI-LICENSE", "8a1f0000000000000000000000000e51", "ultimate", 150, "2026-01-15", "2027-01-14", "false", "2026-01-10 08:00:00"),
        ("STARK-OFFLINE-LICENSE", "8a1f0000000000000000000000000f61", "premium", 80, "2026-01-01", "2026-12-31", "false", "2025-12-15 08:00:00"),
        ("WAYNE-LICENSE", "8a1f0000000000000000000000000071", "ultimate", 300, "2026-09-01", "2027-08-31", "false", "2026-08-25 08:00:00"),
        ("WAYNE-TRIAL", "", "ultimate", 100, "2026-05-01", "2026-06-30", "true", "2026-05-01 08:00:00"),
        ("CYBERDYNE-LICENSE", "8a1f0000000000000000000000000081", "premium", 60, "2025-07-01", "2026-06-30", "false", "2025-06-28 08:00:00"),
        ("VANDELAY-LICENSE", "8a1f0000000000000000000000000111", "premium", 100, "2026-01-01", "2026-12-31", "false", "2025-12-20 08:00:00"),
        ("KRAMERICA-FIPS-LICENSE", "8a1f0000000000000000000000000121", "ultimate", 120, "2026-01-01", "2026-12-31", "false", "2025-12-21 08:00:00"),
    ]
    mapping = [("INITECH-LICENSE", "8a1f0000000000000000000000000c31"), ("UMBRELLA-LICENSE-B", "8a1f0000000000000000000000000d43")]
    labels = [  # uuid, hostname, type, included, updated_at
        ("a1000000-0000-4000-8000-000000000001", "gitlab.acme.example", "Production", "Included", "2026-01-10 09:00:00"),
        ("a1000000-0000-4000-8000-000000000002", "staging.acme.example", "Staging", "", "2026-01-10 09:00:00"),
        ("a1000000-0000-4000-8000-000000000003", "geo.acme.example", "Geo Secondary Node", "", "2026-01-10 09:00:00"),
        ("a1000000-0000-4000-8000-000000000004", "old.acme.example", "Production", "", "2025-06-01 09:00:00"),
        ("a1000000-0000-4000-8000-000000000004", "old.acme.example", "Obsolete", "", "2026-05-02 09:00:00"),
        ("d4000000-0000-4000-8000-000000000003", "dev.umbrella.example", "Non-Production", "", "2026-02-01 09:00:00"),
        ("d4000000-0000-4000-8000-000000000003", "dev.umbrella.example", "Production", "Opt-Out", "2026-06-15 09:00:00"),
        ("d4000000-0000-4000-8000-000000000004", "ci.umbrella.example", "Production", "", "2026-02-01 09:00:00"),
        ("d4000000-0000-4000-8000-000000000005", "test.umbrella.example", "Unknown", "", "2026-02-01 09:00:00"),
        ("0b000000-0000-4000-8000-000000000001", "gitlab.vandelay.example", "Production", "Included", "2026-01-05 09:00:00"),
    ]
    exports = [  # file, key, email, company, start, end, generated, header, first day, last day, users
        ("license_usage/stark-2026-06.csv", "STARK-OFFLINE-LICENSE", "kim.kent@stark.example", "Stark Industries", "2026-01-01", "2026-12-31",
         "2026-07-01 10:00:00", "Active User Count", dt.date(2026, 3, 1), dt.date(2026, 6, 30), (40, 52)),
        ("license_usage/stark-2026-10.csv", "STARK-OFFLINE-LICENSE", "kim.kent@stark.example", "Stark Industries", "2026-01-01", "2026-12-31",
         "2026-10-30 10:00:00", "Billable User Count", dt.date(2026, 7, 1), dt.date(2026, 10, 29), (52, 64)),
    ]
    namespaces = [(9001, 60, 75), (9002, 30, 40), (9999, 10, 25)]  # namespace, billable start..end, seats-ish
    return subs, instances, licenses, mapping, labels, exports, namespaces


def scaled_fleet(pings, seed):
    """A larger fleet: the demo's shapes repeated over many accounts, ~26 weekly pings per instance."""
    subs, instances, licenses, mapping, labels, exports, namespaces = [], [], [], [], [], [], []
    weeks = 26
    n_instances = max(1, pings // weeks)
    rng = random.Random(seed)
    account_no = 0
    while len(instances) < n_instances:
        account_no += 1
        account = (f"ACC-{account_no:06d}", f"Customer {account_no:06d}")
        seats = rng.choice([25, 50, 100, 200, 500, 1000])
        sid1, sid2 = md5(f"sub1-{account_no}")[:32], md5(f"sub2-{account_no}")[:32]
        name = f"S-{account_no:06d}"
        plan = rng.choice(["premium", "ultimate"])
        subs.append(subscription(sid1, name, 1, account, plan, seats, "2025-05-01", "2026-04-30", "Expired"))
        amended = account_no % 20 == 3  # SPEC §4.13: an amendment (+50 % seats, an upgrade) on July 13
        subs.append(subscription(sid2, name, 2, account, plan, seats, "2026-05-01", "2027-04-30", "Expired" if amended else "Active"))
        if amended:
            subs.append(subscription(md5(f"sub3-{account_no}")[:32], name, 3, account, "ultimate", seats * 3 // 2,
                                     "2026-05-01", "2027-04-30", "Active", effective="2026-07-13"))
        key = f"LICENSE-{account_no}"
        licenses.append((key, sid1, plan, seats, "2025-05-01", "2027-04-30", "false", "2025-04-20 08:00:00"))
        domain = f"customer{account_no}.example"
        licensee = {"Name": f"Admin{account_no} Person", "Email": f"admin{account_no}@{domain}", "Company": account[1]}
        for k in range(rng.choice([1, 1, 2, 3])):
            share = 1.0 if k == 0 else 0.1
            level = lambda: (round(rng.uniform(0, 0.7), 2), round(rng.uniform(0, 0.7), 2))
            major = rng.choice([13, 15, 16, 17, 17, 17])
            version = f"{major}.{rng.randint(0, 11)}.{rng.randint(0, 5)}-ee"
            instances.append(instance(
                md5(f"uuid-{account_no}-{k}")[:8] + "-0000-4000-8000-" + md5(f"uuid-{account_no}-{k}")[:12],
                f"gitlab{k}.{domain}", key, licensee, seats,
                (int(seats * rng.uniform(0.2, 1.1) * share) + 1, int(seats * rng.uniform(0.2, 1.1) * share) + 1),
                {"scm": level(), "ci": level(), "cd": level(), "devsecops": level(), "ue": level()},
                [(0, version)], weekday=rng.randint(0, 6), ip=f"203.0.113.{(account_no + k) % 250 + 1}",
                quirks={"failed_weeks": (3, 3)} if rng.random() < 0.1 else {},
                fips=k == 0 and account_no % 30 == 11))  # SPEC §4.13: a FIPS instance (license_sha256 only)
        # SPEC §4.13, by account number (no draw, so the fleet's other accounts stay as they were): a
        # disaster-recovery copy of the first instance (same uuid and license), a development kit install
        first = next(inst for inst in reversed(instances) if inst["hostname"] == f"gitlab0.{domain}")
        if account_no % 25 == 0:
            instances.append({**first, "hostname": f"dr.{domain}", "quirks": dict(first["quirks"]),
                              "ip": f"198.51.100.{account_no % 250 + 1}"})
        if account_no % 40 == 7:
            instances.append(instance(md5(f"gdk-{account_no}")[:8] + "-0000-4000-8000-" + md5(f"gdk-{account_no}")[:12],
                                      f"gdk.{domain}", key, licensee, seats, (500, 500), first["levels"], [(0, "17.6.0-pre")],
                                      weekday=3, ip=f"198.51.100.{account_no % 250 + 1}", installation_type="gitlab-development-kit"))
    instances = instances[:n_instances]
    # the week after the period (--append-week): three instances deliver pings they could not send two to four
    # weeks earlier, two others upload that week's payload by hand instead of pinging
    append_rng = stable_rng(seed, "append-week")
    chosen = append_rng.sample(instances, min(5, len(instances)))
    for inst in chosen[:3]:
        inst["quirks"]["late"] = {week: dt.timedelta(weeks=weeks - week, hours=append_rng.randint(1, 20))
                                  for week in range(append_rng.randint(weeks - 4, weeks - 2), weeks - 1)}
    for inst in chosen[3:]:
        inst["quirks"]["upload_week"] = weeks
    return subs, instances, licenses, mapping, labels, exports, namespaces, weeks


# --------------------------------------------------------------------------- payloads

class PayloadWriter:
    """Payload JSON text from a template per version: only the instance's and the week's values are filled in."""

    def __init__(self, catalog, filler_leaves):
        self.catalog = catalog
        self.xmau_paths = load_xmau_paths()
        example = json.loads((REFERENCE / "service_ping_example.json").read_text(encoding="utf-8"))
        roots = {path.split(".")[0] for path, _ in catalog}
        # keys of the real payload the pipeline does not read stay as they are there
        constant = {key: value for key, value in example.items() if key not in roots and key not in ENVELOPE_KEYS}
        filler = {}
        for i in range(filler_leaves):
            filler.setdefault(f"group_{i // 50:03d}", {})[f"metric_{i % 50:02d}"] = (i * 7919) % 1000
        if filler:
            constant["usage_data_extra"] = filler
        # the constant part is serialized once and closes every payload
        constant_text = json.dumps(constant, separators=(",", ":"))[1:-1]
        self.constant_tail = "," + constant_text + "}" if constant_text else "}"
        self.reported = {}   # (major, minor) -> [(key_path, kind, argument)], in catalog order
        self.templates = {}  # (milestone, overridden key paths) -> (format string, {key_path: slot})
        self.counted = {}    # (major, minor) -> number of counted (random) metrics

    def reported_metrics(self, milestone):
        """The catalog metrics a version reports (the others predate it: not instrumented)."""
        if milestone not in self.reported:
            rows = []
            for key_path, since in self.catalog:
                if since > milestone:
                    continue
                if key_path in USE_CASE_PATHS:
                    rows.append((key_path, "use_case", USE_CASE_PATHS[key_path]))
                elif key_path == ENGAGEMENT_PATH:
                    rows.append((key_path, "engagement", None))
                elif key_path == UMAU_PATH:
                    rows.append((key_path, "umau", None))
                elif key_path in self.xmau_paths:
                    # a group's monthly users: a share of the billable users, drawn from no rng, so that
                    # an xMAU metric added to the catalog shifts no other metric's values
                    rows.append((key_path, "users", (int(md5(key_path)[:4], 16) % 40 + 10) / 100))
                elif key_path.endswith("enabled"):
                    rows.append((key_path, "flag", None))
                else:
                    rows.append((key_path, "count", int(md5(key_path)[:4], 16) % 200))
            self.reported[milestone] = rows
        return self.reported[milestone]

    def template(self, milestone, overridden, claims=False):
        """str.format text of a payload of this version up to its constant tail: {0}, {1}, ... are the metric
        values (slots), named fields the envelope values of the instance and the week; everything else is
        serialized once. Shared by all instances, so the templates held do not grow with the fleet."""
        key = (milestone, overridden, claims)
        if key not in self.templates:
            slot = lambda name: f"@@{name}@@"
            envelope = {
                "uuid": slot("uuid"), "hostname": slot("hostname"), "version": slot("version"), "installation_type": slot("installation_type"),
                "active_user_count": slot("active_user_count"), "recorded_at": slot("recorded_at"), "edition": "EE",
                "license_md5": slot("license_md5"), "license_sha256": slot("license_sha256"),
                "license_id": slot("license_id"), "historical_max_users": slot("historical_max_users"),
                "licensee": slot("licensee"), "license_user_count": slot("license_user_count"),
                "license_starts_at": "2026-01-01", "license_expires_at": "2026-12-31",
                "license_plan": "ultimate", "license_add_ons": {}, "license_trial": slot("license_trial"),
            }
            if milestone >= (14, 0):
                envelope["license_billable_users"] = slot("license_billable_users")
            if claims:
                envelope["license_subscription_id"] = slot("license_subscription_id")
            metrics, slots = {}, {}
            # a quirk may set a metric the version does not report
            for key_path in [row[0] for row in self.reported_metrics(milestone)] + list(overridden):
                if key_path not in slots:
                    slots[key_path] = len(slots)
                    set_path(metrics, key_path, slot(slots[key_path]))
            body = json.dumps({**envelope, **metrics}, separators=(",", ":"))[:-1]
            text = re.sub(r'"@@(\w+)@@"', r"{\1}", body.replace("{", "{{").replace("}", "}}"))
            self.templates[key] = (text, slots)
        return self.templates[key]

    def factors(self, version, rng):
        """The random factors of a payload of this version, one per counted metric: all its rng draws.
        Each is rng.uniform(0.97, 1.03), written out (a + (b - a) * random()) to spare a call per draw;
        an array of doubles, a fifth of a list of floats: a week of drawn pings holds them."""
        milestone = parse_version(version)
        if milestone not in self.counted:
            self.counted[milestone] = sum(kind not in ("flag", "users")
                                          for _key_path, kind, _ in self.reported_metrics(milestone))
        random = rng.random
        return array.array("d", [0.97 + (1.03 - 0.97) * random() for _ in range(self.counted[milestone])])

    def payload(self, ping):
        inst, week = ping.inst, ping.week
        milestone = parse_version(ping.version)
        progress = week / max(1, WEEKS - 1)
        billable = round(inst["billable"][0] + (inst["billable"][1] - inst["billable"][0]) * progress)
        if inst["drop"] and week >= inst["drop"][0]:
            billable = round(billable * inst["drop"][1])
        crash = inst["quirks"].get("crash_weeks")
        crashed = crash is not None and crash[0] <= week <= crash[1]

        def level(name):
            if crashed and name in ("ci", "cd", "devsecops"):
                return 0.01  # a bad month: CI, CD and DevSecOps fall to red at once
            return inst["levels"][name][0] + (inst["levels"][name][1] - inst["levels"][name][0]) * progress
        overrides = quirk_values(inst["quirks"], week)
        template, slots = self.template(milestone, tuple(overrides), bool(inst["claims"]))
        values, factors = [], iter(ping.factors)
        for key_path, kind, argument in self.reported_metrics(milestone):
            if kind == "flag":
                values.append("true" if int(md5(key_path + inst["uuid"])[:2], 16) % 2 == 0 else "false")
                continue
            if kind == "users":
                values.append(round(billable * argument))
                continue
            if kind == "use_case":
                base = inst["seats"] * level(argument[0]) * argument[1]
            elif kind == "engagement":
                base = billable * level("ue")
            elif kind == "umau":
                base = billable * 0.9
            else:
                base = billable * argument / 20
            values.append(round(base * next(factors)))
        values.extend([None] * (len(slots) - len(values)))
        for key_path, value in overrides.items():
            values[slots[key_path]] = json.dumps(value)
        key = inst["license_key"]
        # the fallback -1 in the top-level user counts (SPEC §4.13): NULL, never a count
        fallback = inst["quirks"].get("fallback_counts_week") == week
        extra = {"license_subscription_id": json.dumps(inst["claims"])} if inst["claims"] else {}
        return template.format(
            *values, uuid=json.dumps(inst["uuid"]), hostname=json.dumps(inst["hostname"]), version=json.dumps(ping.version),
            installation_type=json.dumps(inst["installation_type"]),
            license_md5="null" if inst["fips"] else json.dumps(md5(key)),
            license_sha256=json.dumps(hashlib.sha256(key.encode()).hexdigest()),
            license_id=int(md5(key)[:6], 16), licensee=json.dumps(inst["licensee"], separators=(",", ":")),
            license_user_count=inst["seats"], license_trial=json.dumps(inst["trial"]),
            active_user_count=-1 if fallback else billable + 5, historical_max_users=-1 if fallback else billable + 10,
            license_billable_users=billable, **extra,
            recorded_at=ping.recorded.strftime('"%Y-%m-%dT%H:%M:%S.000Z"')) + self.constant_tail


def quirk_values(quirks, week):
    """{key_path: value} a quirky week reports instead of the computed value."""
    values = {}
    if "failed_weeks" in quirks and quirks["failed_weeks"][0] <= week <= quirks["failed_weeks"][1]:
        values["usage_activity_by_stage_monthly.verify.ci_pipelines"] = -1
        values["counts.ci_builds"] = -1
    if quirks.get("invalid_week") == week:
        values["counts.merge_requests"] = -2
    if quirks.get("string_week") == week:
        values["counts.issues"] = "12"
    if quirks.get("deprecated_week") == week:  # SPEC §4.13 fallbacks: deprecated, histogram failed
        values["counts.issues"] = -1000
    if quirks.get("histogram_week") == week:
        values["counts.merge_requests"] = {"-1": -1}
    for key_path in quirks.get("not_collected", ()):  # optional data turned off: sent as null
        values[key_path] = None
    return values


# --------------------------------------------------------------------------- pings, week by week

class Ping(typing.NamedTuple):
    """One payload drawn, not yet written: PayloadWriter.payload makes its text when it is written."""
    received: dt.datetime  # None for a manual upload
    recorded: dt.datetime
    inst: dict
    week: int
    version: str
    factors: array.array


def pings_by_recorded_week(instances, weeks, writer, seed):
    """Per week of the period: (automatic pings recorded that week and received within the period,
    manual uploads recorded that week [(file name, ping)]). Each instance has its own rng, drawn in week
    order: the fleet drawn week by week is the fleet drawn instance by instance."""
    period_end = dt.datetime.combine(START + dt.timedelta(weeks=weeks), dt.time())
    rngs = [stable_rng(seed, inst["uuid"], inst["hostname"]) for inst in instances]
    for week in range(weeks):
        automatic, manual = [], []
        for inst, rng in zip(instances, rngs):
            last_week = weeks - 1 if inst["last_week"] is None else min(inst["last_week"], weeks - 1)
            if not inst["first_week"] <= week <= last_week:
                continue
            quirks = inst["quirks"]
            day = START + dt.timedelta(weeks=week, days=inst["weekday"])
            recorded = dt.datetime.combine(day, dt.time(3, rng.randint(0, 59), rng.randint(0, 59)))
            version = [v for w, v in inst["versions"] if w <= week][-1]
            ping = Ping(None, recorded, inst, week, version, writer.factors(version, rng))
            if inst["manual"]:
                if day.day <= 7:  # air-gapped: one upload a month
                    manual.append((f"manual_uploads/{inst['hostname']}-{day:%Y-%m}.json", ping))
                continue
            if quirks.get("upload_week") == week:  # uploaded by hand instead of pinging
                manual.append((f"manual_uploads/{inst['hostname']}-{day:%Y-%m-%d}.json", ping))
                continue
            delay = dt.timedelta(hours=rng.randint(1, 20))
            delay = quirks.get("late", {}).get(week, delay)
            if recorded + delay < period_end:  # later ones are not received yet
                automatic.append(ping._replace(received=recorded + delay))
            if quirks.get("manual_copy_week") == week:
                manual.append((f"manual_uploads/{inst['hostname']}-{day:%Y-%m-%d}.json", ping))
        yield automatic, manual


def pings_by_received_week(instances, weeks, writer, seed):
    """Per week of the period: (the automatic pings received that week in collector order, the manual uploads
    recorded that week). A ping is received the week it is recorded or, late, a later one: only those wait."""
    waiting = {}  # Monday of reception -> pings
    for week, (automatic, manual) in enumerate(pings_by_recorded_week(instances, weeks, writer, seed)):
        for ping in automatic:
            waiting.setdefault(ping.received.date() - dt.timedelta(days=ping.received.weekday()), []).append(ping)
        received = waiting.pop(START + dt.timedelta(weeks=week), [])
        received.sort(key=lambda ping: (ping.received, ping.inst["uuid"], ping.inst["hostname"]))
        yield received, manual


def collector_line(ping_id, received, inst, payload):
    return '{"id":%d,"received_at":"%s","source_ip":"%s","payload":%s}' % (
        ping_id, received.strftime("%Y-%m-%dT%H:%M:%SZ"), inst["ip"], payload)


def bad_lines(received):
    stamp = received.strftime("%Y-%m-%dT%H:%M:%SZ")
    ok_payload = {"uuid": "bad00000-0000-4000-8000-000000000001", "hostname": "bad.example", "version": "17.0.0",
                  "recorded_at": received.strftime("%Y-%m-%dT%H:%M:%SZ")}
    future = (received + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        "this is not json",
        '{"id": 990001, "received_at": "' + stamp + '", "payload": {"uuid": "trunc',
        '[1, 2, 3]',
        json.dumps({"id": 990002, "received_at": stamp, "source_ip": "198.51.100.99"}),
        json.dumps({"id": 990003, "received_at": stamp, "source_ip": "198.51.100.99", "payload": {k: v for k, v in ok_payload.items() if k != "uuid"}}),
        json.dumps({"id": 990004, "received_at": stamp, "source_ip": "198.51.100.99", "payload": {**ok_payload, "recorded_at": "yesterday-ish"}}),
        json.dumps({"id": 990005, "received_at": stamp, "source_ip": "198.51.100.99", "payload": {**ok_payload, "recorded_at": future}}),
        "",
    ]


def ping_file_lines(pings, first_id, writer, with_bad_lines):
    """The lines of one week's ping file, made one at a time."""
    for ping_id, ping in enumerate(pings, start=first_id):
        payload = writer.payload(ping)
        yield collector_line(ping_id, ping.received, ping.inst, payload)
    if with_bad_lines:  # after the last ping of the file
        yield from bad_lines(ping.received)
        yield collector_line(990010, ping.received + dt.timedelta(hours=3), ping.inst, payload)


def weekly_files(instances, weeks, writer, seed, only_week=None):
    """("pings", name, lines) per week of reception (Monday; collector ids in order; the bad lines in the first
    file, so --append-week leaves them alone) and ("manual", name, text) per upload; with only_week only that
    week's files: the other weeks are drawn (cheap) but their payloads are not made."""
    next_id = 1
    for week, (received, manual) in enumerate(pings_by_received_week(instances, weeks, writer, seed)):
        if only_week in (None, week):
            if received:
                yield "pings", f"pings/{START + dt.timedelta(weeks=week)}.ndjson", ping_file_lines(received, next_id, writer, next_id == 1)
            for name, ping in manual:
                yield "manual", name, writer.payload(ping)
        next_id += len(received)


def license_usage_files(exports):
    files = {}
    for name, key, email, company, start, end, generated, header, first, last, users in exports:
        lines = [f"License Key,{key}", f"Email,{email}", f"License Start Date,{start}", f"License End Date,{end}",
                 f"Company,{company}", f"Generated At,{generated}", "", f"Date,{header}"]
        days = (last - first).days
        for offset in range(days + 1):
            lines.append(f"{first + dt.timedelta(days=offset)},{round(users[0] + (users[1] - users[0]) * offset / max(1, days))}")
        files[name] = "\n".join(lines) + "\n"
    return files


def saas_files(namespaces, weeks, catalog):
    files = {}
    for week in range(weeks):
        monday = START + dt.timedelta(weeks=week)
        lines = []
        for namespace_id, first, last in namespaces:
            billable = round(first + (last - first) * week / max(1, weeks - 1))
            metrics = {}
            for key_path, _ in catalog:
                share = USE_CASE_PATHS.get(key_path, ("", 0.3))[1]
                set_path(metrics, key_path, round(billable * share * 0.8))
            lines.append(json.dumps({"namespace_id": namespace_id, "recorded_at": f"{monday}T00:00:00Z",
                                     "billable_members": billable, "metrics": metrics}, separators=(",", ":")))
        files[f"saas_usage/{monday:%Y-%m-%d}.ndjson"] = lines
    return files


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def tables(subs, licenses, mapping, labels, as_seeds=False):
    """The CSV tables. The mapping file keeps the header of SPEC §2.6 exactly unless a row maps a
    license by its SHA-256 (the optional column); the seed always has the column, as the staging
    model reads it from the seed by name."""
    mapping_columns = ["license_md5", "zuora_subscription_id"]
    if as_seeds or any(len(row) > 2 and row[2] for row in mapping):
        mapping_columns.append("license_sha256")
    sub_columns = ["subscription_id", "subscription_name", "subscription_version", "account_id", "account_name", "plan",
                   "delivery", "licensed_seats", "term_start_date", "term_end_date", "status", "namespace_id",
                   "version_effective_date"]
    return {
        "subscriptions.csv": csv_text(sub_columns, [[s[c] for c in sub_columns] for s in subs]),
        "licenses.csv": csv_text(["license_md5", "subscription_id", "plan", "users_count", "starts_at", "expires_at", "is_trial", "created_at",
                                  "license_sha256"],
                                 [[md5(key), *rest, sha256(key)] for key, *rest in licenses]),
        "license_md5_to_subscription_mapping.csv": csv_text(
            mapping_columns, [([md5(k), s] + (list(rest) or [""]))[:len(mapping_columns)] for k, s, *rest in mapping]),
        "instance_types.csv": csv_text(["uuid", "hostname", "instance_type", "included_in_health_measure", "updated_at"], labels),
    }


def filler_leaves(catalog, payload_kb):
    """Filler leaves that bring a payload to about payload_kb kilobytes (default: 1,000 leaves, ~24 KB)."""
    if payload_kb is None:
        return 1000
    base, per_leaf = len(PayloadWriter(catalog, 0).constant_tail), None
    per_leaf = (len(PayloadWriter(catalog, 1000).constant_tail) - base) / 1000
    # a payload with 1,000 leaves is about 24 KB (pings/ of the benchmark: 476 MB for 20,000 pings)
    return max(0, round(1000 + (payload_kb * 1000 - 23_800) / per_leaf))


def build(pings=None, seed=42, append_week=False, as_seeds=False, payload_kb=None):
    """All the raw input, file by file: (group, name, content), content a text or, for pings and saas, lines.
    Ping lines are made as they are consumed: consume each file's before the next. With append_week only
    what arrives in the week after the period."""
    catalog = load_catalog()
    if pings:
        subs, instances, licenses, mapping, labels, exports, namespaces, weeks = scaled_fleet(pings, seed)
        filler = filler_leaves(catalog, payload_kb)
    else:
        subs, instances, licenses, mapping, labels, exports, namespaces = demo_fleet()
        weeks, filler = WEEKS, 0
    if append_week:
        weeks += 1
    writer = PayloadWriter(catalog, filler)
    yield from weekly_files(instances, weeks, writer, seed, only_week=weeks - 1 if append_week else None)
    if append_week:
        return
    for group, files in (("license_usage", license_usage_files(exports)), ("saas", saas_files(namespaces, weeks, catalog)),
                         ("tables", tables(subs, licenses, mapping, labels, as_seeds))):
        for name, content in files.items():
            yield group, name, content


def regroup_pings(files, per_file):
    """The ping lines in files of per_file lines each (pings/part-00001.ndjson, ...), the other files as
    they are: a collector's daily or weekly export is one big file, not one per week of reception. Lines
    are still made as they are consumed."""
    others = []

    def ping_lines():
        for group, name, content in files:
            if group == "pings":
                yield from content
            else:
                others.append((group, name, content))

    lines, number = ping_lines(), 0
    while (first := next(lines, None)) is not None:
        number += 1
        yield "pings", f"pings/part-{number:05d}.ndjson", itertools.chain([first], itertools.islice(lines, per_file - 1))
    yield from others


def write_raw_dir(out, files, gz=False, new_only=False):
    """Write the files, ping files a line at a time; return (names written, bytes of pings written).
    new_only: never into an existing file (it may be a hard link into another directory)."""
    out = pathlib.Path(out)
    mode = "xb" if new_only else "wb"
    names, written = [], 0
    for group, name, content in files:
        path = out / (name + (".gz" if gz and group == "pings" else ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        names.append(name)
        if group == "pings":
            with gzip.GzipFile(path, mode, mtime=0) if gz else open(path, mode) as handle:
                for line in content:
                    data = (line + "\n").encode()
                    handle.write(data)
                    written += len(data)
            continue
        text = content if isinstance(content, str) else "\n".join(content) + "\n"
        with open(path, mode) as handle:
            handle.write(text.encode())
    return names, written


def write_seeds(out, files):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = {}
    for group, name, content in files:
        data.setdefault(group, {})[name] = content if isinstance(content, str) else list(content)
    lines = lambda files: [[name, number, line] for name in sorted(files) for number, line in enumerate(files[name], start=1)]
    (out / "raw_pings.csv").write_text(csv_text(["file_name", "line_number", "line"], lines(data["pings"])), encoding="utf-8")
    (out / "raw_saas_usage.csv").write_text(csv_text(["file_name", "line_number", "line"], lines(data["saas"])), encoding="utf-8")
    (out / "raw_manual_uploads.csv").write_text(csv_text(["file_name", "content"], sorted(data["manual"].items())), encoding="utf-8")
    (out / "raw_license_usage.csv").write_text(csv_text(["file_name", "content"], sorted(data["license_usage"].items())), encoding="utf-8")
    for name, content in data["tables"].items():
        (out / name).write_text(content, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--seeds", help="write the embedded demo as dbt seeds into this directory")
    target.add_argument("--out", help="write a raw data directory (SPEC §2)")
    parser.add_argument("--pings", type=int, help="scale the fleet to about this many pings")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--gzip", action="store_true", help="write pings as .ndjson.gz")
    parser.add_argument("--append-week", action="store_true", help="add the next week's ping file to --out")
    parser.add_argument("--pings-per-file", type=int,
                        help="write the ping lines in files of this many lines (default: one file per week of reception)")
    parser.add_argument("--payload-kb", type=float, help="about this many kilobytes per payload (with --pings; default ~24)")
    args = parser.parse_args()
    started = dt.datetime.now()
    if args.seeds:
        write_seeds(args.seeds, build(seed=args.seed, as_seeds=True))
        print(f"wrote demo seeds to {args.seeds}")
        return 0
    try:
        files = build(args.pings, args.seed, args.append_week, payload_kb=args.payload_kb)
        if args.pings_per_file:
            files = regroup_pings(files, args.pings_per_file)
        names, written = write_raw_dir(args.out, files, args.gzip, new_only=args.append_week)
    except FileExistsError as error:
        sys.exit(f"{error.filename} exists: --append-week only creates new files (was the week appended already?)")
    seconds = (dt.datetime.now() - started).total_seconds()
    if args.append_week:
        print(f"appended {', '.join(sorted(names))} to {args.out}")
    print(f"wrote {args.out}: {written / 1e6:.1f} MB of pings in {seconds:.1f} s ({written / 1e6 / max(seconds, 1e-9):.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
