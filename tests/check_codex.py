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

# lumo_sync(NULL, NULL, codex_home): the same totals in the database; a second sync reads
# nothing; after an appended event the changed rollout is read again without counting
# its earlier events twice.
import shutil
from lumo_sql import fresh_db

out = os.path.join(ROOT, "tests", "out", "codex")
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(os.path.join(ROOT, root), os.path.join(out, "codex"))
db = os.path.join(out, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, NULL, '%s/codex')" % out, db=db)
t = exp["totals"]["codex"]
tot = query("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM usage WHERE agent = 'codex'", db=db)[0]
c.eq("sync: codex totals = expected.json", [t["messages"], t["input"], t["output"]], [tot["n"], tot["i"], tot["o"]])
again = json.loads(query("SELECT lumo_sync(NULL, NULL, '%s/codex') AS s" % out, db=db)[0]["s"])
c.eq("sync: a second sync reads nothing", 0, again["files_read"])
import glob
f = sorted(glob.glob(os.path.join(out, "codex", "sessions", "**", "*.jsonl"), recursive=True))[0]
big = 10 ** 9
open(f, "a").write('{"timestamp":"2026-05-01T00:00:00.000Z","type":"event_msg","payload":{"type":"token_count","info":'
                   '{"total_token_usage":{"input_tokens":%d,"cached_input_tokens":0,"output_tokens":%d},'
                   '"last_token_usage":{"input_tokens":1000,"cached_input_tokens":100,"output_tokens":10}}}}\n' % (big, big))
query("SELECT lumo_sync(NULL, NULL, '%s/codex')" % out, db=db)
tot = query("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM usage WHERE agent = 'codex'", db=db)[0]
c.eq("sync: one appended event adds one row (900 in, 10 out)", [t["messages"] + 1, t["input"] + 900, t["output"] + 10],
     [tot["n"], tot["i"], tot["o"]])
# Spec 2.4.5 rule a (tests/fixtures/traps/README.md, worked by hand): a fork whose parent
# rollout is among the files bills only its own turn; alone, rules b and c decide.
traps = "tests/fixtures/traps/codex"
rows = query("SELECT session_id s, count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr"
             " FROM codex_usage('%s') GROUP BY 1 ORDER BY 1" % traps)
c.eq("rule a: parent 3 requests (2500/450/1500), fork only its own turn (200/150/1000)",
     [["019a1111-0000-7000-8000-000000000001", 3, 2500, 450, 1500], ["019a2222-0000-7000-8000-000000000002", 1, 200, 150, 1000]],
     [[r["s"], r["n"], r["i"], r["o"], r["cr"]] for r in rows])
alone = os.path.join(ROOT, "tests", "out", "codex", "fork-alone", "sessions")
os.makedirs(alone, exist_ok=True)
shutil.copy(os.path.join(ROOT, traps, "sessions", "2026", "07", "01",
                         "rollout-2026-07-01T10-30-00-019a2222-0000-7000-8000-000000000002.jsonl"), alone)
c.eq("the fork alone: rules b and c count lines 6, 7 and 9", [6, 7, 9],
     [r["line"] for r in query("SELECT line FROM codex_usage('%s') ORDER BY line" % os.path.dirname(alone))])
db2 = os.path.join(out, "fork.db")
fresh_db(db2)
query("SELECT lumo_sync(NULL, NULL, '%s')" % traps, db=db2)
c.eq("rule a in lumo_sync: the same requests", [[3, 2500], [1, 200]],
     [[r["n"], r["i"]] for r in query("SELECT count(*) n, sum(input_tokens) i FROM usage GROUP BY session_id ORDER BY session_id", db=db2)])
# Compressed rollouts (.jsonl.zst, Codex 0.137+, spec 2.1): the real 2025-09 rollout
# compressed with the zstd tool reads like the plain file; a plain twin of the same thread
# (resumed) is read once, the newer file; a corrupt .zst gives a diagnostic, not a crash;
# lumo_sync imports the compressed file.
import subprocess
zx = os.path.join(out, "zst")
for d in ("sessions", "archived_sessions"):
    os.makedirs(os.path.join(zx, d), exist_ok=True)
real = "sessions/2025/09/19/rollout-2025-09-19T17-02-12-01996135-afde-7911-97f0-d863511eca56.jsonl"
zfile = os.path.join(zx, "archived_sessions", os.path.basename(real) + ".zst")
subprocess.run(["zstd", "-q", "-f", os.path.join(ROOT, "tests/fixtures/real/codex", real), "-o", zfile], check=True)
plain = query("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM codex_usage('tests/fixtures/real/codex')"
              " WHERE file = '%s'" % real)[0]
packed = query("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM codex_usage('%s')" % zx)[0]
c.eq("a .jsonl.zst rollout reads like the plain file (19 requests)", [plain["n"], plain["i"], plain["o"], 19],
     [packed["n"], packed["i"], packed["o"], packed["n"]])
twin = os.path.join(zx, "sessions", os.path.basename(real))
shutil.copy(os.path.join(ROOT, "tests/fixtures/real/codex", real), twin)
os.utime(zfile, (1, 1))  # the plain copy is newer
r = query("SELECT count(*) n, group_concat(DISTINCT file) f FROM codex_usage('%s')" % zx)[0]
c.eq("plain and compressed copies of one thread: read once, the newer", [19, "sessions/" + os.path.basename(real)],
     [r["n"], r["f"]])
os.unlink(twin)
bad = os.path.join(zx, "archived_sessions", "rollout-2026-01-01T00-00-00-0000bad0-0000-7000-8000-000000000000.jsonl.zst")
with open(zfile, "rb") as src, open(bad, "wb") as dst:
    blob = src.read()
    dst.write(blob[:len(blob) // 2] + bytes(64) + blob[len(blob) // 2:])
d = query("SELECT kind, detail FROM lumo_diagnostics", before="SELECT count(*) FROM codex_usage('%s')" % zx)
c.eq("a corrupt .zst: a read-error diagnostic", [["unreadable", "read error (corrupt compressed data?)"]],
     [[x["kind"], x["detail"]] for x in d])
os.unlink(bad)
db3 = os.path.join(out, "zst.db")
fresh_db(db3)
query("SELECT lumo_sync(NULL, NULL, '%s')" % zx, db=db3)
c.eq("lumo_sync reads the .zst rollout", [19, plain["i"]],
     list(query("SELECT count(*) n, sum(input_tokens) i FROM usage", db=db3)[0].values()))
# Built without libzstd (the optional dependency absent): the file is reported, not read.
os.makedirs(os.path.join(out, "nozstd"), exist_ok=True)
nozstd = os.path.join(out, "nozstd", "lumo")  # lumo.so: the name gives the entry point
b = subprocess.run("cc -O0 -std=c11 -D_GNU_SOURCE -fPIC -Idist -shared -o %s.so ext/*.c -lz -lm -lpthread" % nozstd,
                   shell=True, cwd=ROOT, capture_output=True, text=True)
c.eq("a build without libzstd compiles", 0, b.returncode)
r = subprocess.run(["sqlite3", "-cmd", ".load " + nozstd, ":memory:",
                    "SELECT count(*) FROM codex_usage('%s'); SELECT kind || ': ' || detail FROM lumo_diagnostics" % zx],
                   capture_output=True, text=True, cwd=ROOT)
c.eq("without libzstd: no rows and an 'unsupported' diagnostic naming libzstd",
     ["0", "unsupported: compressed rollout (.zst): this build of lumo has no libzstd (install libzstd-dev and rebuild)"],
     r.stdout.split("\n")[:2])
c.done()
