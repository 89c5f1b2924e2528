"""check_cli: scripts/lumo as a user types it. Every bad input is an error with a non-zero
exit and a message naming it; local days follow --timezone, checked on a hand-made fixture
whose rows were placed around local midnight in Asia/Kathmandu (UTC+05:45) and counted by
hand (below); --project works on daily; a closed pipe is quiet; a read command never
creates a database.

The fixture (claude-sonnet-4-5 output costs $15 per million tokens; claude-unknown-9 has
no price):
  session k1 aaaaaaaa-..., cwd /home/u/kathmandu:
    A 2026-11-09T18:10Z out 100 = 23:55 Nov 9 in Kathmandu
    C 2026-11-10T17:00Z out 400 = 22:45 Nov 10
    D 2026-11-10T18:30Z out 800 = 00:15 Nov 11
  session k2 bbbbbbbb-..., cwd /home/u/kathmandu:
    B 2026-11-09T18:20Z out 200 = 00:05 Nov 10
  session o1 cccccccc-..., cwd /home/u/other:
    F 2026-11-10T10:00Z in 1000, claude-unknown-9 (unpriced) = 15:45 Nov 10
    E 2026-11-10T12:00Z out 1600 = 17:45 Nov 10
Kathmandu: Nov 9 = A; Nov 10 = B C E F (4 requests, 3,200 tokens, $0.033 priced + 1,000
unpriced tokens); Nov 11 = D. UTC: Nov 9 = A B; Nov 10 = C D E F. Project kathmandu on
Nov 10 in Kathmandu = B C (600 tokens, $0.009)."""
import glob
import json
import os
import shutil
import subprocess
import sys
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "cli")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
CLAUDE = os.path.join(HOME, ".claude")
LUMO = [os.path.join(ROOT, "scripts", "lumo")]
PY = "/usr/bin/python3"
DB = os.path.join(OUT, "lumo.db")


def line(session, cwd, ts, msg, model, inp, out):
    return json.dumps({"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": cwd,
                       "sessionId": session, "version": "2.1.39", "gitBranch": "main", "type": "assistant",
                       "uuid": "u-" + msg, "timestamp": ts, "requestId": "req_" + msg,
                       "message": {"model": model, "id": "msg_" + msg, "type": "message", "role": "assistant",
                                   "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                                   "usage": {"input_tokens": inp, "cache_creation_input_tokens": 0,
                                             "cache_read_input_tokens": 0, "output_tokens": out}}})


S = "claude-sonnet-4-5-20250929"
K1, K2, O1 = ("%s-0000-4000-8000-000000000001" % (8 * x) for x in "abc")
files = {
    ("-home-u-kathmandu", K1): [line(K1, "/home/u/kathmandu", "2026-11-09T18:10:00.000Z", "A", S, 0, 100),
                                line(K1, "/home/u/kathmandu", "2026-11-10T17:00:00.000Z", "C", S, 0, 400),
                                line(K1, "/home/u/kathmandu", "2026-11-10T18:30:00.000Z", "D", S, 0, 800)],
    ("-home-u-kathmandu", K2): [line(K2, "/home/u/kathmandu", "2026-11-09T18:20:00.000Z", "B", S, 0, 200)],
    ("-home-u-other", O1): [line(O1, "/home/u/other", "2026-11-10T10:00:00.000Z", "F", "claude-unknown-9", 1000, 0),
                            line(O1, "/home/u/other", "2026-11-10T12:00:00.000Z", "E", S, 0, 1600)],
}
for (proj, sid), lines in files.items():
    os.makedirs(os.path.join(CLAUDE, "projects", proj), exist_ok=True)
    with open(os.path.join(CLAUDE, "projects", proj, sid + ".jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")

# A home of its own: nothing of the machine's agents, no variables but the test's.
ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "TZ", "COLUMNS")}
ENV.update(HOME=HOME, LUMO_MACHINE="test", TZ="UTC")


def lumo(*args, env=None, py=PY):
    r = subprocess.run([py] + LUMO + list(args), capture_output=True, text=True, cwd=ROOT,
                       env=dict(ENV, **(env or {})))
    return r.returncode, r.stdout, r.stderr


def js(*args, **kw):
    rc, out, err = lumo(*args, **kw)
    if rc:
        print("lumo %s: exit %d: %s" % (" ".join(args), rc, err))
        return None
    return json.loads(out)


