#!/usr/bin/env python3
"""Reads the TRX files of one test run and the floors in tests/test-floor.txt; prints the closing line CI reads.

Fails (exit 1) when any test failed or was skipped, when a suite listed in the floor file has no TRX file, or when a
suite ran fewer tests than its floor: a test deleted, a class no longer discovered or a filter left in place shows up as
a red run instead of a quietly smaller one. Usage: check-test-counts.py <results directory> <floor file>.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def floors(path):
    result = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                suite, count = line.split()
                result[suite] = int(count)
    return result


def main(results, floor_file):
    problems = []
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    ran = {}
    for trx in sorted(glob.glob(os.path.join(results, "*.trx"))):
        # unit-a.trx and unit-b.trx are two shards of one suite, "unit": the floor applies to their sum.
        name = os.path.splitext(os.path.basename(trx))[0]
        suite = name.split("-", 1)[0]
        counters = ET.parse(trx).getroot().find(".//{*}Counters")
        if counters is None:
            problems.append(f"{name}: the TRX file has no counters")
            continue
        passed = int(counters.get("passed", 0))
        failed = sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
        skipped = int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
        ran[suite] = ran.get(suite, 0) + passed + failed + skipped
        totals["passed"] += passed
        totals["failed"] += failed
        totals["skipped"] += skipped
        if skipped:
            problems.append(f"{name}: {skipped} test(s) skipped; a skipped test proves nothing, so none may be")
    for suite, floor in floors(floor_file).items():
        if suite not in ran:
            problems.append(f"{suite}: no results (expected at least {floor} tests)")
        elif ran[suite] < floor:
            problems.append(f"{suite}: {ran[suite]} tests ran, fewer than the floor of {floor} in {floor_file}")
    print(f"Tests: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    for problem in problems:
        print(f"Test count check: {problem}")
    return 1 if problems or totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
