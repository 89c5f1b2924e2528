"""check_statusline: `lumo statusline` (Claude Code's statusLine command) and `lumo today`
on a home written around the present moment, with expected values computed here by hand.

The input is the object Claude Code writes on stdin (its documented statusLine fields:
session_id, transcript_path, model {id, display_name}, workspace {current_dir}, cost),
built here for the fixture's session. The time zone is a fixed offset chosen so that
local time is about noon, so "today" holds everything of the last hours whenever the test
runs. claude-sonnet-4-5 costs $3 per million input tokens and $15 per million output
tokens (pricing spec, under 200k); claude-unknown-9 has no price.

  S1 (the session of the input): 15 requests, now-72 min ... now-2 min every 5 min, each
     1,000 in + 200 out = $0.003 + $0.003 = $0.006; session $0.09
  S2: now-40 min 2,000 out = $0.03; now-30 min claude-unknown-9 500 in (unpriced)
  S3: now-30 h, 1,000 out = $0.015 (yesterday: not today, another block)
Today: 17 requests, 2 sessions, $0.12 priced + 500 unpriced tokens -> "$0.12 + unpriced".
Active block: starts at now-72 min floored to the UTC hour, ends 5 h later; S1 and S2:
$0.12 + unpriced; its burn rate is unknown ($?/h: the priced part alone, $0.12 over the 70
minutes from its first to its last request = $0.10/h, would understate it). Rest: activity
every 5 minutes (under the 15-minute gap) since now-72 min:
Heads Up (60-120 min) with 72 minutes without a break."""
import datetime
import json
import os
import shutil
import subprocess
import time
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "statusline")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
CLAUDE = os.path.join(HOME, ".claude")
LUMO = os.path.join(ROOT, "scripts", "lumo")
DB = os.path.join(HOME, ".lumo", "lumo.db")
S = "claude-sonnet-4-5-20250929"
S1, S2, S3 = ("%s-0000-4000-8000-00000000000%d" % (8 * x, i) for i, x in ((1, "d"), (2, "e"), (3, "f")))
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
OFFSET = 12 - NOW.hour  # local time = UTC + OFFSET hours, about noon
TZ = "<%+03d>%d" % (OFFSET, -OFFSET)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def line(session, ts, msg, model, inp, out):
    return json.dumps({"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/home/u/proj",
                       "sessionId": session, "version": "2.1.39", "type": "assistant", "uuid": "u-" + msg,
                       "timestamp": iso(ts), "requestId": "req_" + msg,
                       "message": {"model": model, "id": "msg_" + msg, "type": "message", "role": "assistant",
                                   "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                                   "usage": {"input_tokens": inp, "cache_creation_input_tokens": 0,
                                             "cache_read_input_tokens": 0, "output_tokens": out}}})


m = datetime.timedelta(minutes=1)
FIRST = NOW - 72 * m
files = {S1: [line(S1, FIRST + 5 * k * m, "a%d" % k, S, 1000, 200) for k in range(15)],
         S2: [line(S2, NOW - 40 * m, "b1", S, 0, 2000), line(S2, NOW - 30 * m, "b2", "claude-unknown-9", 500, 0)],
         S3: [line(S3, NOW - 30 * 60 * m, "c1", S, 0, 1000)]}
proj = os.path.join(CLAUDE, "projects", "-home-u-proj")
os.makedirs(proj)
for sid, lines in files.items():
    with open(os.path.join(proj, sid + ".jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")

ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "NO_COLOR", "COLUMNS")}
ENV.update(HOME=HOME, LUMO_MACHINE="test", TZ=TZ)


def claude_input(sid):
    return json.dumps({"hook_event_name": "Status", "session_id": sid,
                       "transcript_path": os.path.join(proj, sid + ".jsonl"), "cwd": "/home/u/proj",
                       "model": {"id": "claude-opus-4-6", "display_name": "Opus"},
                       "workspace": {"current_dir": "/home/u/proj", "project_dir": "/home/u/proj"},
                       "version": "2.1.39", "output_style": {"name": "default"},
                       "cost": {"total_cost_usd": 0.42, "total_duration_ms": 180000, "total_api_duration_ms": 2300,
                                "total_lines_added": 156, "total_lines_removed": 23}})


def status(sid, *args, env=None):
    r = subprocess.run(["/usr/bin/python3", LUMO, "statusline"] + list(args), input=claude_input(sid),
                       capture_output=True, text=True, env=dict(ENV, **(env or {})), cwd=ROOT, timeout=60)
    return r.returncode, r.stdout, r.stderr


def wait_db(pred, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.2)
    return False


# --- a machine where no sync has run: a line at once, the first sync in the background
rc, out, err = status(S1, "--wait", "0", env={"NO_COLOR": "1"})
# (the line reads whatever the child has committed by then: nothing, the schema, or all)
c.eq("no database yet: exit 0, one line with the model, saying the first sync runs (or what it has synced)",
     [0, 1, True, True],
     [rc, len(out.splitlines()), out.startswith("Opus | "),
      any(x in out for x in ("first sync running", "session: no request synced yet", "session $0.09"))])
c.eq("the background sync created the database", True,
     wait_db(lambda: os.path.exists(os.path.join(HOME, ".lumo", "statusline.lock")) and
             "session $0.09" in status(S1, "--no-sync", env={"NO_COLOR": "1"})[1]))

# --- the line, by hand
block_start = FIRST.replace(minute=0, second=0)
block_end = block_start + datetime.timedelta(hours=5)