# --- sync, explicit roots and agent homes
rc, out, err = lumo("sync", "--db", DB, "--claude", CLAUDE, "-q")
c.eq("sync --claude DIR exits 0", [0, ""], [rc, err])
c.eq("sync --claude: exactly the fixture's six requests", 6,
     len(js("report", "usage_local", "--json", "--db", DB, "--no-sync") or []))
rc, out, err = lumo("sync", "--db", os.path.join(OUT, "x.db"), "--codex", os.path.join(OUT, "nowhere"))
c.eq("sync --codex MISSING: exit 2, names the path and the option, creates nothing",
     [2, True, True, False], [rc, os.path.join(OUT, "nowhere") in err, "--codex" in err,
                              os.path.exists(os.path.join(OUT, "x.db"))])
rc, out, err = lumo("sync", "--db", os.path.join(OUT, "x.db"), "--codex", HOME)
c.eq("sync --codex DIR without transcripts: exit 2, says so", [2, True], [rc, "no transcripts" in err and HOME in err])
rc, out, err = lumo("sync", "--db", os.path.join(OUT, "y.db"), "-q", env={"CLAUDE_CONFIG_DIR": os.path.join(OUT, "typo")})
c.eq("CLAUDE_CONFIG_DIR pointing nowhere: a warning naming it and the path, exit 1",
     [1, True, True], [rc, "$CLAUDE_CONFIG_DIR" in err, os.path.join(OUT, "typo") in err])
demo = os.path.join(ROOT, "examples", "demo-home")
gdb = os.path.join(OUT, "gemini.db")
rc, out, err = lumo("sync", "--db", gdb, "-q", env={"GEMINI_DATA_DIR": os.path.join(demo, ".gemini", "tmp"),
                                                   "CLAUDE_CONFIG_DIR": CLAUDE})
got = js("report", "models", "--json", "--db", gdb, "--no-sync") or []
c.eq("GEMINI_DATA_DIR (gemini's tmp/) is read, with the other agents' variables", [0, ["claude", "gemini"]],
     [rc, sorted({m["agent"] for m in got})])
rc, out, err = lumo("sync", "--db", DB, "--gemini", os.path.join(demo, ".gemini"), "-q")
c.eq("sync --gemini alone syncs gemini only (claude rows unchanged)", [0, 6],
     [rc, sum(1 for r in js("report", "usage_local", "--json", "--db", DB, "--no-sync") or [] if r["agent"] == "claude")])
subprocess.run(["sqlite3", DB, "DELETE FROM usage WHERE agent = 'gemini'"], check=True)  # back to the fixture

# --- errors: exit status and message
cases = [
    (["daily", "--timezone", "Europe/Berln"], 2, "unknown time zone 'Europe/Berln'", "did you mean 'Europe/Berlin'"),
    (["daily", "--since", "12/30/2025"], 2, "--since 12/30/2025: not a date", "YYYYMMDD"),
    (["daily", "--until", "2026-13-01"], 2, "--until 2026-13-01", "month must be in 1..12"),
    (["daily", "--since", "20261110", "--until", "20261101"], 2, "--since 2026-11-10 is after --until 2026-11-01", ""),
    (["dayly"], 2, "unknown command 'dayly'", "did you mean 'daily'"),
    (["report", "dayly"], 2, "no view 'dayly'", "did you mean 'daily'"),
    (["report", "sessions", "--since", "2026-11-10", "--project", "x", "--breakdown"], 2, "unrecognized arguments", ""),
    (["report", "models", "--since", "2026-11-10"], 2, "view models has no day or time column", ""),
]
for args, code, msg, hint in cases:
    rc, out, err = lumo(*(args + ["--db", DB, "--no-sync"]))
    c.eq("lumo %s: exit %d, %r" % (" ".join(args), code, msg), [code, True, True], [rc, msg in err, hint in err])
# the option parser (a table, not argparse): values, forms, and its mistakes
for args, msg in ((["daily", "--order", "sideways"], "--order sideways: choose asc or desc"),
                  (["watch", "--interval", "soon"], "--interval soon: not a number"),
                  (["watch", "--count", "1.5"], "--count 1.5: not a whole number"),
                  (["daily", "--since"], "--since needs a value"),
                  (["daily", "--json=yes"], "--json takes no value"),
                  (["daily", "--jsn"], "unrecognized arguments: --jsn; did you mean '--json'?"),
                  (["--breakdown", "daily"], "--breakdown before a command (it is an option of daily, weekly, monthly"),
                  (["report"], "report: which view?"),
                  (["views", "extra"], "unrecognized arguments: extra")):
    rc, out, err = lumo(*(args + ["--db", DB, "--no-sync"] if args[0] != "views" else args + ["--db", DB]))
    c.eq("lumo %s: exit 2, %r" % (" ".join(args), msg), [2, True], [rc, msg in err])
