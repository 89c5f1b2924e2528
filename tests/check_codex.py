"""check_codex: codex_usage on the gen-corpus tree (tests/out/corpus, seed 25) equals the
generator's expected.json per (UTC day, model) and per session: responses, input (without
cached), output (reasoning inside), cache read and reasoning. The corpus has re-emitted
unchanged totals and info:null events (expected.json counts both as not billed)."""
import json
import os
from lumo_sql import ROOT, Checker, query

c = Checker()
exp = json.load(open(os.path.join(ROOT, "tests", "out", "corpus", "expected.json")))
root = "tests/out/corpus/codex"
got = {(r["day"], r["model"]): [r["n"], r["i"], r["o"], r["cr"], r["r"]] for r in query(
    "SELECT substr(timestamp, 1, 10) day, model, count(*) n, sum(input_tokens) i, sum(output_tokens) o,"
    " sum(cache_read_tokens) cr, sum(reasoning_tokens) r FROM codex_usage('%s') GROUP BY 1, 2" % root)}
want = {(d["date"], d["model"]): [d["messages"], d["input"], d["output"], d["cache_read"], d["reasoning"]]
        for d in exp["daily"] if d["agent"] == "codex"}
c.eq("set of (day, model)", sorted(want), sorted(got))
for k in sorted(want):
    c.eq("%s %s [responses, input, output, cache_read, reasoning]" % k, want[k], got.get(k))
sess = {r["s"]: [r["n"], r["i"], r["o"]] for r in query(
    "SELECT session_id s, count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM codex_usage('%s') GROUP BY 1" % root)}
for s in exp["sessions"]:
    if s["agent"] == "codex":
        c.eq("session %s [responses, input, output]" % s["session_id"], [s["messages"], s["input"], s["output"]],
             sess.get(s["session_id"]))
c.done()
