"""check_clickhouse: the team ledger on a real ClickHouse engine (issue 23). chdb (in-process
ClickHouse, chdb-core-lite from PyPI, pinned below) is installed into a venv of Debian's
python3 ($LUMO_CHDB_VENV, default dist/chdb-venv); this check then runs again inside it.

Three machines sync parts of the generated corpus (tests/fixtures/corpus-s25.tar.gz) with
overlaps: m1 and m2 hold three Claude projects both (m2's copies newer: m1's are kept),
m2 holds a /btw aside whose parent session only m1 has (its copies are replays),
m3 holds one of m1's projects with older files (m3's kept) and one Codex rollout with a
newer file (Codex: the newer is kept). m1 exports twice, NDJSON, with lines appended to a
session between the two (a repeated export); m2 exports CSV, m3 NDJSON with hashed
project names; one file is loaded twice (a retried load). Checks:
- the SQLite merge of the three databases (lumo_merge) holds exactly the corpus's
  expected.json totals (ground truth of the generator), and so does ClickHouse;
- every ported view (views/clickhouse; budgets with four budgets over recent rows of m3;
  team_daily and teams with m1 and m2 in one team; tools, activity and efficiency; and
  efficiency_by_machine against each machine's own active_time) equals lumo's SQLite view over the merge, row for
  row, costs to 1e-9, in UTC, America/New_York (DST ends in the corpus' days) and
  Asia/Kathmandu (+05:45); sessions.machine is compared with the machine of the session's
  earliest kept request (lumo's view names the machine whose rows were stored first);
- the second export holds exactly the rows that changed between the two syncs (computed
  with SQL over a copy of the database from before), and a third one nothing;
- exported rows carry no message text, tool input, path or working directory unless asked;
- `lumo push` posts the same rows to a stub HTTP server: INSERT ... FORMAT JSONEachRow,
  credentials in headers and never printed, a 503 retried; the bodies it posted, loaded
  into chdb, give the same daily view; push mistakes are clear errors with exit 2."""
import glob
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lumo_sql import ROOT, SO, Checker  # noqa: E402

CHDB_PINS = ["chdb-core-lite==26.5.0", "pyarrow==21.0.0"]  # --no-deps: pandas is not needed for SQL text
VENV = os.environ.get("LUMO_CHDB_VENV", os.path.join(ROOT, "dist", "chdb-venv"))
OUT = os.path.join(ROOT, "tests", "out", "clickhouse")
ZONES = ("UTC", "America/New_York", "Asia/Kathmandu")
DAY_NS = 86400 * 10 ** 9


def ensure_chdb():
    """Re-runs this check in the chdb venv, installing it first when needed (exit 77 if it
    cannot be installed: the check says why)."""
    if os.environ.get("LUMO_IN_CHDB_VENV"):
        return
    py = os.path.join(VENV, "bin", "python")
    probe = [py, "-c", "import chdb; chdb.query('SELECT 1')"]
    if not os.path.exists(py) or subprocess.run(probe, capture_output=True).returncode:
        t0 = time.time()
        shutil.rmtree(VENV, ignore_errors=True)
        r = subprocess.run(["/usr/bin/python3", "-m", "venv", VENV], capture_output=True, text=True)
        if r.returncode == 0:
            r = subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "--no-deps"] + CHDB_PINS,
                               capture_output=True, text=True)
        if r.returncode or subprocess.run(probe, capture_output=True).returncode:
            print("SKIP chdb cannot be installed here (%s): %s" % (" ".join(CHDB_PINS), (r.stderr or "")[-500:]))
            raise SystemExit(77)
        print("installed %s into %s in %.1f s" % (" ".join(CHDB_PINS), VENV, time.time() - t0))
    sys.stdout.flush()
    os.execve(py, [py] + sys.argv, dict(os.environ, LUMO_IN_CHDB_VENV="1"))


ensure_chdb()
from chdb import session as chdb_session  # noqa: E402

c = Checker()
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
corpus = os.path.join(OUT, "corpus")
with tarfile.open(os.path.join(ROOT, "tests", "fixtures", "corpus-s25.tar.gz")) as t:
    t.extractall(corpus)
expected = json.load(open(os.path.join(corpus, "expected.json")))