rc, out, err = lumo()
c.eq("lumo alone: the commands listed, exit 2", [2, True, True], [rc, "commands:" in out, "no command given" in err])
a = js("daily", "--json", "--since=-30000d", "--until", "today", "--db", DB, "--no-sync", "-zUTC")
b = js("daily", "-j", "-s", "-30000d", "-u", "today", "--db=" + DB, "--no-sync", "--timezone=UTC")
c.eq("--opt=value, -oVALUE and -o VALUE forms give the same report", [True, 2], [a == b, len(a or [])])
rc, out, err = lumo("daily", "--db", DB, "--no-sync", env={"TZ": "Mars/Olympus"})
c.eq("a bad $TZ is an error naming $TZ", [2, True], [rc, "'Mars/Olympus' (from $TZ" in err])
missing = os.path.join(OUT, "missing", "lumo.db")
for args in (["daily", "--db", missing], ["report", "daily", "--db", missing], ["--db", missing, "today"],
             ["dashboard", "--db", missing, "--no-sync"], ["views", "--db", missing]):
    rc, out, err = lumo(*args)
    c.eq("lumo %s on a missing database: exit 2, no file created" % args[0], [2, True, False],
         [rc, "no lumo database at " + missing in err, os.path.exists(missing) or os.path.exists(os.path.dirname(missing))])
notlumo = os.path.join(OUT, "other.db")
subprocess.run(["sqlite3", notlumo, "CREATE TABLE t(x)"], check=True)
rc, out, err = lumo("daily", "--db", notlumo, "--no-sync")
c.eq("a database that is not lumo's: exit 2, says so", [2, True], [rc, "not a lumo database" in err])

# --db before or after the verb, $LUMO_DB
a = js("--db", DB, "daily", "--json", "--no-sync")
b = js("daily", "--json", "--db", DB, "--no-sync")
d = js("daily", "--json", "--no-sync", env={"LUMO_DB": DB})
c.eq("--db before the verb = after it = $LUMO_DB", [True, True], [a == b and a is not None, a == d])

# --- local days: the fixture by hand
K = ["--db", DB, "--no-sync", "--timezone", "Asia/Kathmandu"]
got = js("daily", "--json", *K)
c.eq("daily in Kathmandu: days and requests", [("2026-11-09", 1), ("2026-11-10", 4), ("2026-11-11", 1)],
     [(r["day"], r["requests"]) for r in got or []])
nov10 = [r for r in got or [] if r["day"] == "2026-11-10"]
c.eq("Nov 10 in Kathmandu: tokens, priced cost, unpriced tokens, cost NULL",
     [3200, 0.033, 1000, None], [nov10[0][k] for k in ("total_tokens", "priced_cost_usd", "unpriced_tokens", "cost_usd")]
     if nov10 else None)
got = js("daily", "--json", "--db", DB, "--no-sync", "--timezone", "UTC")
c.eq("daily in UTC: days and requests", [("2026-11-09", 2), ("2026-11-10", 4)], [(r["day"], r["requests"]) for r in got or []])
for form in (["--since", "2026-11-10", "--until", "2026-11-10"], ["--since", "20261110", "--until", "20261110"]):
    got = js("daily", "--json", *(K + form))
    c.eq("daily %s in Kathmandu: local day, not UTC instants" % " ".join(form), [["2026-11-10", 4, 2200]],
         [[r["day"], r["requests"], r["output_tokens"]] for r in got or []])
got = js("session", "--json", "--since", "2026-11-10", "--until", "2026-11-10", *K)
c.eq("session --since/--until: sessions started that local day (k2 at 00:05, o1)", sorted([K2, O1]),
     sorted(r["session_id"] for r in got or []))
