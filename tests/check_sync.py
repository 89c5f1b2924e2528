"""check_sync: lumo_sync into a lumo database, then the views, against independent
expectations: the corpus generator's expected.json (per UTC day and model, per
session), and hand-built appends, deletions, torn lines and merges whose outcome is
written here. Also: a second sync adds nothing; two syncs started together end with the
totals of one; a re-sync under another time zone changes no stored row; every view
reads without the extension."""
import json
import os
import shutil
import subprocess
import time
from lumo_sql import ROOT, SO, Checker, query

OUT = os.path.join(ROOT, "tests", "out", "sync")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
tree = os.path.join(OUT, "claude")
src = os.path.join(ROOT, "tests", "out", "corpus", "claude")
shutil.copytree(src, tree)  # copy2 keeps the mtimes the tie-break uses
exp = json.load(open(os.path.join(ROOT, "tests", "out", "corpus", "expected.json")))
c = Checker()
db = os.path.join(OUT, "lumo.db")


def sync(dbpath=db, root=tree, tz="UTC"):
    os.environ["TZ"] = tz
    r = query("SELECT lumo_sync('%s') AS s" % root, db=dbpath)[0]["s"]
    os.environ["TZ"] = "UTC"
    return json.loads(r)


def plain(sql, dbpath=db):
    """The database read by sqlite3 without the extension."""
    out = subprocess.run(["sqlite3", "-json", dbpath, sql], capture_output=True, text=True,
                         env=dict(os.environ, TZ="UTC"))
    if out.returncode:
        raise SystemExit("plain sqlite3 failed: " + out.stderr)
    return json.loads(out.stdout or "[]")


os.environ["LUMO_MACHINE"] = "machine-a"
first = sync()
c.eq("first sync read every file", exp["files"]["claude"], first["files_read"])
daily = {(r["day"], r["model"]): r for r in plain("SELECT * FROM daily WHERE agent = 'claude'")}
want = {(r["date"], r["model"]): r for r in exp["daily"] if r["agent"] == "claude"}
c.eq("daily view: set of (day, model)", sorted(want), sorted(daily))
for k in sorted(set(want) & set(daily)):
    for wf, gf in (("messages", "requests"), ("input", "input_tokens"), ("output", "output_tokens"),
                   ("cache_read", "cache_read_tokens"), ("cache_creation_5m", "cache_write_5m_tokens"),
                   ("cache_creation_1h", "cache_write_1h_tokens")):
        c.eq("daily %s %s %s" % (k[0], k[1], wf), want[k][wf], daily[k][gf])
sess = {r["session_id"]: r for r in plain("SELECT session_id, requests FROM sessions")}
for s in exp["sessions"]:
    if s["agent"] == "claude":
        c.eq("sessions view: requests of %s" % s["session_id"], s["messages"], sess.get(s["session_id"], {}).get("requests"))
t = exp["totals"]["claude"]
month = plain("SELECT sum(requests) n, sum(output_tokens) o FROM monthly")[0]
c.eq("monthly view agrees with the truth (T15: one local-time expression)", [t["messages"], t["output"]], [month["n"], month["o"]])
# every view reads without the extension
for v in plain("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name"):
    ok = subprocess.run(["sqlite3", db, "SELECT count(*) FROM %s" % v["name"]], capture_output=True, text=True)
    c.eq("view %s readable without the extension" % v["name"], 0, ok.returncode)

second = sync()
c.eq("a second sync reads nothing", [0, 0, 0], [second["files_read"], second["bytes_read"], second["usage_rows_written"]])

# T16: a re-sync under another zone moves and inflates nothing
before = plain("SELECT count(*) n, sum(output_tokens) o FROM usage")[0]
os.utime(os.path.join(tree, os.listdir(tree)[0]), None)  # touch a directory: nothing to read
sync(tz="Asia/Tokyo")
c.eq("re-sync under Asia/Tokyo keeps the stored rows", before, plain("SELECT count(*) n, sum(output_tokens) o FROM usage")[0])

# Appending: a new response written as two streaming copies (5 then 50 output tokens),
# the second arriving after a sync: one row, output 50, the copies straddling syncs.
proj = os.path.join(tree, "projects", "-home-u-new")
os.makedirs(proj)
f = os.path.join(proj, "eeee5555-0000-4000-8000-000000000005.jsonl")


def line(mid, rid, out, ts, extra=""):
    return ('{"type":"assistant","sessionId":"eeee5555","cwd":"/home/u/new","timestamp":"%s",'
            '"requestId":"%s","message":{"id":"%s","model":"claude-sonnet-4-5","role":"assistant",'
            '"content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":10,"output_tokens":%d,'
            '"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}%s}' % (ts, rid, mid, out, extra))


with open(f, "w") as fh:
    fh.write(line("msg_A1", "req_A1", 5, "2026-05-01T10:00:00.000Z") + "\n")
sync()
with open(f, "a") as fh:
    fh.write(line("msg_A1", "req_A1", 50, "2026-05-01T10:00:01.000Z") + "\n")
