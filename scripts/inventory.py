#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what a test run reported with tests/expected, the inventory of
what make check must see run.

  inventory.py kunit LOG            every listed KUnit suite ran, with at
                                    least its listed cases; none unlisted
  inventory.py scenario NAME LOG    the QEMU scenario reached its end and
                                    printed exactly its listed checks
  inventory.py suites               how many KUnit suites are listed
  inventory.py counts LOG           "passed failed skipped" of a KTAP log,
                                    each parameter counted (kunit.py on 6.1
                                    counts a skipped parameter as passed)

Each problem is printed on a line of its own, naming the suite or the
scenario; the exit status is the number of problems (at most 100).
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = os.path.join(TOP, "tests", "expected")
# A kernel log line, with or without its printk time stamp.
STAMP = re.compile(r"^(?:\[[^\]]*\] ?)?")


def inventory():
    kunit, scenarios = {}, {}
    with open(EXPECTED) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            if len(line) != 3 or line[0] not in ("kunit", "scenario") or not line[2].isdigit():
                sys.exit("%s:%d: expected 'kunit SUITE CASES' or 'scenario NAME CHECKS'"
                         % (EXPECTED, n))
            (kunit if line[0] == "kunit" else scenarios)[line[1]] = int(line[2])
    return kunit, scenarios


def lines(path):
    with open(path, errors="replace") as f:
        for line in f:
            yield STAMP.sub("", line.rstrip("\r\n"))


def kunit_cases(log):
    """Cases per suite in a KTAP log, each parameter counted: a suite's
    header is indented four spaces, its cases' results four, their
    parameters' results eight, the suite's own result none."""
    result = re.compile(r"^( *)(?:not )?ok \d+ (\S+)")
    header = re.compile(r"^    # Subtest: (\w+)$")
    ran, suite, cases, params = {}, None, 0, 0
    for line in lines(log):
        m = header.match(line)
        if m:
            suite, cases, params = m.group(1), 0, 0
            continue
        m = result.match(line)
        if not m or suite is None:
            continue
        depth = len(m.group(1))
        if depth == 8:
            params += 1
        elif depth == 4:
            cases += params or 1
            params = 0
        elif depth == 0 and m.group(2) == suite:
            ran[suite] = cases
            suite = None
    return ran


def kunit_counts(log):
    """Passed, failed and skipped leaves: a parameterised case by its own
    "pass: fail: skip:" line, any other by its result line."""
    stats = re.compile(r"^    # \w+: pass:(\d+) fail:(\d+) skip:(\d+) total:\d+$")
    case = re.compile(r"^    (not )?ok \d+ \S+( # SKIP)?")
    counts, param_stats = [0, 0, 0], False
    for line in lines(log):
        m = stats.match(line)
        if m:
            for i in range(3):
                counts[i] += int(m.group(i + 1))
            param_stats = True
            continue
        m = case.match(line)
        if m:
            if not param_stats:
                counts[1 if m.group(1) else 2 if m.group(2) else 0] += 1
            param_stats = False
    return counts


def check_kunit(log):
    expected, _ = inventory()
    ran = kunit_cases(log)
    problems = []
    for name, cases in expected.items():
        if name not in ran:
            problems.append("KUnit suite %s did not run" % name)
        elif ran[name] < cases:
            problems.append("KUnit suite %s ran %d cases, tests/expected lists %d"
                            % (name, ran[name], cases))
    for name in ran:
        if name.startswith("novamm") and name not in expected:
            problems.append("KUnit suite %s ran but is not in tests/expected" % name)
    if not problems:
        print("inventory: %d KUnit suites, %d cases, as tests/expected lists"
              % (len(ran), sum(ran.values())))
    return problems


def check_scenario(name, log):
    _, expected = inventory()
    if name not in expected:
        return ["scenario %s is not in tests/expected" % name]
    checks, ended = 0, False
    for line in lines(log):
        if line.startswith("novamm-check: "):
            checks += 1
        elif line == "novamm-scenario: end %s" % name:
            ended = True
    problems = []
    if not ended:
        problems.append("scenario %s stopped before its end (after %d checks)" % (name, checks))
    if checks != expected[name]:
        problems.append("scenario %s printed %d checks, tests/expected lists %d"
                        % (name, checks, expected[name]))
    if not problems:
        print("inventory: scenario %s ran its %d checks to the end" % (name, checks))
    return problems


def main(argv):
    log = argv[-1] if argv[1:2] in (["kunit"], ["scenario"]) else None
    if log is not None and not os.path.isfile(log):
        print("inventory: FAIL: no log %s: nothing ran" % log)
        return 1
    if argv[1:2] == ["kunit"] and len(argv) == 3:
        problems = check_kunit(argv[2])
    elif argv[1:2] == ["scenario"] and len(argv) == 4:
        problems = check_scenario(argv[2], argv[3])
    elif argv[1:2] == ["counts"] and len(argv) == 3:
        print("%d %d %d" % tuple(kunit_counts(argv[2])))
        return 0
    elif argv[1:] == ["suites"]:
        print(len(inventory()[0]))
        return 0
    else:
        sys.exit(__doc__)
    for p in problems:
        print("inventory: FAIL: " + p)
    return min(len(problems), 100)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