got = js("session", "--json", "--since", "2026-11-10", "--until", "2026-11-10", "--db", DB, "--no-sync", "--timezone", "UTC")
c.eq("the same in UTC: o1 only (k2 started Nov 9 18:20Z)", [O1], [r["session_id"] for r in got or []])
# relative days, from today's date in the zone computed here with zoneinfo
import datetime
import zoneinfo
tk = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Kathmandu")).date()
n = (tk - datetime.date(2026, 11, 10)).days
if n >= 0:
    got = js("daily", "--json", "--since", "-%dd" % n, "--until", "-%dd" % n, *K)
    c.eq("--since/--until -%dd = 2026-11-10 in Kathmandu" % n, [["2026-11-10", 4]], [[r["day"], r["requests"]] for r in got or []])
for word, day in (("today", tk), ("yesterday", tk - datetime.timedelta(days=1))):
    rc, out, err = lumo("daily", "--since", word, "--until", word, *K)
    c.eq("--since %s is %s in Kathmandu, an empty period said so" % (word, day), [0, True, True],
         [rc, "; %s (Asia/Kathmandu)" % day.isoformat() in out, "no data in this period" in out])

# --- --project on daily (the README example's form), and its absence said
got = js("daily", "--json", "--project", "kathmandu", "--since", "2026-11-10", "--until", "2026-11-10", *K)
c.eq("daily --project kathmandu on Nov 10 in Kathmandu: B and C", [["2026-11-10", 2, 600, 0.009]],
     [[r["day"], r["requests"], r["total_tokens"], r["cost_usd"]] for r in got or []])
rc, out, err = lumo("report", "daily", "--csv", "--since", "2026-11-10", "--project", "kathmandu", *K)
rows = [x.split(",") for x in out.splitlines()]
c.eq("report daily --csv --project: the daily view's columns, rows of the project only",
     [0, "day,agent,model,requests", [["2026-11-10", "2"], ["2026-11-11", "1"]]],
     [rc, out.split(",cost")[0].split(",input")[0], [[r[0], r[3]] for r in rows[1:]]])
rc, out, err = lumo("report", "daily", "--csv", "--project", "lumo", *K)
c.eq("--project with no such project: header only, the known names on stderr", [0, 1, True],
     [rc, len(out.splitlines()), "no project named 'lumo'" in err])
rc, out, err = lumo("daily", "--json", "--project", "lumo", *K)
c.eq("daily --json with no rows is []", [0, []], [rc, json.loads(out) if rc == 0 else None])

# --- tables: 80 columns, separators, totals, unpriced never $0.00
rc, out, err = lumo("daily", *K)
c.eq("daily table: fits 80 columns, a totals row, the unpriced tokens named", [0, True, True, True],
     [rc, max(len(x) for x in out.splitlines()) <= 80, "| Total" in out, "$0.03 + unpriced (1.0K tokens)" in out])
rc, out, err = lumo("daily", "--breakdown", *K)
c.eq("daily --breakdown: a row per agent/model", [0, True], [rc, "claude/claude-unknown-9" in out])
rc, out, err = lumo("daily", *K, env={"COLUMNS": "50"})
c.eq("a 50-column terminal: a compact table", [0, True], [rc, max(len(x) for x in out.splitlines()) <= 50])
rc, out, err = lumo("session", *K)
o1 = [x for x in out.splitlines() if O1[:8] in x]
c.eq("session table: the session with an unpriced request is 'unpriced', not $0.00", [0, True, False],
     [rc, bool(o1) and "unpriced" in o1[0], bool(o1) and "$0.00" in o1[0]])

# --- JSON: costs rounded to 6 decimals; dashboard valid with a request that has no model
got = js("daily", "--json", "--timezone", "UTC", "--db", DB, "--no-sync")
c.eq("JSON costs have at most 6 decimals", True,
     all(len(repr(r["priced_cost_usd"]).split(".")[-1]) <= 6 for r in got or [{"priced_cost_usd": 1e-9}]))
nomodel = os.path.join(OUT, "nomodel.db")
shutil.copy(DB, nomodel)
subprocess.run(["sqlite3", nomodel, "INSERT INTO usage (key, agent, machine, session_id, timestamp, model, input_tokens,"
                " output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, rank_total, rank_has_speed,"
                " rank_mtime_ns) VALUES ('nm', 'claude', 'test', 'nm', '2026-11-10T11:00:00.000Z', NULL, 5, 5, 0, 0, 0, 10, 0, 0)"],
               check=True)
