"""Identical inputs give byte-identical output, whatever the hash seed of the interpreter."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import datetime as dt, hashlib, json
import frivillighet as fv
from frivillighet import calendar
from frivillighet.rules import obligations, volunteer_work
policies = [fv.load_policy(p) for p in fv.builtin_policies()]
stamp = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
meetings = [fv.Meeting(obligation="hemnes.obligation.june_status", held=dt.date(2024, 6, 18))]
ics = calendar.to_ics(policies, dt.date(2020, 1, 1), dt.date(2029, 12, 31), generated=stamp,
                      meetings=meetings, as_of=dt.date(2025, 1, 1), alarm=14)
jcal = calendar.to_jcal(policies, dt.date(2020, 1, 1), dt.date(2029, 12, 31), generated=stamp)
results = [
    obligations.compliance(policies[0], meetings, dt.date(2025, 1, 1)),
    volunteer_work.assess(policies[0], fv.Activity(pay="wage")),
    [fv.to_json(p) for p in policies],
]
text = json.dumps(fv.to_json(results), ensure_ascii=False, sort_keys=False)
for blob in (ics, jcal.encode(), text.encode()):
    print(hashlib.sha256(blob).hexdigest())
"""


def test_output_is_identical_across_hash_seeds() -> None:
    digests = set()
    for seed in ("0", "1", "12345", "random"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(done.stdout)
    assert len(digests) == 1, digests
    assert len(next(iter(digests)).split()) == 3  # sha256 of the ICS, jCal and JSON bytes
