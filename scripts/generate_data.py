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

Bad lines (one each, in the first ping file): not JSON, truncated JSON, a JSON array, an envelope
without payload, a payload without uuid, an unparseable recorded_at, a recorded_at two days after
received_at, a blank line; plus a re-delivered duplicate. Personal data: source IPs in
203.0.113.0/24 and 198.51.100.0/24, licensee names "First Last", e-mails "first.last@<domain>".
"""

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import pathlib
import random
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"
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


def set_path(tree, key_path, value):
    *parents, leaf = key_path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


# --------------------------------------------------------------------------- the fleet

def subscription(sid, name, version, account, plan, seats, start, end, status, delivery="self_managed", namespace=""):
    return {"subscription_id": sid, "subscription_name": name, "subscription_version": version,
            "account_id": account[0], "account_name": account[1], "plan": plan, "delivery": delivery,
            "licensed_seats": seats, "term_start_date": start, "term_end_date": end, "status": status,
            "namespace_id": namespace}


def instance(uuid, hostname, license_key, licensee, seats, billable, levels, versions, **options):
    """billable/levels: (start, end) linear over the period; versions: [(from_week, version)]."""
    return {"uuid": uuid, "hostname": hostname, "license_key": license_key, "licensee": licensee,
            "seats": seats, "billable": billable, "levels": levels, "versions": versions,
            "first_week": options.get("first_week", 0), "last_week": options.get("last_week", WEEKS - 1),
            "weekday": options.get("weekday", 0), "manual": options.get("manual", False),
            "trial": options.get("trial", False), "ip": options.get("ip", "203.0.113.10"),
            "quirks": options.get("quirks", {}), "drop": options.get("drop")}


def demo_fleet():
    acme, globex, initech, umbrella = ("ACC-0001", "Acme Corp"), ("ACC-0002", "Globex"), ("ACC-0003", "Initech"), ("ACC-0004", "Umbrella")
    hooli, stark, wayne, cyber = ("ACC-0005", "Hooli"), ("ACC-0006", "Stark Industries"), ("ACC-0007", "Wayne Enterprises"), ("ACC-0008", "Cyberdyne")
    soylent, tyrell = ("ACC-0009", "Soylent"), ("ACC-0010", "Tyrell")
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
    ]
    person = lambda first, last, domain, company: {"Name": f"{first} {last}", "Email": f"{first.lower()}.{last.lower()}@{domain}", "Company": company}
    acme_admin = person("Alice", "Anders", "acme.example", "Acme Corp")
    high = {"scm": (0.55, 0.65), "ci": (0.55, 0.6), "cd": (0.12, 0.14), "devsecops": (0.02, 0.25), "ue": (0.85, 0.9)}
    low = {"scm": (0.1, 0.12), "ci": (0.05, 0.06), "cd": (0.01, 0.01), "devsecops": (0.0, 0.0), "ue": (0.4, 0.45)}
    instances = [
        instance("a1000000-0000-4000-8000-000000000001", "gitlab.acme.example", "ACME-LICENSE-2025", acme_admin, 200, (80, 150), high,
                 [(0, "16.11.3-ee"), (12, "17.2.1-ee"), (24, "17.5.0-ee")], weekday=1, ip="203.0.113.11",
                 quirks={"manual_copy_week": 20, "late_week": 15}),
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
        subs.append(subscription(sid2, name, 2, account, plan, seats, "2026-05-01", "2027-04-30", "Active"))
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
                quirks={"failed_weeks": (3, 3)} if rng.random() < 0.1 else {}))
    return subs, instances[:n_instances], licenses, mapping, labels, exports, namespaces, weeks


# --------------------------------------------------------------------------- payloads

class PayloadWriter:
    def __init__(self, catalog, filler_leaves):
        self.catalog = catalog
        template = json.loads((REFERENCE / "service_ping_example.json").read_text(encoding="utf-8"))
        roots = {path.split(".")[0] for path, _ in catalog}
        # template keys the pipeline does not read stay as they are in the real payload
        self.template_constant = {
            key: value for key, value in template.items() if key not in roots and key not in ENVELOPE_KEYS
        }
        filler = {}
        for i in range(filler_leaves):
            filler.setdefault(f"group_{i // 50:03d}", {})[f"metric_{i % 50:02d}"] = (i * 7919) % 1000
        if filler:
            self.template_constant["usage_data_extra"] = filler
        # the constant part is serialized once and spliced into every payload
        self.constant_fragment = json.dumps(self.template_constant, separators=(",", ":"))[1:-1]

    def payload(self, inst, week, recorded_at, version, rng):
        vmajor, vminor = parse_version(version)
        progress = week / max(1, WEEKS - 1)
        billable = round(inst["billable"][0] + (inst["billable"][1] - inst["billable"][0]) * progress)
        if inst["drop"] and week >= inst["drop"][0]:
            billable = round(billable * inst["drop"][1])
        noise = lambda: rng.uniform(0.97, 1.03)
        crash = inst["quirks"].get("crash_weeks")
        crashed = crash is not None and crash[0] <= week <= crash[1]

        def level(name):
            if crashed and name in ("ci", "cd", "devsecops"):
                return 0.01  # a bad month: CI, CD and DevSecOps fall to red at once
            return inst["levels"][name][0] + (inst["levels"][name][1] - inst["levels"][name][0]) * progress
        envelope = {
            "uuid": inst["uuid"], "hostname": inst["hostname"], "version": version, "installation_type": "omnibus-gitlab",
            "active_user_count": billable + 5, "recorded_at": recorded_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "edition": "EE",
            "license_md5": md5(inst["license_key"]), "license_sha256": hashlib.sha256(inst["license_key"].encode()).hexdigest(),
            "license_id": int(md5(inst["license_key"])[:6], 16), "historical_max_users": billable + 10,
            "licensee": inst["licensee"], "license_user_count": inst["seats"],
            "license_starts_at": "2026-01-01", "license_expires_at": "2026-12-31",
            "license_plan": "ultimate", "license_add_ons": {}, "license_trial": inst["trial"],
        }
        if (vmajor, vminor) >= (14, 0):
            envelope["license_billable_users"] = billable
        metrics = {}
        for key_path, milestone in self.catalog:
            if milestone > (vmajor, vminor):
                continue  # the version predates the metric: not instrumented
            if key_path in USE_CASE_PATHS:
                use_case, share = USE_CASE_PATHS[key_path]
                value = round(inst["seats"] * level(use_case) * share * noise())
            elif key_path == ENGAGEMENT_PATH:
                value = round(billable * level("ue") * noise())
            elif key_path == UMAU_PATH:
                value = round(billable * 0.9 * noise())
            elif key_path.endswith("enabled"):
                value = (int(md5(key_path + inst["uuid"])[:2], 16) % 2) == 0
            else:
                value = round(billable * (int(md5(key_path)[:4], 16) % 200) / 20 * noise())
            set_path(metrics, key_path, value)
        quirks = inst["quirks"]
        if "failed_weeks" in quirks and quirks["failed_weeks"][0] <= week <= quirks["failed_weeks"][1]:
            set_path(metrics, "usage_activity_by_stage_monthly.verify.ci_pipelines", -1)
            set_path(metrics, "counts.ci_builds", -1)
        if quirks.get("invalid_week") == week:
            set_path(metrics, "counts.merge_requests", -2)
        if quirks.get("string_week") == week:
            set_path(metrics, "counts.issues", "12")
        body = json.dumps({**envelope, **metrics}, separators=(",", ":"))
        if self.constant_fragment:
            body = body[:-1] + "," + self.constant_fragment + "}"
        return body


def weekly_pings(instances, weeks, catalog, filler_leaves, seed):
    """[(received_at, recorded_at, instance, payload_text)] for automatic and manual pings."""
    writer = PayloadWriter(catalog, filler_leaves)
    automatic, manual = [], []
    for inst in instances:
        rng = stable_rng(seed, inst["uuid"], inst["hostname"])
        for week in range(inst["first_week"], min(inst["last_week"], weeks - 1) + 1):
            day = START + dt.timedelta(weeks=week, days=inst["weekday"])
            recorded = dt.datetime.combine(day, dt.time(3, rng.randint(0, 59), rng.randint(0, 59)))
            version = [v for w, v in inst["versions"] if w <= week][-1]
            payload = writer.payload(inst, week, recorded, version, rng)
            if inst["manual"]:
                if day.day <= 7:  # air-gapped: one upload a month
                    manual.append((f"manual_uploads/{inst['hostname']}-{day:%Y-%m}.json", payload))
                continue
            delay = dt.timedelta(hours=rng.randint(1, 20))
            if inst["quirks"].get("late_week") == week:
                delay = dt.timedelta(days=19)
            automatic.append((recorded + delay, recorded, inst, payload))
            if inst["quirks"].get("manual_copy_week") == week:
                manual.append((f"manual_uploads/{inst['hostname']}-{day:%Y-%m-%d}.json", payload))
    automatic.sort(key=lambda row: (row[0], row[2]["uuid"], row[2]["hostname"]))
    return automatic, manual


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


def ping_files(automatic, weeks_in_files, with_bad_lines):
    """{file name: [lines]}: one file per week of reception (Monday), collector ids in order."""
    files = {}
    for ping_id, (received, _recorded, inst, payload) in enumerate(automatic, start=1):
        monday = received.date() - dt.timedelta(days=received.weekday())
        line = '{"id":%d,"received_at":"%s","source_ip":"%s","payload":%s}' % (
            ping_id, received.strftime("%Y-%m-%dT%H:%M:%SZ"), inst["ip"], payload)
        files.setdefault(f"pings/{monday:%Y-%m-%d}.ndjson", []).append(line)
    if with_bad_lines and automatic:  # in the first week's file, so --append-week leaves them alone
        first_file = sorted(files)[0]
        received, _recorded, inst, payload = automatic[len(files[first_file]) - 1]
        files[first_file].extend(bad_lines(received))
        redelivered = received + dt.timedelta(hours=3)
        files[first_file].append('{"id":%d,"received_at":"%s","source_ip":"%s","payload":%s}' % (
            990010, redelivered.strftime("%Y-%m-%dT%H:%M:%SZ"), inst["ip"], payload))
    return files


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


def tables(subs, licenses, mapping, labels):
    sub_columns = ["subscription_id", "subscription_name", "subscription_version", "account_id", "account_name", "plan",
                   "delivery", "licensed_seats", "term_start_date", "term_end_date", "status", "namespace_id"]
    return {
        "subscriptions.csv": csv_text(sub_columns, [[s[c] for c in sub_columns] for s in subs]),
        "licenses.csv": csv_text(["license_md5", "subscription_id", "plan", "users_count", "starts_at", "expires_at", "is_trial", "created_at"],
                                 [[md5(key), *rest] for key, *rest in licenses]),
        "license_md5_to_subscription_mapping.csv": csv_text(["license_md5", "zuora_subscription_id"], [[md5(k), s] for k, s in mapping]),
        "instance_types.csv": csv_text(["uuid", "hostname", "instance_type", "included_in_health_measure", "updated_at"], labels),
    }


def build(pings=None, seed=42, weeks_override=None):
    catalog = load_catalog()
    if pings:
        subs, instances, licenses, mapping, labels, exports, namespaces, weeks = scaled_fleet(pings, seed)
        filler = 1000
    else:
        subs, instances, licenses, mapping, labels, exports, namespaces = demo_fleet()
        weeks, filler = WEEKS, 0
    if weeks_override:
        weeks = weeks_override
    automatic, manual = weekly_pings(instances, weeks, catalog, filler, seed)
    return {
        "pings": ping_files(automatic, weeks, with_bad_lines=True),
        "manual": dict(manual),
        "license_usage": license_usage_files(exports),
        "saas": saas_files(namespaces, weeks, catalog),
        "tables": tables(subs, licenses, mapping, labels),
    }


def write_raw_dir(out, data, gz=False, only=None):
    out = pathlib.Path(out)
    written = 0
    for name, lines in data["pings"].items():
        if only and name not in only:
            continue
        path = out / (name + (".gz" if gz else ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        text = ("\n".join(lines) + "\n").encode()
        written += len(text)
        if gz:
            with gzip.GzipFile(path, "wb", mtime=0) as handle:
                handle.write(text)
        else:
            path.write_bytes(text)
    if only:
        return written
    for group in ("manual", "license_usage"):
        for name, content in data[group].items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(content, encoding="utf-8")
    for name, lines in data["saas"].items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, content in data["tables"].items():
        (out / name).write_text(content, encoding="utf-8")
    return written


def write_seeds(out, data):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
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
    args = parser.parse_args()
    started = dt.datetime.now()
    if args.seeds:
        write_seeds(args.seeds, build(seed=args.seed))
        print(f"wrote demo seeds to {args.seeds}")
        return 0
    if args.append_week:
        base = build(args.pings, args.seed)
        weeks = 26 if args.pings else WEEKS
        bigger = build(args.pings, args.seed, weeks_override=weeks + 1)
        new_files = set(bigger["pings"]) - set(base["pings"])
        written = write_raw_dir(args.out, bigger, args.gzip, only=new_files)
        print(f"appended {sorted(new_files)} ({written / 1e6:.1f} MB)")
        return 0
    written = write_raw_dir(args.out, build(args.pings, args.seed), args.gzip)
    seconds = (dt.datetime.now() - started).total_seconds()
    print(f"wrote {args.out}: {written / 1e6:.1f} MB of pings in {seconds:.1f} s ({written / 1e6 / max(seconds, 1e-9):.0f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