rc, out, err = lumo("dashboard", "--json", "--db", nomodel, "--no-sync")
try:
    dash = json.loads(out)
except ValueError:
    dash = None
c.eq("dashboard --json with a request without a model: valid JSON, the model named (no model)", [0, True],
     [rc, dash is not None and any(m["model"] == "(no model)" for m in dash["models"]["rows"])])
rc, out, err = lumo("dashboard", "--db", DB, "--no-sync", "--timezone", "Asia/Kathmandu")
heads = [x for x in out.splitlines() if x and not x.startswith(("|", "+", " ", "no data"))]
c.eq("dashboard: every section labelled with agents, period and zone; no empty section", [0, 9, True],
     [rc, len(heads), all("; " in h and "(Asia/Kathmandu)" in h for h in heads)])
c.eq("dashboard: sections without rows say so (no telemetry in the fixture)", True,
     "Telemetry (OTLP): claude (Claude Code telemetry); all time (Asia/Kathmandu)\nno data in this period" in out)

# --- today: the day's own numbers (none in the fixture: it is in the past)
got = js("today", "--json", *K)
c.eq("today --json: today's date in the zone, zero requests, rest level present", [tk.isoformat(), 0, True],
     [got and got["day"], got and got["requests"], got is not None and "rest_level" in got])
rc, out, err = lumo("watch", "--count", "1", "--interval", "0.1", *K)
c.eq("watch --count 1 prints today once", [0, 1], [rc, out.count("Today:")])

# --- a closed pipe is quiet
p = subprocess.Popen([PY] + LUMO + ["report", "usage_local", *K], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     cwd=ROOT, env=ENV)
p.stdout.close()
err = p.stderr.read().decode()
p.wait()
c.eq("output into a closed pipe: exit 0, nothing on stderr", [0, ""], [p.returncode, err])

# --- --help describes every option with an example
for verb in ("daily", "session", "blocks", "sync", "report", "watch", "statusline"):
    rc, out, err = lumo(verb, "--help")
    entries, cur = [], None
    for x in out.split("options:")[-1].splitlines():
        if x.startswith("  -"):
            cur = [x]
            entries.append(cur)
        elif cur is not None and x.startswith("    "):
            cur.append(x)
        else:
            cur = None
    entries = [" ".join(e) for e in entries if "--help" not in e[0]]
    valued = [e for e in entries if any(t.isupper() for t in e.split("  ")[0].replace(",", " ").split())]
    c.eq("%s --help: each of %d options described, each taking a value with an example (e.g.), a usage example"
         % (verb, len(entries)), [0, True, [], True],
         [rc, len(entries) > 3 and all(len(e.split()) > 4 for e in entries), [e for e in valued if "e.g." not in e],
          "example:" in out and "lumo %s" % verb in out])

# --- the pyenv-like python (no load_extension) still syncs, through the sqlite3 shell
rc, out, err = lumo("sync", "--db", os.path.join(OUT, "shell.db"), "--claude", CLAUDE, "-q", py="python3")
c.eq("sync from a python whose sqlite3 cannot load extensions", 0, rc)

# --- retention: Claude Code's cleanupPeriodDays, what it deletes next, and whether lumo has it
import time as _time
rc, out, err = lumo("doctor", "--db", DB)
c.eq("doctor without settings.json: cleanupPeriodDays 30 by default, nothing due in 7 days", [True, True],
     ["keeps transcripts 30 days (cleanupPeriodDays, the default;" in out,
      "none of %s is due in the next 7 days" % CLAUDE in out])
with open(os.path.join(CLAUDE, "settings.json"), "w") as f:
    json.dump({"cleanupPeriodDays": 10, "model": "sonnet"}, f)
k1 = os.path.join(CLAUDE, "projects", "-home-u-kathmandu", K1 + ".jsonl")
k2 = os.path.join(CLAUDE, "projects", "-home-u-kathmandu", K2 + ".jsonl")
old = _time.time() - 5 * 86400  # due within 7 days of a 10-day period (older than 3 days)
os.utime(k1, (old, old))
os.utime(k2, (_time.time() - 2 * 86400,) * 2)  # not due: 2 days old
rc, out, err = lumo("doctor", "--db", DB)
due_day = _time.strftime("%Y-%m-%d", _time.localtime(old))
want = ("warn Claude Code keeps transcripts 10 days (cleanupPeriodDays, %s): in the next 7 days it deletes 1 file(s)"
        " of %s, last written on 1 day(s), %s; 1 of them not (as they are now) in the lumo database" % (
            os.path.join(CLAUDE, "settings.json"), CLAUDE, due_day))
