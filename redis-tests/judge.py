#!/usr/bin/python3
"""Judges upstream Redis Tcl test logs against redis-tests/expectations.txt.

Called by redis-tests/run.sh with one runtest log per unit (plus a .status
file next to each). Modes:
  check     compare with the expectations; exit 1 on any failure
  update    rewrite the expectations from these results, then check
  baseline  record the tests real Redis passes in the baseline file
  skiplist  print the names of one unit's skip entries (for --skipfile)

expectations.txt: "[unit/name]" section headers, then one line per test:
  pass<TAB>test name
  known-failure <reason><TAB>test name    runs, expected to fail
  skip <reason><TAB>test name             not run (runtest --skipfile): for a
                                          test whose error would abort the unit
A reason that is empty or starts with TODO does not excuse a failure. Both
known-failure and skip entries count against the known-failure budget.
The baseline file: section headers, then one test name per line.
"""
import argparse
import os
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
OK = re.compile(r"^\[ok\]: (.*) \(\d+ ms\)$")
ERR = re.compile(r"^\[err\]: (.*) in tests/\S+\.tcl$")
EVENT = re.compile(r"^(\[(ok|err|ignore|skip|exception|TIMEOUT|\d+/\d+ done)\]|Testing |\s*The End$)")
TEST_IN_TRACE = re.compile(r'^"test ([{"])(.*)$')
BUDGET = 5.0


class UnitRun:
    def __init__(self, unit):
        self.unit = unit
        self.results = []  # (name, "ok"|"err", detail) in run order
        self.ignored = 0
        self.skipped = 0
        self.done = False
        self.abort = None  # reason the unit stopped early
        self.abort_test = None  # test that was running when it stopped
        self.seconds = 0

    def status_of(self):
        return {n: s for n, s, _ in self.results}

    def detail_of(self):
        return {n: d for n, _, d in self.results}


def trace_test_name(line):
    """Test name from an errorInfo line like: "test {SET and GET} {"."""
    m = TEST_IN_TRACE.match(line)
    if not m:
        return None
    close = "}" if m.group(1) == "{" else '"'
    rest = m.group(2)
    end = rest.find(close)
    return rest[:end] if end >= 0 else rest


def parse_log(path):
    status = {}
    spath = path[:-4] + ".status"
    if os.path.exists(spath):
        for line in open(spath, encoding="utf-8", errors="replace"):
            k, _, v = line.rstrip("\n").partition("=")
            status[k] = v
    run = UnitRun(status.get("unit", os.path.basename(path)))
    run.seconds = int(status.get("seconds", "0") or 0)
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ANSI.sub("", l.rstrip("\n")) for l in f]
    seen = {}

    def unique(name):
        seen[name] = seen.get(name, 0) + 1
        return name if seen[name] == 1 else f"{name} (#{seen[name]})"

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = OK.match(line)
        if m:
            run.results.append((unique(m.group(1)), "ok", ""))
            continue
        m = ERR.match(line)
        if m:
            detail = []
            while i < len(lines) and not EVENT.match(lines[i]):
                if lines[i].strip():
                    detail.append(lines[i].strip())
                i += 1
            # With --durable a raised error's text loses its first 10 characters
            # (upstream quirk); the errorInfo line after it has the full text.
            if len(detail) > 1 and detail[1].endswith(detail[0]):
                detail = detail[1:]
            run.results.append((unique(m.group(1)), "err", detail[0] if detail else ""))
            continue
        if line.startswith("[ignore]:"):
            run.ignored += 1
        elif line.startswith("[skip]:"):
            run.skipped += 1
        elif line.startswith("[exception]:"):
            msg = line[len("[exception]:"):].strip()
            msg = msg.removeprefix("Executing test client: ").rstrip(".")
            run.abort = f"exception: {msg}"
            for rest in lines[i:]:
                name = trace_test_name(rest)
                if name:
                    run.abort_test = name
                    break
        elif line.startswith("[TIMEOUT]:"):
            run.abort = "runtest timeout (no progress)"
            for rest in lines[i:]:
                m = re.search(r"=> \(IN PROGRESS\) (.*)$", rest)
                if m:
                    run.abort_test = m.group(1)
                    break
        elif re.match(r"^\[\d+/\d+ done\]: ", line):
            run.done = True
    rc = status.get("rc", "")
    if rc in ("124", "137"):
        run.abort = f"killed after the {status.get('timeout', '?')} s unit timeout"
        run.done = False
    if status.get("crashed") == "1":
        run.abort = "server died during the unit" + (f" ({run.abort})" if run.abort else "")
        run.done = False
    if not run.done and not run.abort:
        tail = [l for l in lines if l.strip()][-1:] or ["(empty log)"]
        run.abort = f"runtest stopped early (rc={rc}): {tail[0][:200]}"
    if status.get("note"):
        run.note = status["note"]
    return run