r = sync()
c.eq("append: only the new bytes are read", len(line("msg_A1", "req_A1", 50, "2026-05-01T10:00:01.000Z")) + 1, r["bytes_read"])
c.eq("append: the larger copy replaced the first, one row", [1, 50],
     list(plain("SELECT count(*) n, max(output_tokens) o FROM usage WHERE message_id = 'msg_A1'")[0].values()))
# A torn last line is not counted, and counted once when completed.
full = line("msg_A2", "req_A2", 7, "2026-05-01T10:05:00.000Z")
with open(f, "a") as fh:
    fh.write(full[:60])
sync()
c.eq("torn last line: not counted yet", 0, plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_A2'")[0]["n"])
with open(f, "a") as fh:
    fh.write(full[60:] + "\n")
sync()
c.eq("torn line completed: counted once", 1, plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_A2'")[0]["n"])
# A rewritten (truncated) file is read again without double counting.
with open(f, "w") as fh:
    fh.write(line("msg_A1", "req_A1", 50, "2026-05-01T10:00:01.000Z") + "\n")
sync()
c.eq("truncated file re-read: still one row per response", [1, 1],
     [plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_A1'")[0]["n"],
      plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_A2'")[0]["n"]])
# The directory cache (lumo_dirs): a directory unchanged since the last sync is not read
# again, its remembered listing is used; its files are still stat'ed.
def jsonl_files():
    return sum(1 for _, _, fs in os.walk(os.path.join(tree, "projects")) for x in fs if x.endswith((".jsonl", ".jsonl.gz")))


# every directory settled: unchanged for 2 s (by its ctime, which no utime can set back)
time.sleep(2.1)
sync()
remembered = {r["path"] for r in plain("SELECT path FROM lumo_dirs")}
c.eq("lumo_dirs: every settled directory is remembered", sum(1 for _ in os.walk(os.path.join(tree, "projects"))),
     len(remembered))
fresh = os.path.join(tree, "projects", "-home-u-fresh")
os.makedirs(fresh)
with open(os.path.join(fresh, "abab0000-0000-4000-8000-000000000007.jsonl"), "w") as fh:
    fh.write(line("msg_F1", "req_F1", 3, "2026-05-02T08:00:00.000Z") + "\n")
r = sync()
c.eq("a directory changed under 2 s ago is read but not remembered", [1, False],
     [r["files_read"], fresh in {x["path"] for x in plain("SELECT path FROM lumo_dirs")}])
remembered = {x["path"] for x in plain("SELECT path FROM lumo_dirs")}
r = sync()
c.eq("cached listings: every file is still seen", jsonl_files(), r["files_seen"])
cached_dir = sorted(d for d in remembered if d.count("/") > tree.count("/") + 1)[0]
old = sorted(x for x in os.listdir(cached_dir) if x.endswith(".jsonl"))[0]
st = os.stat(cached_dir)
with open(os.path.join(cached_dir, old), "a") as fh:  # appending leaves the directory's mtime alone
    fh.write(line("msg_C1", "req_C1", 11, "2026-05-02T09:00:00.000Z") + "\n")
c.eq("appending left the directory's mtime as it was", st.st_mtime_ns, os.stat(cached_dir).st_mtime_ns)
r = sync()
c.eq("append in a cached directory: read", [1, 1], [r["files_read"], plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_C1'")[0]["n"]])
with open(os.path.join(cached_dir, "ffff6666-0000-4000-8000-000000000006.jsonl"), "w") as fh:  # a new file: mtime moves
    fh.write(line("msg_C2", "req_C2", 12, "2026-05-02T09:01:00.000Z") + "\n")
r = sync()
c.eq("new file in a cached directory: listed again and read", [1, 1],
     [r["files_read"], plain("SELECT count(*) n FROM usage WHERE message_id = 'msg_C2'")[0]["n"]])
# A remembered file that has gone while the directory's mtime was put back (as a backup
# tool restoring times would): skipped quietly, the rest still read (the ctime moved, so
# the directory is listed again).
os.utime(cached_dir, ns=(st.st_atime_ns, st.st_mtime_ns))
sync()
gone = os.path.join(cached_dir, "ffff6666-0000-4000-8000-000000000006.jsonl")
os.unlink(gone)
os.utime(cached_dir, ns=(st.st_atime_ns, st.st_mtime_ns))
diag = query("SELECT count(*) AS n FROM lumo_diagnostics WHERE kind = 'unreadable'", db=db,
             before="SELECT lumo_sync('%s')" % tree)[0]["n"]
c.eq("a remembered file that has gone: no error, no diagnostic", 0, diag)

# Deleting the source files keeps every row.
before = plain("SELECT count(*) n, sum(output_tokens) o FROM usage")[0]
shutil.rmtree(os.path.join(tree, "projects"))
os.makedirs(os.path.join(tree, "projects"))
sync()
c.eq("source files deleted: every row kept", before, plain("SELECT count(*) n, sum(output_tokens) o FROM usage")[0])

# Two syncs started at the same time end with the totals of one.
db2 = os.path.join(OUT, "concurrent.db")
procs = [subprocess.Popen(["sqlite3", "-cmd", ".load " + SO, db2, "SELECT lumo_sync('%s')" % src],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
outs = [p.communicate() for p in procs]
c.eq("concurrent syncs both succeed", [0, 0], [p.returncode for p in procs])
tot = plain("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr FROM usage", db2)[0]
c.eq("concurrent syncs: totals of one", [t["messages"], t["input"], t["output"], t["cache_read"]],
     [tot["n"], tot["i"], tot["o"], tot["cr"]])

# Merge (T25): machine B synced the same tree; merging B into A, twice, and A into a
# fresh database, never double counts.
db_b = os.path.join(OUT, "b.db")
os.environ["LUMO_MACHINE"] = "machine-b"
sync(db_b, src)
os.environ["LUMO_MACHINE"] = "machine-a"
db_m = os.path.join(OUT, "merged.db")
sync(db_m, src)
for _ in range(2):
    query("SELECT lumo_merge('%s')" % db_b, db=db_m)
tot = plain("SELECT count(*) n, sum(output_tokens) o FROM usage", db_m)[0]
c.eq("merge of two machines holding the same sessions, twice: counted once", [t["messages"], t["output"]], [tot["n"], tot["o"]])
c.eq("machines view lists the machine of each kept row", ["machine-a"], [r["machine"] for r in plain("SELECT machine FROM machines", db_m)])
db_e = os.path.join(OUT, "empty.db")
query("SELECT lumo_merge('%s')" % db_b, db=db_e)
c.eq("merge into an empty database: machine-b's rows", [t["messages"], "machine-b"],
     [plain("SELECT count(*) n FROM usage", db_e)[0]["n"], plain("SELECT machine FROM machines", db_e)[0]["machine"]])

# lumo_sync runs with temp_store = MEMORY (statement journals in memory) only on a
# connection without a temp database, and puts the setting back: a user's temp table
# survives a sync, and PRAGMA temp_store reads as before.
def shell_lines(dbpath, *sql):
    out = subprocess.run(["sqlite3", "-cmd", ".load " + SO, dbpath] + list(sql), capture_output=True, text=True,
                         cwd=ROOT, env=dict(os.environ, TZ="UTC"))
    return out.stdout.split("\n")[:-1] + ([out.stderr.strip()] if out.stderr.strip() else [])
lines = shell_lines(db, "PRAGMA temp_store", "SELECT lumo_sync('%s') IS NOT NULL" % tree, "PRAGMA temp_store",
                    "CREATE TEMP TABLE mine (x)", "INSERT INTO mine VALUES (42)",
                    "SELECT lumo_sync('%s') IS NOT NULL" % tree, "PRAGMA temp_store", "SELECT x FROM mine")
c.eq("temp_store put back after a sync; a temp table made before a sync is still there", ["0", "1", "0", "1", "0", "42"], lines)

# Schema 4 -> 5: a database whose active minutes are still in the text table activity_minutes
# (its triggers, version 4, no schema hash) keeps them, as integer minutes, after a sync.
old = os.path.join(OUT, "v4.db")
shutil.copy(db, old)
for suffix in ("-wal", "-shm"):
    if os.path.exists(db + suffix):
        shutil.copy(db + suffix, old + suffix)
plain("DROP TRIGGER active_minutes_message; DROP TRIGGER active_minutes_usage; DELETE FROM active_minutes;"
      " DELETE FROM lumo_settings WHERE key = 'schema_hash'; UPDATE lumo_schema_version SET version = 4;"
      " CREATE TABLE activity_minutes (minute TEXT PRIMARY KEY) WITHOUT ROWID;"
      " INSERT INTO activity_minutes VALUES ('2026-03-01T10:00'), ('2026-03-01T10:04'), ('1970-01-01T00:01');"
      " CREATE TRIGGER activity_minutes_add AFTER INSERT ON messages BEGIN"
      "  INSERT OR IGNORE INTO activity_minutes VALUES (substr(NEW.timestamp, 1, 16)); END", old)
sync(old, os.path.join(OUT, "no-such-root"))
# 2026-03-01T10:00Z is 1,772,359,200 s after the epoch: minute 29,539,320
c.eq("schema 4 -> current: text minutes carried over as integers, old table and trigger gone, version 13",
     [[1, 29539320, 29539324], [], 13],
     [[r["minute"] for r in plain("SELECT minute FROM active_minutes ORDER BY minute", old)],
      plain("SELECT name FROM sqlite_master WHERE name LIKE 'activity_minutes%'", old),
      plain("SELECT version FROM lumo_schema_version", old)[0]["version"]])
c.eq("schema 5: a synced message's minute is kept by the new trigger", [[1, 29539320, 29539324, 29539325]],
     [[r["minute"] for r in plain("INSERT INTO messages (key, agent, machine, timestamp) VALUES ('m', 'claude', 'test', '2026-03-01T10:05:59.900Z');"
                                  " SELECT minute FROM active_minutes ORDER BY minute", old)]])
c.done()