c.eq("doctor: cleanupPeriodDays 10 read, the one file due named by day, not in the database as it is now",
     [True, rc], [want in out, 0])
rc, out, err = lumo("sync", "--db", DB, "--claude", CLAUDE)
c.eq("sync says what goes next and that it is in the database now", [0, True],
     [rc, "deletes 1 file(s) of %s, last written on 1 day(s), %s; all of them are in the lumo database" % (CLAUDE, due_day)
      in out])
rc, out, err = lumo("doctor", "--db", DB)
c.eq("doctor after the sync: ok", True, "ok   Claude Code keeps transcripts 10 days" in out)
with open(os.path.join(CLAUDE, "settings.json"), "w") as f:
    json.dump({"cleanupPeriodDays": "ten"}, f)
rc, out, err = lumo("doctor", "--db", DB)
c.eq("a cleanupPeriodDays that is not a number: said, 30 assumed", True,
     "cleanupPeriodDays in %s is 'ten', not a number of days: assuming 30" % os.path.join(CLAUDE, "settings.json") in out)
os.unlink(os.path.join(CLAUDE, "settings.json"))

# --- cron on a day without data: valid empty CSV (the header) and JSON ([]), and the mail says so
reports = os.path.join(OUT, "reports")
r = subprocess.run(["sh", "examples/cron/daily-report.sh", "2026-11-12"], capture_output=True, text=True, cwd=ROOT,
                   env=dict(ENV, LUMO_DB=DB, LUMO_REPORTS=reports))
csv_text = open(os.path.join(reports, "daily-2026-11-12.csv")).read()
c.eq("cron report on a day without usage: exit 0, CSV header only, JSON [], the mail says no usage",
     [0, 1, True, [], True],
     [r.returncode, len(csv_text.splitlines()), csv_text.startswith("day,agent,model,requests"),
      json.load(open(os.path.join(reports, "daily-2026-11-12.json"))), "no usage on 2026-11-12" in r.stdout])

# --- make install / uninstall into a scratch PREFIX: lumo finds the extension, the sqlite3
# shell's `.load lumo` too (library path), uninstall removes exactly the two files
prefix = os.path.join(OUT, "prefix")
r = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix], capture_output=True, text=True, cwd=ROOT)
files = sorted(os.path.relpath(os.path.join(d, f), prefix) for d, _, fs in os.walk(prefix) for f in fs)
mods = sorted(os.path.basename(m)[:-3] for m in glob.glob(os.path.join(ROOT, "scripts", "lumo_*.py")))
c.eq("make install: bin/lumo, lib/lumo/ with the command's modules %s (and their bytecode) and lib/lumo.so"
     % ", ".join(mods),
     [0, sorted(["bin/lumo", "lib/lumo.so"] + ["lib/lumo/__pycache__/%s.cpython-%d%d.pyc" % ((m,) + sys.version_info[:2])
                                              for m in mods] + ["lib/lumo/%s.py" % m for m in mods])],
     [r.returncode, files])
r = subprocess.run([PY, os.path.join(prefix, "bin", "lumo"), "sync", "--db", os.path.join(OUT, "inst.db"), "--claude",
                    CLAUDE, "-q"], capture_output=True, text=True, env=dict(ENV, LUMO_EXTENSION=""))
c.eq("the installed lumo syncs with the installed extension", [0, ""], [r.returncode, r.stderr])
r = subprocess.run(["sqlite3", ":memory:", ".load lumo", "SELECT lumo_model('claude-sonnet-4-5-20250929') IS NOT NULL"],
                   capture_output=True, text=True, env=dict(ENV, LD_LIBRARY_PATH=os.path.join(prefix, "lib")), cwd=OUT)
c.eq("sqlite3 shell: .load lumo finds the installed extension", [0, "1"], [r.returncode, r.stdout.strip()])
r = subprocess.run(["make", "-s", "uninstall", "PREFIX=" + prefix], capture_output=True, text=True, cwd=ROOT)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(prefix) for f in fs)
c.eq("make uninstall removes them (and the module's bytecode and directory)", [0, [], False],
     [r.returncode, files, os.path.exists(os.path.join(prefix, "lib", "lumo"))])
c.done()