def read_sections(path, with_status):
    """{unit: [(name, status)]} for expectations, {unit: [name]} for the baseline."""
    sections = {}
    if not os.path.exists(path):
        return sections
    cur = None
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r"^\[(\S+)\]$", line)
        if m:
            cur = sections.setdefault(m.group(1), [])
            continue
        if cur is None:
            sys.exit(f"{path}:{n}: entry before any [unit] header")
        if not with_status:
            cur.append(line)
            continue
        status, tab, name = line.partition("\t")
        if not tab or kind_of(status) is None:
            sys.exit(f"{path}:{n}: expected 'pass<TAB>name', 'known-failure <reason><TAB>name'"
                     " or 'skip <reason><TAB>name'")
        cur.append((name, status))
    return sections


def kind_of(status):
    if status == "pass":
        return "pass"
    for kind in ("known-failure", "skip"):
        if status == kind or status.startswith(kind + " "):
            return kind
    return None


def reason_of(status):
    """The reason of a known-failure or skip entry; None for pass."""
    kind = kind_of(status)
    return status[len(kind):].strip() if kind in ("known-failure", "skip") else None


def is_todo(reason):
    return reason is not None and (reason == "" or reason.upper().startswith("TODO"))


def merged_names(run_names, base_names):
    """Run order, with baseline-only names slotted after their baseline predecessor."""
    out = list(run_names)
    have = set(out)
    prev = None
    for name in base_names:
        if name not in have:
            pos = out.index(prev) + 1 if prev in have else 0
            out.insert(pos, name)
            have.add(name)
        prev = name
    return out