def copy_tree(src, dst, shift_ns=0):
    """src copied to dst with every file's mtime moved by shift_ns (a copy made later or
    earlier on another machine)."""
    for dp, _, files in os.walk(src):
        for f in files:
            s = os.path.join(dp, f)
            d = os.path.join(dst, os.path.relpath(s, src))
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(s, d)
            st = os.stat(s)
            os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns + shift_ns))


# ---------------------------------------------------------------- three machines
projects = sorted(os.listdir(os.path.join(corpus, "claude", "projects")))
rollouts = sorted(glob.glob(os.path.join(corpus, "codex", "sessions", "*", "*", "*", "*.jsonl")))
home = {m: os.path.join(OUT, m) for m in ("m1", "m2", "m3")}
for i, p in enumerate(projects):
    src = os.path.join(corpus, "claude", "projects", p)
    if i <= 5:
        copy_tree(src, os.path.join(home["m1"], "claude", "projects", p))
    if i >= 3:
        copy_tree(src, os.path.join(home["m2"], "claude", "projects", p), DAY_NS if i <= 5 else 0)
    if i == 1:
        copy_tree(src, os.path.join(home["m3"], "claude", "projects", p), -DAY_NS)
# m2 also holds the /btw aside of a session it lacks: alone there, the aside's sidechain
# copies are billed by m2's own database; beside m1's parent copies they are replays.
for aside in glob.glob(os.path.join(corpus, "claude", "projects", projects[1], "*", "subagents", "agent-aside_*.jsonl")):
    d = os.path.join(home["m2"], "claude", os.path.relpath(aside, os.path.join(corpus, "claude")))
    os.makedirs(os.path.dirname(d), exist_ok=True)
    shutil.copy2(aside, d)
copy_tree(os.path.join(corpus, "codex"), os.path.join(home["m1"], "codex"))
copy_tree(os.path.join(corpus, "gemini"), os.path.join(home["m2"], "gemini"))
r0 = rollouts[0]
copy_tree(os.path.dirname(r0), os.path.join(home["m3"], "codex", os.path.relpath(os.path.dirname(r0), os.path.join(
    corpus, "codex"))), DAY_NS)
for f in glob.glob(os.path.join(home["m3"], "codex", "sessions", "*", "*", "*", "*.jsonl")):
    if os.path.basename(f) != os.path.basename(r0):
        os.unlink(f)
# m1's first session is written in two steps, cut between two streaming copies of one
# response (near 60 % of its lines): the first export has the smaller copy, the second the
# larger one, with a higher version, which ClickHouse must keep.


def message_id(line):
    try:
        return json.loads(line).get("message", {}).get("id")
    except (ValueError, AttributeError):
        return None


held = sorted(glob.glob(os.path.join(home["m1"], "claude", "projects", projects[0], "*.jsonl")))[0]
whole = open(held, "rb").read()
lines = whole.split(b"\n")
cuts = [i for i in range(1, len(lines)) if message_id(lines[i]) and message_id(lines[i]) == message_id(lines[i - 1])]
cut = min(cuts, key=lambda i: abs(i - 0.6 * len(lines)))
first = b"\n".join(lines[:cut]) + b"\n"
held_mtime = os.stat(held).st_mtime_ns
open(held, "wb").write(first)
os.utime(held, ns=(held_mtime, held_mtime))


