"""check_fuzz_hours: the README's fuzzing table says what tests/fuzz/hours.tsv records.

tests/fuzz/run.sh appends one line per fuzz run to hours.tsv (CPU seconds, inputs run,
findings); the README (section Reliability) sums them per target. This check sums the
file again and compares, so the published hours cannot drift from the runs recorded, and
every fuzz target (fuzz_sql.c's list, and the scanner) has a row.
  python3 tests/check_fuzz_hours.py --write   rewrites the table from hours.tsv
"""
import os
import re
import sys
from lumo_sql import ROOT, Checker

TSV = os.path.join(ROOT, "tests", "fuzz", "hours.tsv")
README = os.path.join(ROOT, "README.md")
BEGIN, END = "<!-- fuzz-hours: begin (tests/check_fuzz_hours.py --write) -->", "<!-- fuzz-hours: end -->"

runs = {}
with open(TSV, encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        row = dict(zip(header, line.rstrip("\n").split("\t")))
        t = runs.setdefault(row["target"], [0, 0, 0, 0])
        t[0] += int(row["cpu_seconds"])
        t[1] += 1
        t[2] += int(row["execs"])
        t[3] += int(row["findings"])

src = open(os.path.join(ROOT, "tests", "fuzz", "fuzz_sql.c"), encoding="utf-8").read()
targets = re.findall(r'"(\w+)"', src[src.index("target_names[] = {"):src.index("NULL};")]) + ["scanner"]


def table():
    out = ["| target | CPU time | runs | inputs | findings |", "|---|--:|--:|--:|--:|"]
    for t in targets:
        cpu, n, execs, found = runs.get(t, [0, 0, 0, 0])
        out.append("| `%s` | %d min %02d s | %d | %s | %d |" % (t, cpu // 60, cpu % 60, n, format(execs, ","), found))
    total = sum(r[0] for r in runs.values())
    out.append("| all | %d min %02d s | %d | %s | %d |" % (total // 60, total % 60, sum(r[1] for r in runs.values()),
                                                         format(sum(r[2] for r in runs.values()), ","),
                                                         sum(r[3] for r in runs.values())))
    return "\n".join(out)


text = open(README, encoding="utf-8").read()
if sys.argv[1:] == ["--write"]:
    a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
    with open(README, "w", encoding="utf-8") as f:
        f.write(text[:a] + "\n" + table() + "\n" + text[b:])
    raise SystemExit(0)

c = Checker()
c.eq("every target recorded in hours.tsv is a fuzz target", [], sorted(set(runs) - set(targets)))
c.eq("the README's fuzz table is hours.tsv summed per target", table(),
     text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip() if BEGIN in text and END in text else None)
c.done()