def shown(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def write_sections(path, header, sections, order, fmt):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for unit in order:
            f.write(f"\n[{unit}]\n")
            for entry in sections[unit]:
                f.write(fmt(entry) + "\n")


EXPECT_HEADER = """\
# Expected results of the upstream Redis 7.0 Tcl units against ordis.
# Regenerate with: redis-tests/run.sh --update  (keeps existing reasons).
# One line per test:
#   pass<TAB>name
#   known-failure <reason><TAB>name   runs and fails (an assertion fails)
#   skip <reason><TAB>name            not run, because its error would abort
#                                     the whole unit (e.g. DEBUG LOADAOF)
# A reason is required: "TODO" makes redis-tests fail. Known failures and
# skips together must stay within 5% of the baseline tests.
"""

BASELINE_HEADER = """\
# Tests real redis-server 7.0.15 passes under redis-tests/run.sh (same units,
# same tag exclusions). Regenerate with: redis-tests/run.sh --server redis
"""


def update_expectations(runs, expect_path, base):
    old = read_sections(expect_path, True)
    order = list(old.keys())
    new = dict(old)
    for run in runs:
        old_status = dict(old.get(run.unit, []))
        got = run.status_of()
        names = merged_names([n for n, _, _ in run.results], base.get(run.unit, []))
        entries = []
        for name in names:
            if kind_of(old_status.get(name, "")) == "skip":
                entries.append((name, old_status[name]))  # only people add or drop skips
                continue
            prev = reason_of(old_status.get(name, ""))
            if is_todo(prev):
                prev = None  # TODO notes are regenerated, only real reasons are kept
            if got.get(name) == "ok":
                entries.append((name, "pass"))
            elif got.get(name) == "err":
                entries.append((name, f"known-failure {prev or 'TODO'}"))
            else:
                why = "not run" + (": unit aborted" if run.abort else "")
                entries.append((name, f"known-failure {prev or 'TODO ' + why}"))
        new[run.unit] = entries
        if run.unit not in order:
            order.append(run.unit)
    write_sections(expect_path, EXPECT_HEADER, new, order, lambda e: f"{e[1]}\t{e[0]}")
    todo = sum(1 for u in new.values() for _, s in u if is_todo(reason_of(s)))
    print(f"expectations: wrote {shown(expect_path)}"
          f" ({todo} known failures still need a reason)")


def write_baseline(runs, base_path):
    old = read_sections(base_path, False)
    order = list(old.keys())
    failed = 0
    for run in runs:
        old[run.unit] = [n for n, s, _ in run.results if s == "ok"]
        if run.unit not in order:
            order.append(run.unit)
        errs = [(n, d) for n, s, d in run.results if s == "err"]
        failed += len(errs) + (1 if run.abort else 0)
        line = f"== {run.unit}: {len(old[run.unit])} passed, {len(errs)} failed, " \
               f"{run.ignored} ignored ({run.seconds} s)"
        print(line + (f" ABORTED: {run.abort}" if run.abort else ""))
        for n, d in errs:
            print(f"   real redis FAILS: {n}: {d}")
    write_sections(base_path, BASELINE_HEADER, old, order, lambda n: n)
    passed = sum(len(old[r.unit]) for r in runs)
    print(f"baseline: wrote {shown(base_path)}")
    print(f"SUITE-RESULT redis-tests-baseline {passed} {failed}")
    return failed == 0


def check(runs, expect_path, base):
    expect = read_sections(expect_path, True)
    passed = failed = known = 0
    for run in runs:
        got = run.status_of()
        detail = run.detail_of()
        exp = dict(expect.get(run.unit, []))
        names = merged_names([n for n, _, _ in run.results],
                             [n for n, _ in expect.get(run.unit, [])])
        names = merged_names(names, base.get(run.unit, []))
        lines = []
        u_pass = u_fail = u_known = u_skip = 0
        not_run = []
        for name in names:
            status = exp.get(name, "pass")  # baseline tests default to pass
            reason = reason_of(status)
            result = got.get(name)
            why = detail.get(name, "")
            if result is None and name == run.abort_test:
                why = "not run: the unit aborted in this test"
            elif result is None:
                why = "not run"
            if result == "ok":
                u_pass += 1
                if reason is not None:
                    lines.append(f"   FIXED   {name}  (known failure now passes: make it 'pass')")
                elif name not in exp and run.unit in expect:
                    lines.append(f"   NEW     {name}  (passes; not in expectations yet)")
            elif reason is not None and not is_todo(reason):
                u_known += 1
                u_skip += kind_of(status) == "skip" and result is None
            else:
                u_fail += 1
                if why == "not run":
                    not_run.append(name)
                    continue
                tag = "FAIL   " if reason is None else "TODO   "
                lines.append(f"   {tag} {name}: {why[:160]}")
        if not_run:
            shown = "; ".join(not_run[:3]) + ("; ..." if len(not_run) > 3 else "")
            lines.append(f"   NOT RUN {len(not_run)} tests not excused by a known failure: {shown}")
        if run.abort:
            u_fail += 1
            if run.abort_test:
                where = f" in test '{run.abort_test}'"
            elif run.results:
                where = f" after test '{run.results[-1][0]}'"
            else:
                where = " before its first test"
            lines.insert(0, f"   ABORTED{where}: {run.abort[:300]}")
        if run.unit not in expect:
            lines.insert(0, "   (no expectations for this unit: run redis-tests/run.sh --update)")
        note = getattr(run, "note", "")
        skipped = f" ({u_skip} skipped)" if u_skip else ""
        print(f"== {run.unit}: {u_pass} passed, {u_fail} failed, {u_known} known failures{skipped}, "
              f"{run.ignored} ignored ({run.seconds} s){' [' + note + ']' if note else ''}")
        for l in lines:
            print(l)
        passed += u_pass
        failed += u_fail
        known += u_known
    total_base = sum(len(v) for v in base.values())
    if total_base:
        k = sum(1 for unit, entries in expect.items() for name, s in entries
                if reason_of(s) is not None and name in set(base.get(unit, [])))
        pct = 100.0 * k / total_base
        over = f"  OVER the {BUDGET:.0f}% budget" if pct > BUDGET else ""
        print(f"known failures: {k} of {total_base} baseline tests ({pct:.1f}%){over}")
    else:
        print("known failures: no baseline (run redis-tests/run.sh --server redis)")
    print(f"known failures that failed as expected: {known}")
    print(f"SUITE-RESULT redis-tests {passed} {failed}")
    return failed == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["check", "update", "baseline", "skiplist"], default="check")
    ap.add_argument("--unit", default="")
    ap.add_argument("--expectations", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--server-log", default="")
    ap.add_argument("logs", nargs="*")
    a = ap.parse_args()
    if a.mode == "skiplist":
        for name, status in read_sections(a.expectations, True).get(a.unit, []):
            if kind_of(status) == "skip":
                print(re.sub(r" \(#\d+\)$", "", name))  # runtest matches the plain name
        return 0
    runs = [parse_log(p) for p in a.logs]
    if a.mode == "baseline":
        return 0 if write_baseline(runs, a.baseline) else 1
    base = read_sections(a.baseline, False)
    if a.mode == "update":
        update_expectations(runs, a.expectations, base)
    ok = check(runs, a.expectations, base)
    if any(r.abort and "server died" in r.abort for r in runs) and a.server_log:
        print(f"server log: {a.server_log}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
