"""check_streaming_runs: lumo_sync writes a streamed Claude response once (issue 22: the
best copy of a run of one key is upserted when the run ends) and keeps the rows the
copy-by-copy rule keeps. Expected rows are written by hand from the lines below:
- m1, request r1, three copies with output 5, 30, 20: one row, output 30 (the largest);
- m2 with two request ids (r2a twice, then r2b): two rows, each key's largest;
- m3, two equal copies: one row, the first line's;
- an append that continues m3's run with a larger copy replaces the row, and the rollups
  (usage_buckets, session_totals) equal the sums of the usage rows after each sync."""
import json
import os
import shutil
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "streaming_runs")
shutil.rmtree(OUT, ignore_errors=True)
F = os.path.join(OUT, "claude", "projects", "-home-u-s", "s.jsonl")
os.makedirs(os.path.dirname(F))
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "runs"
n = [0]


def line(mid, rid, out):
    n[0] += 1
    return json.dumps({"type": "assistant", "sessionId": "s", "cwd": "/home/u/s", "uuid": "u%d" % n[0],
                       "requestId": rid, "timestamp": "2026-11-04T09:00:%02d.000Z" % n[0],
                       "message": {"id": mid, "model": "claude-sonnet-4-5", "role": "assistant",
                                   "usage": {"input_tokens": 100, "output_tokens": out}}}) + "\n"


with open(F, "w") as f:
    f.write(line("m1", "r1", 5) + line("m1", "r1", 30) + line("m1", "r1", 20) +
            line("m2", "r2a", 7) + line("m2", "r2a", 9) + line("m2", "r2b", 4) +
            line("m3", "r3", 11) + line("m3", "r3", 11))


def rows():
    return sorted((r["message_id"], r["request_id"], r["output_tokens"], r["line"]) for r in query(
        "SELECT message_id, request_id, output_tokens, line FROM usage", db=DB))


def rollups_agree():
    return query("SELECT (SELECT sum(output_tokens) FROM usage_buckets) = (SELECT sum(output_tokens) FROM usage)"
                 " AND (SELECT sum(requests) FROM session_totals) = (SELECT count(*) FROM usage)"
                 " AND (SELECT sum(total_tokens) FROM session_totals) ="
                 " (SELECT sum(input_tokens + output_tokens) FROM usage) AS ok", db=DB)[0]["ok"]


def sync():
    query("SELECT lumo_sync('%s', '', '', '', '')" % os.path.join(OUT, "claude"), db=DB)


sync()
c.eq("one row per key, the largest copy (the first of equals)",
     [("m1", "r1", 30, 2), ("m2", "r2a", 9, 5), ("m2", "r2b", 4, 6), ("m3", "r3", 11, 7)], rows())
c.eq("rollups equal the usage rows", 1, rollups_agree())
with open(F, "a") as f:
    f.write(line("m3", "r3", 40))
sync()
c.eq("an appended larger copy of the last run replaces its row",
     [("m1", "r1", 30, 2), ("m2", "r2a", 9, 5), ("m2", "r2b", 4, 6), ("m3", "r3", 40, 9)], rows())
c.eq("rollups equal the usage rows after the append", 1, rollups_agree())
c.done()