def lumo(machine, *args, env=None, check=True):
    e = dict(os.environ, TZ="UTC", LUMO_MACHINE=machine, LUMO_EXTENSION=SO + ".so", HOME=home.get(machine, OUT))
    if os.environ.get("LUMO_ASAN_PRELOAD"):  # make test-asan: the lumo commands load the sanitized build
        e.update(LD_PRELOAD=os.environ["LUMO_ASAN_PRELOAD"], ASAN_OPTIONS="detect_leaks=0:abort_on_error=1")
    for k in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "LUMO_OTLP_DIR", "LUMO_DB"):
        e.pop(k, None)
    e.update(env or {})
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo")] + list(args),
                       capture_output=True, text=True, env=e, cwd=ROOT)
    if check and r.returncode:
        raise SystemExit("lumo %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r


def sync(m):
    roots = []
    for agent in ("claude", "codex", "gemini"):
        if os.path.isdir(os.path.join(home[m], agent)):
            roots += ["--" + agent, os.path.join(home[m], agent)]
    lumo(m, "--db", os.path.join(OUT, m + ".db"), "sync", "-q", *roots)


for m in home:
    sync(m)
exports = {m: os.path.join(OUT, "export-" + m) for m in home}
lumo("m1", "--db", os.path.join(OUT, "m1.db"), "--no-sync", "export", "--out", exports["m1"])
shutil.copyfile(os.path.join(OUT, "m1.db"), os.path.join(OUT, "m1-before.db"))
open(held, "wb").write(whole)
os.utime(held, ns=(held_mtime, held_mtime))
sync("m1")
first_files = set(glob.glob(os.path.join(exports["m1"], "*", "*", "*.ndjson")))
lumo("m1", "--db", os.path.join(OUT, "m1.db"), "--no-sync", "export", "--out", exports["m1"])
second_files = set(glob.glob(os.path.join(exports["m1"], "*", "*", "*.ndjson"))) - first_files
r = lumo("m1", "--db", os.path.join(OUT, "m1.db"), "--no-sync", "export", "--out", exports["m1"])
c.eq("a third export with nothing new writes no file",
     set(), set(glob.glob(os.path.join(exports["m1"], "*", "*", "*.ndjson"))) - first_files - second_files)
c.eq("... and says so", True, "0 rows" in r.stderr)
# m2 exports CSV; one of its requests has a project name CSV must quote (quote, comma,
# newline, backslash, \N, non-ASCII) and a git branch of "\N" (a string, not NULL)
ODD = 'we"ird, \nname\\ \\N ü'
subprocess.run(["sqlite3", "-cmd", ".load " + SO, os.path.join(OUT, "m2.db"),
                "INSERT INTO usage (key, agent, machine, session_id, project, git_branch, timestamp, model, input_tokens,"
                " output_tokens, cost_usd, price_source, file, line, rank_total, rank_has_speed, rank_mtime_ns) VALUES"
                " ('opencode:m2:odd:1', 'opencode', 'm2', 'odd', '%s', '\\N', '2025-11-05T10:00:00.000Z',"
                " 'claude-sonnet-4-5', 1000, 100, lumo_cost('claude-sonnet-4-5', 1000, 100, 0, 0, 0), 'built-in', 'odd',"
                " 1, 1100, 0, 0)" % ODD.replace("'", "''")], check=True)
lumo("m2", "--db", os.path.join(OUT, "m2.db"), "--no-sync", "export", "--format", "csv", "--out", exports["m2"])
# m3 also spent recently (OpenCode rows written as sync writes them, priced by lumo_cost as
# sync prices them, relative to now), so that the budgets have something to count: an hour,
# three, twenty and forty-five days ago, in project "budgeted".
RECENT = ((3600, 150000), (3 * 86400, 100000), (20 * 86400, 180000), (45 * 86400, 120000))
subprocess.run(["sqlite3", "-cmd", ".load " + SO, os.path.join(OUT, "m3.db"), ";".join(
    "INSERT INTO usage (key, agent, machine, session_id, project, timestamp, model, input_tokens, output_tokens,"
    " cost_usd, price_source, file, line, rank_total, rank_has_speed, rank_mtime_ns) VALUES ('opencode:m3:recent:%d',"
    " 'opencode', 'm3', 'recent', 'budgeted', strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000Z', 'now', '-%d seconds'),"
    " 'claude-sonnet-4-5', %d, 1000, lumo_cost('claude-sonnet-4-5', %d, 1000, 0, 0, 0), 'built-in', 'recent', %d,"
    " %d, 0, 0)" % (i, ago, tokens, tokens, i, tokens + 1000)
    for i, (ago, tokens) in enumerate(RECENT))], check=True)
lumo("m3", "--db", os.path.join(OUT, "m3.db"), "--no-sync", "export", "--out", exports["m3"])


def sqlite_json(db, sql, tz="UTC"):
    out = subprocess.run(["sqlite3", "-json", "-cmd", ".load " + SO, db, sql], capture_output=True, text=True,
                         env=dict(os.environ, TZ=tz))
    if out.returncode:
        raise SystemExit("sqlite3 failed: " + out.stderr)
    return json.loads(out.stdout or "[]")


# ---------------------------------------------------------------- the repeated export
# Which rows changed between the two syncs, by plain SQL over the two databases: new keys,
# and keys whose exported columns differ.
EXPORTED = {"usage": "session_id, project, timestamp, model, input_tokens, output_tokens, cache_read_tokens,"
                     " cache_write_5m_tokens, cache_write_1h_tokens, cost_usd, is_sidechain, line, rank_total,"
                     " rank_mtime_ns",
            "messages": "session_id, uuid, parent_uuid, timestamp, type, role, model, content_bytes, is_rewound, line",
            "tool_uses": "session_id, timestamp, tool_name, is_error, result_bytes, line"}
for table, cols in EXPORTED.items():
    now = {r["key"]: r for r in sqlite_json(os.path.join(OUT, "m1.db"), "SELECT key, %s FROM %s" % (cols, table))}
    before = {r["key"]: r for r in sqlite_json(os.path.join(OUT, "m1-before.db"), "SELECT key, %s FROM %s" % (cols, table))}
    want = {k for k, r in now.items() if before.get(k) != r}
    got = [json.loads(x)["key"] for f in second_files if f.split(os.sep)[-3] == table for x in open(f)]
    c.eq("second export of %s: the rows new or changed since the first (%d)" % (table, len(want)), sorted(want), sorted(got))
    c.eq("second export of %s is not empty (the appended lines hold some)" % table, True, len(want) > 0)
    if table == "usage":
        c.eq("... and one of its rows is a response whose larger copy came after the cut", True,
             any(k in before and before[k]["rank_total"] < now[k]["rank_total"] for k in want))

# ---------------------------------------------------------------- privacy and shape
rows = {}
for m, d in exports.items():
    for f in glob.glob(os.path.join(d, "*", "*", "*.*")):
        table = f.split(os.sep)[-3]
        if f.endswith(".csv"):
            import csv
            recs = list(csv.DictReader(open(f, newline="")))
        else:
            recs = [json.loads(x) for x in open(f)]
        rows.setdefault((m, table), []).extend(recs)
fields = {k for recs in rows.values() for r in recs for k in r}
c.eq("no text, input, file or cwd field is exported by default", set(), fields & {"text", "input", "file", "cwd"})
# rate_limits: Codex's windows, keyed machine:file:line:window in the lumo database; the
# export's key carries a hash of the file instead (a path may name a project)
lumo("m1", "--db", os.path.join(OUT, "m1.db"), "--no-sync", "export", "--tables", "rate_limits", "--out",
     exports["m1"])
limits = [json.loads(x) for f in glob.glob(os.path.join(exports["m1"], "rate_limits", "*", "*")) for x in open(f)]
n_limits = sqlite_json(os.path.join(OUT, "m1.db"), "SELECT count(*) AS n FROM rate_limits")[0]["n"]
c.eq("rate_limits exported: every row of m1 (%d), no key with a path in it" % n_limits, (n_limits, []),
     (len(limits), [r["key"] for r in limits if ".jsonl" in r["key"]]))
c.eq("every row carries machine, key and version", True,
     all({"machine", "key", "version"} <= set(r) for recs in rows.values() for r in recs))
lumo("m3", "--db", os.path.join(OUT, "m3.db"), "--no-sync", "export", "--project-map", "hash", "--tables", "usage",
     "--out", os.path.join(OUT, "hashed"))
m3_projects = {json.loads(x)["project"] for f in glob.glob(os.path.join(OUT, "hashed", "usage", "*", "*")) for x in open(f)}
real = {r["project"] for r in sqlite_json(os.path.join(OUT, "m3.db"), "SELECT DISTINCT project FROM usage")}
c.eq("--project-map hash: m3's projects are 'p-' and the first 12 hex digits of their SHA-256",
     sorted("p-" + hashlib.sha256(p.encode()).hexdigest()[:12] for p in real), sorted(m3_projects))
r = lumo("m3", "--db", os.path.join(OUT, "m3.db"), "--no-sync", "export", "--with-paths", "--tables", "usage",
         "--format", "csv", "--out", os.path.join(OUT, "paths"))
with_paths = [ln for f in glob.glob(os.path.join(OUT, "paths", "usage", "*", "*.csv")) for ln in open(f)]
c.eq("--with-paths adds file and cwd", True, with_paths[0].rstrip("\n").endswith(",cwd,file"))
for bad, why in ((["--tables", "usage,sesions"], "no table 'sesions'"),
                 (["--format", "xml"], "choose ndjson or csv"), ([], "--out DIR"),
                 (["--project-map", os.path.join(OUT, "nope.json")], "No such file")):
    r = lumo("m3", "--db", os.path.join(OUT, "m3.db"), "--no-sync", "export", *(bad + (["--out", os.path.join(OUT, "x")]
             if bad else [])), check=False)
    c.eq("export %s: exit 2 and says %r" % (" ".join(bad) or "without --out", why), (2, True),
         (r.returncode, why in r.stderr))

# ---------------------------------------------------------------- lumo_merge, the reference
merged = os.path.join(OUT, "merged.db")
subprocess.run(["sqlite3", "-cmd", ".load " + SO, merged, "SELECT lumo_sync('%s')" % os.path.join(OUT, "no-such-root")],
               capture_output=True, env=dict(os.environ, LUMO_MACHINE="merged"), check=True)
for m in ("m1", "m2", "m3"):
    sqlite_json(merged, "SELECT lumo_merge('%s')" % os.path.join(OUT, m + ".db"))
tot = sqlite_json(merged, "SELECT agent, count(*) AS n, sum(input_tokens) AS i, sum(output_tokens) AS o,"
                          " sum(cache_read_tokens) AS r FROM usage WHERE agent <> 'opencode' GROUP BY agent ORDER BY agent")
want_tot = [{"agent": a, "n": expected["totals"][a]["messages"], "i": expected["totals"][a]["input"],
             "o": expected["totals"][a]["output"], "r": expected["totals"][a]["cache_read"]}
            for a in ("claude", "codex", "gemini")]
c.eq("lumo_merge of the three machines = the corpus's expected totals", want_tot, tot)
# Which machine's copy of a response is kept: the winner rule over the three databases'
# rows, in SQL (ORDER BY the rule's fields). lumo_merge keeps the first database's copy
# when copies come from the same file and line (its "same copy read again" test), whatever
# their mtimes; the reference for ClickHouse is the merge with each row's machine set to the
# rule's (the token counts are the same either way).
reference = os.path.join(OUT, "reference.db")
shutil.copyfile(merged, reference)
union = " UNION ALL ".join(
    "SELECT key, machine, agent, rank_prefer, is_sidechain, rank_total, rank_has_speed, rank_mtime_ns, file, line"
    " FROM %s.usage" % m for m in ("m1", "m2", "m3"))
attach = "".join("ATTACH '%s' AS %s; " % (os.path.join(OUT, m + ".db"), m) for m in ("m1", "m2", "m3"))
moved = sqlite_json(reference, attach + (
    "CREATE TEMP TABLE winner AS SELECT key, machine FROM (SELECT key, machine, row_number() OVER (PARTITION BY key"
    " ORDER BY rank_prefer DESC, is_sidechain, rank_total DESC, rank_has_speed DESC,"
    " CASE agent WHEN 'codex' THEN -rank_mtime_ns ELSE rank_mtime_ns END, file, line, machine) AS rank FROM (%s))"
    " WHERE rank = 1; SELECT u.agent, w.machine, count(*) AS n FROM usage u JOIN winner w ON w.key = u.key"
    " WHERE w.machine <> u.machine GROUP BY 1, 2 ORDER BY 1;"
    " UPDATE usage SET machine = w.machine FROM winner w WHERE w.key = usage.key AND w.machine <> usage.machine;"
    % union))
print("rows whose kept copy the rule gives to another machine than lumo_merge's first-merged copy: %r" % moved)
c.eq("the rule keeps m3's older Claude copies and its newer Codex copies (lumo_merge: m1's)",
     [("claude", "m3"), ("codex", "m3")], [(x["agent"], x["machine"]) for x in moved])

# ---------------------------------------------------------------- ClickHouse
chs = chdb_session.Session(os.path.join(OUT, "chdb"))


def ch(sql, fmt="JSONEachRow"):
    res = chs.query(sql, fmt)
    text = res.bytes().decode() if hasattr(res, "bytes") else str(res)
    return [json.loads(x) for x in text.splitlines() if x.strip()] if fmt == "JSONEachRow" else text


def ch_file(path):
    sql = "\n".join(ln for ln in open(path, encoding="utf-8").read().split("\n") if not ln.lstrip().startswith("--"))
    for st in sql.split(";\n"):
        if st.strip():
            chs.query(st)


ch_file(os.path.join(ROOT, "views", "clickhouse", "00_tables.sql"))
ch_file(os.path.join(ROOT, "views", "clickhouse", "10_reports.sql"))


def load(path, twice=False):
    table = path.split(os.sep)[-3]
    fmt = "CSVWithNames" if path.endswith(".csv") else "JSONEachRow"
    for _ in range(2 if twice else 1):
        chs.query("INSERT INTO lumo.%s FORMAT %s\n" % (table, fmt) + open(path, encoding="utf-8").read())


# newest files first: the version, not the order of loads, must decide which copy stays
files = sorted(glob.glob(os.path.join(OUT, "export-m*", "*", "*", "*.*")), reverse=True)
for i, f in enumerate(files):
    load(f, twice=(i == 0))  # the first file loaded twice: a retried load
ch_tot = ch("SELECT agent, toInt64(count()) AS n, toInt64(sum(input_tokens)) AS i, toInt64(sum(output_tokens)) AS o,"
            " toInt64(sum(cache_read_tokens)) AS r FROM lumo.usage_kept WHERE agent <> 'opencode' GROUP BY agent ORDER BY agent"
            " SETTINGS output_format_json_quote_64bit_integers = 0")
c.eq("ClickHouse over the three exports = the corpus's expected totals", want_tot, ch_tot)
raw = ch("SELECT toInt64(count()) AS n FROM lumo.usage SETTINGS output_format_json_quote_64bit_integers = 0")[0]["n"]
c.eq("rate_limits in ClickHouse: m1's rows, once each", n_limits,
     ch("SELECT toInt64(count()) AS n FROM lumo.rate_limits FINAL SETTINGS output_format_json_quote_64bit_integers = 0")
     [0]["n"])
c.eq("CSV: an odd project name and a '\\N' branch arrive as written", [{"project": ODD, "git_branch": "\\N"}],
     ch("SELECT project, git_branch FROM lumo.usage WHERE session_id = 'odd'"))
c.eq("the loaded table holds copies (overlaps, the retried load) that usage_kept counts once", True,
     raw > sum(x["n"] for x in want_tot))

KEYS = {"daily": ("day", "agent", "model"), "weekly": ("week_start", "agent", "model"),
        "monthly": ("month", "agent", "model"), "sessions": ("agent", "session_id"), "models": ("agent", "model"),
        "projects": ("project",), "machines": ("machine",), "blocks": ("block_id",), "budgets": ("name",),
        "team_daily": ("day", "team"), "teams": ("team",), "tools": ("day", "agent", "tool_name"),
        "activity": ("started_at",), "efficiency": (), "efficiency_by_machine": ("machine",)}
# The same budgets on both sides: a day's (over, unless run just after midnight), a week's (near),
# a project's month, an agent's month
BUDGETS = (("team-day", "day", 0.4, None, None), ("team-week", "week", 0.9, None, None),
           ("budgeted-month", "month", 5.0, None, "budgeted"), ("codex-month", "month", 10.0, "codex", None))
sql_value = lambda v: "NULL" if v is None else repr(v) if isinstance(v, float) else "'%s'" % v  # noqa: E731
values = ", ".join("(%s)" % ", ".join(map(sql_value, b)) for b in BUDGETS)
sqlite_json(reference, "INSERT INTO budget_limits (name, period, amount_usd, agent, project) VALUES " + values)
chs.query("INSERT INTO lumo.budget_limits (name, period, amount_usd, agent, project) VALUES " + values)
# sessions.machine: the machine of the session's earliest kept request (see the top); the
# machines view's session columns follow from it.
SQLITE = dict((v, "SELECT * FROM " + v) for v in KEYS)
SQLITE["sessions"] = (
    "SELECT s.agent, s.session_id, s.project, (SELECT u.machine FROM usage u WHERE u.agent = s.agent"
    " AND coalesce(u.session_id, '') = coalesce(s.session_id, '') ORDER BY u.timestamp, u.key LIMIT 1) AS machine,"
    " s.started_at, s.ended_at, s.duration_seconds, s.requests, s.messages, s.total_tokens, s.cost_usd, s.models,"
    " s.low_confidence FROM sessions s")
# teams: m1 and m2 are team "platform", m3 in no team
TEAM = "CASE WHEN machine IN ('m1', 'm2') THEN 'platform' END"
chs.query("INSERT INTO lumo.team_members (machine, team) VALUES ('m1', 'platform'), ('m2', 'platform')")
SQLITE["team_daily"] = (
    "SELECT day, %s AS team, sum(requests) AS requests, count(DISTINCT machine) AS machines,"
    " sum(total_tokens) AS total_tokens, CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END"
    " AS cost_usd, sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens"
    " FROM buckets_local GROUP BY 1, 2" % TEAM)
SQLITE["teams"] = (
    "WITH s AS (%s) SELECT b.team, b.machines, t.sessions, b.requests, b.total_tokens, b.cost_usd, t.first_at, t.last_at"
    " FROM (SELECT %s AS team, count(DISTINCT machine) AS machines, sum(requests) AS requests,"
    " sum(total_tokens) AS total_tokens, CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END"
    " AS cost_usd FROM buckets_local GROUP BY 1) b LEFT JOIN (SELECT %s AS team, count(*) AS sessions,"
    " min(started_at) AS first_at, max(ended_at) AS last_at FROM s GROUP BY 1) t ON t.team IS b.team"
    % (SQLITE["sessions"], TEAM, TEAM))
SQLITE["machines"] = (
    "WITH s AS (%s) SELECT b.machine, t.sessions, b.requests, b.total_tokens, b.cost_usd, t.first_at, t.last_at"
    " FROM (SELECT machine, sum(requests) AS requests, sum(total_tokens) AS total_tokens,"
    " CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd"
    " FROM buckets_local GROUP BY machine) b LEFT JOIN (SELECT machine, count(*) AS sessions,"
    " min(started_at) AS first_at, max(ended_at) AS last_at FROM s GROUP BY machine) t ON t.machine = b.machine"
    % SQLITE["sessions"])

# efficiency_by_machine (ClickHouse's own): each machine's kept requests and sessions, and
# the active time its own lumo database gives (the runs of that machine's minutes alone)
own_secs = " UNION ALL ".join("SELECT '%s' AS machine, %r AS secs" % (m, sqlite_json(
    os.path.join(OUT, m + ".db"), "SELECT active_seconds FROM active_time")[0]["active_seconds"]) for m in ("m1", "m2", "m3"))
SQLITE["efficiency_by_machine"] = (
    "WITH s AS (%s), a AS (%s), t AS (SELECT machine, sum(cache_read_tokens) AS cr, sum(input_tokens + cache_read_tokens"
    " + cache_write_5m_tokens + cache_write_1h_tokens) AS prompt, total(cost_usd) AS usd, sum(CASE WHEN cost_usd IS NOT NULL"
    " THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens ELSE 0 END)"
    " AS priced FROM usage GROUP BY machine)"
    " SELECT t.machine, 1.0 * t.cr / nullif(t.prompt, 0) AS cache_hit_rate,"
    " t.usd / nullif((SELECT count(*) FROM s WHERE s.machine = t.machine), 0) AS cost_per_session,"
    " t.usd / nullif(a.secs / 3600.0, 0) AS cost_per_active_hour, 1000.0 * t.usd / nullif(t.priced, 0)"
    " AS cost_per_1k_tokens, a.secs / 3600.0 AS active_hours FROM t LEFT JOIN a ON a.machine = t.machine"
    % (SQLITE["sessions"], own_secs))


def same(a, b, column=None):
    if column == "models" and a and b:  # blocks: no order promised
        return sorted(a.split(",")) == sorted(b.split(","))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9
    return a == b


def compare(view, zone):
    want = sqlite_json(reference, SQLITE[view], tz=zone)
    got = ch("SELECT * FROM lumo.%s SETTINGS session_timezone = '%s', output_format_json_quote_64bit_integers = 0"
             % (view, zone))
    keyf = lambda r: tuple("" if r.get(k) is None else str(r.get(k)) for k in KEYS[view])  # noqa: E731
    want.sort(key=keyf)
    got.sort(key=keyf)
    bad = []
    if [keyf(r) for r in want] != [keyf(r) for r in got]:
        bad.append("rows: lumo %d, ClickHouse %d; first differing keys %r" % (
            len(want), len(got), sorted(set(map(keyf, want)) ^ set(map(keyf, got)))[:3]))
    else:
        for w, g in zip(want, got):
            if set(w) != set(g):
                bad.append("columns %r vs %r" % (sorted(w), sorted(g)))
                break
            for k in w:
                if not same(w[k], g[k], k):
                    bad.append("%r %s: lumo %r, ClickHouse %r" % (keyf(w), k, w[k], g[k]))
    c.eq("%s in %s: ClickHouse = lumo's view over lumo_merge, %d rows x %d columns" % (
        view, zone, len(want), len(want[0]) if want else 0), [], bad[:5])
    return len(want)


n_rows = 0
for zone in ZONES:
    for view in KEYS:
        n_rows += compare(view, zone)
c.eq("the views compared hold rows", True, n_rows > 100)
month_spent = sqlite_json(reference, "SELECT spent_usd FROM budgets WHERE name = 'budgeted-month'")[0]["spent_usd"]
c.eq("budgets: this month's spending holds m3's request of an hour ago", True, month_spent > 0)
chs.query("INSERT INTO lumo.budget_limits (name, period, amount_usd, machine) VALUES ('m3-month', 'month', 5, 'm3'),"
          " ('m1-month', 'month', 5, 'm1')")
got = {r["name"]: r["spent_usd"] for r in ch("SELECT name, spent_usd FROM lumo.budgets")}
c.eq("budgets by machine (ClickHouse only): m3's month = the budgeted project's, m1's = 0", (True, 0),
     (abs(got["m3-month"] - month_spent) < 1e-9, got["m1-month"]))

# ---------------------------------------------------------------- lumo push, against a stub
posted = []
PASSWORD = "s3cret-Pa55"


class Stub(http.server.BaseHTTPRequestHandler):
    fails = 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if Stub.fails:
            Stub.fails -= 1
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"try again")
            return
        posted.append((self.path, {k: self.headers.get(k) for k in ("X-ClickHouse-User", "X-ClickHouse-Key")}, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d/" % srv.server_address[1]
env = {"CLICKHOUSE_USER": "lumo", "CLICKHOUSE_PASSWORD": PASSWORD}
try:
    r = lumo("m2", "--db", os.path.join(OUT, "m2.db"), "--no-sync", "push", "--clickhouse", url, env=env)
    r2 = lumo("m2", "--db", os.path.join(OUT, "m2.db"), "--no-sync", "push", "--clickhouse", url, env=env)
finally:
    srv.shutdown()
import urllib.parse  # noqa: E402
queries = [urllib.parse.parse_qs(urllib.parse.urlsplit(p).query)["query"][0] for p, _, _ in posted]
c.eq("push: one INSERT ... FORMAT JSONEachRow per table and day, the 503 retried",
     True, len(posted) > 3 and all(q.startswith("INSERT INTO lumo.") and q.endswith(" FORMAT JSONEachRow") for q in queries))
c.eq("push: credentials in ClickHouse's headers", {("lumo", PASSWORD)},
     {(h.get("X-ClickHouse-User"), h.get("X-ClickHouse-Key")) for _, h, _ in posted})
c.eq("push: the password is never printed", False, PASSWORD in r.stdout + r.stderr + r2.stdout + r2.stderr)
c.eq("push again: nothing new, nothing posted", True, "0 rows in 0 INSERTs" in r2.stderr)
m2_rows = sum(len(v) for (m, t), v in rows.items() if m == "m2")
c.eq("push: every row of m2 posted once (as many as m2's CSV export)", m2_rows,
     sum(b.count(b"\n") for _, _, b in posted))
chs.query("CREATE DATABASE pushed")
ch_file_sql = open(os.path.join(ROOT, "views", "clickhouse", "00_tables.sql")).read().replace("lumo.", "pushed.")
for st in "\n".join(ln for ln in ch_file_sql.split("\n") if not ln.lstrip().startswith("--")).split(";\n"):
    if st.strip() and "CREATE DATABASE" not in st:
        chs.query(st)
for q, (_, _, body) in zip(queries, posted):
    chs.query(q.replace("lumo.", "pushed.") + "\n" + body.decode())
a = ch("SELECT key, version, cost_usd FROM pushed.usage FINAL ORDER BY key")
b = ch("SELECT key, version, cost_usd FROM lumo.usage FINAL WHERE machine = 'm2' ORDER BY key")
c.eq("push: the bodies, loaded into chdb, hold m2's rows as its export does (%d)" % len(b), b, a)
for bad, why in ((["--clickhouse", "ftp://x"], "want an http:// or https:// URL"), ([], "--clickhouse URL")):
    r = lumo("m2", "--db", os.path.join(OUT, "m2.db"), "--no-sync", "push", *bad, check=False)
    c.eq("push %s: exit 2, says %r" % (" ".join(bad) or "without --clickhouse", why), (2, True),
         (r.returncode, why in r.stderr))
r = lumo("m2", "--db", os.path.join(OUT, "m2.db"), "--no-sync", "push", "--full", "--clickhouse",
         "http://lumo:%s@127.0.0.1:9/" % PASSWORD, check=False)
c.eq("push to a closed port: exit 1, the URL shown without the password", (1, False, True),
     (r.returncode, PASSWORD in r.stderr, "127.0.0.1:9" in r.stderr))
c.done()
