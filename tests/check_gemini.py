"""check_gemini: gemini_usage against independent computations:
- the gen-corpus tree (tests/out/corpus, seed 25): per (UTC day, model) and per session,
  responses, input, output, cache read and reasoning equal the generator's expected.json;
- the real legacy whole-file chat (tests/fixtures/real/gemini, the projectHash directory):
  a plain json.load of the file with spec 3.5's mapping gives the same per-message rows."""
import glob
import json
import os
from lumo_sql import ROOT, Checker, query

c = Checker()
exp = json.load(open(os.path.join(ROOT, "tests", "out", "corpus", "expected.json")))
root = "tests/out/corpus/gemini"
got = {(r["day"], r["model"]): [r["n"], r["i"], r["o"], r["cr"], r["r"]] for r in query(
    "SELECT substr(timestamp, 1, 10) day, model, count(*) n, sum(input_tokens) i, sum(output_tokens) o,"
    " sum(cache_read_tokens) cr, sum(reasoning_tokens) r FROM gemini_usage('%s') GROUP BY 1, 2" % root)}
want = {(d["date"], d["model"]): [d["messages"], d["input"], d["output"], d["cache_read"], d["reasoning"]]
        for d in exp["daily"] if d["agent"] == "gemini"}
c.eq("corpus: set of (day, model)", sorted(want), sorted(got))
for k in sorted(want):
    c.eq("corpus %s %s [responses, input, output, cache_read, reasoning]" % k, want[k], got.get(k))
sess = {r["s"]: [r["n"], r["o"]] for r in query(
    "SELECT session_id s, count(*) n, sum(output_tokens) o FROM gemini_usage('%s') GROUP BY 1" % root)}
for s in exp["sessions"]:
    if s["agent"] == "gemini":
        c.eq("corpus session %s [responses, output]" % s["session_id"], [s["messages"], s["output"]], sess.get(s["session_id"]))

legacy = glob.glob(os.path.join(ROOT, "tests/fixtures/real/gemini/tmp/ab14*/chats/*.json"))[0]
doc = json.load(open(legacy))
mine = []
for m in doc["messages"]:
    t = m.get("tokens")
    if m.get("type") != "gemini" or not isinstance(t, dict):
        continue
    row = [m["id"], t.get("input", 0) - t.get("cached", 0) + t.get("tool", 0), t.get("output", 0) + t.get("thoughts", 0),
           t.get("cached", 0)]
    if row[1] + row[2] + row[3]:
        mine.append(row)
lumo = [[r["message_id"], r["input_tokens"], r["output_tokens"], r["cache_read_tokens"]] for r in query(
    "SELECT message_id, input_tokens, output_tokens, cache_read_tokens FROM gemini_usage('tests/fixtures/real/gemini')"
    " WHERE session_id = '%s' ORDER BY line, rowid" % doc["sessionId"])]
c.eq("legacy JSON chat: per-message rows = json.load of the file", sorted(mine), sorted(lumo))

# Sync: the same corpus through lumo_sync(NULL, gemini_root) into a database: the daily
# view (agent gemini) equals expected.json; a second sync reads nothing; a re-appended
# message line (tokens grown) replaces its row instead of adding one.
import shutil
import subprocess
from lumo_sql import fresh_db

out = os.path.join(ROOT, "tests", "out", "gemini")
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(os.path.join(ROOT, root), os.path.join(out, "gemini"))
db = os.path.join(out, "lumo.db")
fresh_db(db)
first = json.loads(query("SELECT lumo_sync(NULL, '%s/gemini') AS s" % out, db=db)[0]["s"])
daily = {(r["day"], r["model"]): [r["requests"], r["input_tokens"], r["output_tokens"], r["cache_read_tokens"]]
         for r in query("SELECT * FROM daily WHERE agent = 'gemini'", db=db)}
c.eq("sync: daily view of gemini = expected.json",
     {k: v[:4] for k, v in want.items()}, daily)
again = json.loads(query("SELECT lumo_sync(NULL, '%s/gemini') AS s" % out, db=db)[0]["s"])
c.eq("sync: a second sync reads nothing", [0, 0], [again["files_read"], again["usage_rows_written"]])
chat = os.path.join(out, "gemini", "tmp", "app", "chats")
os.makedirs(chat)
f = os.path.join(chat, "session-2026-05-01T10-00-aaaa0001.jsonl")
meta = '{"sessionId":"aaaa0001-x","projectHash":"h","startTime":"2026-05-01T10:00:00Z"}\n'
msg = '{"id":"r1","timestamp":"2026-05-01T10:00:05Z","type":"gemini","model":"gemini-2.5-pro","tokens":%s}\n'
open(f, "w").write(meta + msg % "null")
query("SELECT lumo_sync(NULL, '%s/gemini')" % out, db=db)
c.eq("sync: tokens still null, no row", 0, query("SELECT count(*) n FROM usage WHERE session_id = 'aaaa0001-x'", db=db)[0]["n"])
open(f, "a").write(msg % '{"input":1000,"output":10,"cached":400,"thoughts":5,"tool":2,"total":1017}')
query("SELECT lumo_sync(NULL, '%s/gemini')" % out, db=db)
c.eq("sync: the re-appended message counts once with its tokens (1000-400+2 = 602 in, 15 out)",
     [1, 602, 15, 400], list(query("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o,"
                                  " sum(cache_read_tokens) cr FROM usage WHERE session_id = 'aaaa0001-x'", db=db)[0].values()))
c.done()