def left_texts():
    """The block's time left, as the line writes it, a minute either side of now."""
    out = set()
    for d in (-1, 0, 1):
        mins = int((block_end - datetime.datetime.now(datetime.timezone.utc)).total_seconds() // 60) + d
        out.add("%dh %02dm left" % (mins // 60, mins % 60))
    return out


rc, out, err = status(S1, "--wait", "5000", env={"NO_COLOR": "1"})
parts = out.strip().split(" | ")
c.eq("statusline for S1: model, session, today, block, rest", [0, "", 5, "Opus", "session $0.09", "today $0.12 + unpriced"],
     [rc, err, len(parts), parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None])
blk = parts[3] if len(parts) > 3 else ""
c.eq("block: $0.12 + unpriced (S2's unknown model), time left to start+5h, rate unknown ($?/h)", [True, True, True],
     [blk.startswith("block $0.12 + unpriced, "), any(t in blk for t in left_texts()), blk.endswith(" $?/h")])
rest = parts[4] if len(parts) > 4 else ""
c.eq("rest: Heads Up with 72 minutes (+-1) without a break", True,
     rest in ("Heads Up %d min without a break" % n for n in (71, 72, 73)))
rc, out, err = status(S2, "--no-sync", env={"NO_COLOR": "1"})
c.eq("a session with an unpriced request: its priced part + unpriced, never $0.00 alone", True,
     " | session $0.03 + unpriced | " in out)
rc, out, err = status(S1, "--no-sync")
c.eq("colours without NO_COLOR (model bold, level yellow), none with it", [True, True],
     ["\033[1mOpus\033[0m" in out and "\033[33mHeads Up\033[0m" in out,
      "\033[" not in status(S1, "--no-sync", env={"NO_COLOR": "1"})[1]])

# --- never blocks: past --timeout the cached line, marked
rc, good, err = status(S1, "--no-sync", env={"NO_COLOR": "1"})
rc, out, err = status(S1, "--no-sync", "--timeout", "0", env={"NO_COLOR": "1"})
c.eq("--timeout 0: the last line printed, marked cached", [0, good.strip() + " (cached: timed out)"], [rc, out.strip()])
rc, out, err = status(S1, "--no-sync", "--db", os.path.join(OUT, "nothing.db"), env={"NO_COLOR": "1"})
c.eq("--no-sync on a missing database: exit 0, says so", [0, "Opus | lumo: no database yet (lumo sync creates it)"],
     [rc, out.strip()])

# --- an appended request shows up: the sync of the session runs first
with open(os.path.join(proj, S1 + ".jsonl"), "a") as f:
    f.write(line(S1, NOW - m, "a99", S, 0, 4000) + "\n")  # $0.06
rc, out, err = status(S1, "--wait", "5000", env={"NO_COLOR": "1"})
c.eq("after an appended $0.06 request: session $0.15, today $0.18 + unpriced", True,
     " | session $0.15 | today $0.18 + unpriced | " in out)

# --- user mistakes: clear errors, exit 2
for args, msg in ((["--wait", "soon"], "--wait soon: not a number"), (["--colour"], "unknown option '--colour'"),
                  (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'")):
    rc, out, err = status(S1, *args)
    c.eq("statusline %s: exit 2, %r" % (" ".join(args), msg), [2, True], [rc, msg in err])
rc, out, err = status(S1, "--help")
c.eq("statusline --help: options and the settings.json example", [0, True, True],
     [rc, "--wait MS" in out, '"statusLine"' in out])

# --- lumo today on the same home (the database as the statusline left it)
r = subprocess.run(["/usr/bin/python3", LUMO, "today", "--json", "--no-sync"], capture_output=True, text=True,
                   env=ENV, cwd=ROOT)
d = json.loads(r.stdout) if r.returncode == 0 else {}
local_today = (NOW + datetime.timedelta(hours=OFFSET)).date().isoformat()
c.eq("today --json: day, 18 requests, 2 sessions, cost NULL, $0.18 priced, 500 unpriced tokens, heads_up",
     [local_today, 18, 2, None, 0.18, 500, "heads_up"],
     [d.get("day"), d.get("requests"), d.get("sessions"), d.get("cost_usd"), d.get("priced_cost_usd"),
      d.get("unpriced_tokens"), d.get("rest_level")])
c.eq("today --json: per model (sonnet 17 requests $0.18, unknown-9 1 request unpriced)",
     [[S, 17, 0.18], ["claude-unknown-9", 1, None]],
     [[x["model"], x["requests"], x["cost_usd"]] for x in d.get("models", [])])
r = subprocess.run(["/usr/bin/python3", LUMO, "today", "--no-sync"], capture_output=True, text=True, env=ENV, cwd=ROOT)
c.eq("today table: labelled, the cost with its unpriced tokens, the rest level", [0, True, True, True],
     [r.returncode, r.stdout.startswith("Today: all agents, %s; so far (%s)" % (local_today, TZ)),
      "$0.18 + unpriced (500 tokens)" in r.stdout, "Heads Up, 7" in r.stdout])

# --- lumo watch: a notice when the rest level changes (the settings move the thresholds)
p = subprocess.Popen(["/usr/bin/python3", LUMO, "watch", "--interval", "0.5", "--count", "3"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
first = p.stdout.readline()
subprocess.run(["sqlite3", DB, "INSERT OR REPLACE INTO lumo_settings (key, value) VALUES ('rest_break_minutes', '70')"],
               check=True)
rest_out = first + p.stdout.read()
p.wait()
c.eq("watch: the level change Heads Up -> Take a Break is announced once", [0, 1],
     [p.returncode, rest_out.count("lumo: rest level Heads Up -> Take a Break at ")])
c.done()
