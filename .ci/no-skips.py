#!/usr/bin/env python3
"""Fails when any test was skipped: Maven and pytest both pass with skips, which would hide a test that
never ran (a missing table, no PostgreSQL, no Prometheus). Reads the Surefire/Failsafe reports of every
module and the JUnit XML files given as arguments (pytest's --junitxml); prints each skipped test."""
from __future__ import annotations

import glob
import os
import sys
import xml.etree.ElementTree as ET

# Tests that may skip in CI for a reason other than missing data or services, with the reason.
# Keep it empty unless such a test exists (e.g. one that needs a GPU the CI machine lacks).
ALLOWED: dict[str, str] = {}


def report_files(root: str, extra: list[str]) -> list[str]:
    files = []
    for kind in ("surefire-reports", "failsafe-reports"):
        files += glob.glob(os.path.join(root, "**", "target", kind, "TEST-*.xml"), recursive=True)
    return sorted(f for f in files if "/node_modules/" not in f) + extra


def main(argv: list[str]) -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = report_files(root, argv)
    if not files:
        print("no-skips: no test reports found; did the tests run?")
        return 1
    ran, skipped = 0, []
    for path in files:
        if not os.path.isfile(path):
            print(f"no-skips: expected test report {path}, but it is missing")
            return 1
        for case in ET.parse(path).getroot().iter("testcase"):
            ran += 1
            skip = case.find("skipped")
            if skip is None:
                continue
            name = f"{case.get('classname')}.{case.get('name')}"
            if name not in ALLOWED:
                reason = (skip.get("message") or skip.text or "").strip().splitlines()
                skipped.append(f"  {name}: {reason[0] if reason else 'no reason given'}")
    if skipped:
        print(f"no-skips: {len(skipped)} of {ran} tests were skipped; CI runs every test:")
        print("\n".join(skipped))
        return 1
    print(f"no-skips: {ran} tests in {len(files)} reports, none skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
