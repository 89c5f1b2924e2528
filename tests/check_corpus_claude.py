"""check_corpus_claude: claude_usage over the gen-corpus tree (seed 25, shipped as
tests/fixtures/corpus-s25.tar.gz, unpacked by tests/run.sh) equals the generator's
ground truth expected.json exactly: per (UTC day, model) and per session, every token
bucket and the number of billed responses. The tree holds streaming duplicates,
subagent sidechains, a /btw replay, Task results with usage summaries, a garbage line
and a torn last line; the damaged lines must appear in lumo_diagnostics."""
import json
import os
from lumo_sql import ROOT, Checker, query

corpus = os.path.join(ROOT, "tests", "out", "corpus")
exp = json.load(open(os.path.join(corpus, "expected.json")))
c = Checker()
root = os.path.relpath(os.path.join(corpus, "claude"), ROOT)
got = {(r["day"], r["model"]): r for r in query(
    "SELECT substr(timestamp,1,10) day, model, count(*) messages, sum(input_tokens) input,"
    " sum(output_tokens) output, sum(cache_read_tokens) cache_read,"
    " sum(cache_write_5m_tokens) c5, sum(cache_write_1h_tokens) c1"
    " FROM claude_usage('%s') GROUP BY 1, 2" % root)}
want = {(r["date"], r["model"]): r for r in exp["daily"] if r["agent"] == "claude"}
c.eq("set of (day, model)", sorted(want), sorted(got))
for k in sorted(set(want) & set(got)):
    w, g = want[k], got[k]
    for wf, gf in (("messages", "messages"), ("input", "input"), ("output", "output"),
                   ("cache_read", "cache_read"), ("cache_creation_5m", "c5"),
                   ("cache_creation_1h", "c1")):
        c.eq("%s %s %s" % (k[0], k[1], wf), w[wf], g[gf])
sess = {r["session_id"]: r for r in query(
    "SELECT session_id, count(*) messages, sum(input_tokens) input, sum(output_tokens) output,"
    " sum(cache_read_tokens) cache_read, sum(cache_write_5m_tokens + cache_write_1h_tokens) cc"
    " FROM claude_usage('%s') GROUP BY 1" % root)}
for s in exp["sessions"]:
    if s["agent"] != "claude":
        continue
    g = sess.get(s["session_id"], {})
    for wf, gf in (("messages", "messages"), ("input", "input"), ("output", "output"),
                   ("cache_read", "cache_read"), ("cache_creation", "cc")):
        c.eq("session %s %s" % (s["session_id"], wf), s[wf], g.get(gf))
kinds = query("SELECT kind, count(*) n FROM lumo_diagnostics WHERE source='claude_usage' GROUP BY 1",
              before="SELECT count(*) FROM claude_usage('%s')" % root)
kinds = {r["kind"]: r["n"] for r in kinds}
counts = exp["counts"]["claude"]
c.eq("torn lines in diagnostics", counts.get("torn_last_lines", 0), kinds.get("torn", 0))
c.eq("garbage/merged lines in diagnostics",
     counts.get("garbage_lines", 0) + counts.get("merged_lines", 0), kinds.get("malformed", 0))
# The same answer on 1, 2 and 3 reader threads (the winner rule ignores arrival order).
totals_sql = ("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr,"
              " sum(cache_write_5m_tokens) w5, sum(cache_write_1h_tokens) w1, total(cost_usd) usd,"
              " group_concat(message_id || ':' || line, ',') keys FROM claude_usage('%s')" % root)
one = None
for threads in ("1", "2", "3"):
    os.environ["LUMO_THREADS"] = threads
    r = query(totals_sql)[0]
    one = one or r
    c.eq("totals and kept copies with %s threads" % threads, one, r)
del os.environ["LUMO_THREADS"]
t = exp["totals"]["claude"]
c.eq("total responses", t["messages"], one["n"])
c.eq("total output", t["output"], one["o"])
# A flood of bad lines: 4 files x 3,001 malformed lines that mention usage (so claude_usage
# parses them). 10,000 diagnostics are kept and a last row counts the other 2,004, on one
# thread and on three (whose own lists are merged).
flood = os.path.join(ROOT, "tests", "out", "flood", "projects", "-home-u-flood")
os.makedirs(flood, exist_ok=True)
for k in range(4):
    with open(os.path.join(flood, "s%d.jsonl" % k), "w") as fh:
        fh.write('{"type":"assistant","message":{"usage":{"input_tokens":1\n' * 3001)
for threads in ("1", "3"):
    os.environ["LUMO_THREADS"] = threads
    rows = query("SELECT kind, count(*) AS n, max(detail) AS detail FROM lumo_diagnostics"
                 " WHERE source = 'claude_usage' GROUP BY kind ORDER BY kind",
                 before="SELECT count(*) FROM claude_usage('%s')" % os.path.dirname(os.path.dirname(flood)))
    c.eq("flood of 12,004 bad lines, %s thread(s): 10,000 kept, a last row counts 2,004 more" % threads,
         [["dropped", 1, "2004 more diagnostics not kept (at most 10000 are)"], ["malformed", 10000]],
         [[r["kind"], r["n"], r["detail"]] if r["kind"] == "dropped" else [r["kind"], r["n"]] for r in rows])
del os.environ["LUMO_THREADS"]
c.done()
