"""check_plan_limits: plan limits in `lumo today`, `lumo blocks` and `lumo statusline` (issue
19 point 5), on a home written around the present moment; every expected value is worked
out here by hand. The time zone is a fixed offset that puts local time near noon.

Codex (a rollout written as Codex CLI writes them; token_count events with info null bill
nothing, so the blocks stay Claude's):
  now-50 min  limit codex, plan plus: primary 30 % of 300 min, resets now+2h10m30s;
              secondary 12.5 % of 10080 min, resets now+3d4h0m30s
  now-20 min  the same, primary at 42 %
  now-15 min  limit premium, plan plus: primary 80 % of 300 min, resets now-10 min (passed)
Shown: codex (plus) 5h 42 % used, resets in 2h 10m (130 whole minutes); 7d 12.5 %, resets
in 3d 4h (4,560 minutes); codex/premium 5h "reset" (never its stale 80 %).

Claude (claude-sonnet-4-5: $3 per million input tokens, $15 per million output):
  P1, 3 days ago 10:05 and 10:35 UTC: 2 x (50,000 in + 10,000 out) = 120,000 tokens, $0.60
  P2, 2 days ago 10:05 UTC: 100,000 in + 100,000 out = 200,000 tokens, $1.80
  active, now-60 min 10,000 + 10,000 ($0.18) and now-10 min 30,000 + 30,000 ($0.54):
     80,000 tokens, $0.72; 50 minutes from first to last: 1,600 tokens/min, $0.864/h
ccusage's rule: max = the largest completed block = P2 (200,000 tokens, $1.80); the active
block's share 40.0 %, remaining 120,000 (60.0 %); projected = 80,000 + 1,600 x R tokens and
$0.72 + $0.0144 x R, R the whole minutes to the block end (block start = the first request
floored to the hour: 180 <= R <= 240), so against 200,000 it exceeds and against
1,000,000 it is ok (at most 464,000 = 46.4 %)."""
import datetime
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "plan_limits")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
CLAUDE = os.path.join(HOME, ".claude")
CODEX = os.path.join(HOME, ".codex")
LUMO = os.path.join(ROOT, "scripts", "lumo")
S = "claude-sonnet-4-5-20250929"
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
OFFSET = 12 - NOW.hour
TZ = "<%+03d>%d" % (OFFSET, -OFFSET)
m = datetime.timedelta(minutes=1)
d = datetime.timedelta(days=1)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def local(t):
    return t + datetime.timedelta(hours=OFFSET)


def claude_line(sid, ts, msg, inp, out):
    return json.dumps({"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/home/u/proj",
                       "sessionId": sid, "version": "2.1.39", "type": "assistant", "uuid": "u-" + msg,
                       "timestamp": iso(ts), "requestId": "req_" + msg,
                       "message": {"model": S, "id": "msg_" + msg, "type": "message", "role": "assistant",
                                   "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                                   "usage": {"input_tokens": inp, "cache_creation_input_tokens": 0,
                                             "cache_read_input_tokens": 0, "output_tokens": out}}})


day3 = (NOW - 3 * d).replace(hour=10, minute=5, second=0)
day2 = (NOW - 2 * d).replace(hour=10, minute=5, second=0)
FIRST, LAST = NOW - 60 * m, NOW - 10 * m
sessions = {"a1": [claude_line("a1", day3, "p1a", 50000, 10000), claude_line("a1", day3 + 30 * m, "p1b", 50000, 10000)],
            "a2": [claude_line("a2", day2, "p2", 100000, 100000)],
            "a3": [claude_line("a3", FIRST, "x1", 10000, 10000), claude_line("a3", LAST, "x2", 30000, 30000)]}
proj = os.path.join(CLAUDE, "projects", "-home-u-proj")
os.makedirs(proj)
for sid, lines in sessions.items():
    with open(os.path.join(proj, "%s-0000-4000-8000-000000000000.jsonl" % (sid * 4)), "w") as f:
        f.write("\n".join(lines) + "\n")

R5 = int((NOW + 130 * m + datetime.timedelta(seconds=30)).timestamp())
R7 = int((NOW + 3 * d + 240 * m + datetime.timedelta(seconds=30)).timestamp())
RP = int((NOW - 10 * m).timestamp())


def token_count(ts, limit_id, primary, secondary=None):
    return json.dumps({"timestamp": iso(ts), "type": "event_msg", "payload": {
        "type": "token_count", "info": None,
        "rate_limits": {"limit_id": limit_id, "limit_name": None, "plan_type": "plus", "primary": primary,
                        "secondary": secondary, "credits": None}}})


THREAD = "019fc8be-3658-7ca3-9e29-00000000abcd"
start = NOW - 55 * m
rollout = os.path.join(CODEX, "sessions", start.strftime("%Y/%m/%d"),
                       "rollout-%s-%s.jsonl" % (start.strftime("%Y-%m-%dT%H-%M-%S"), THREAD))
os.makedirs(os.path.dirname(rollout))
with open(rollout, "w") as f:
    f.write("\n".join([
        json.dumps({"timestamp": iso(start), "type": "session_meta",
                    "payload": {"id": THREAD, "timestamp": iso(start), "cwd": "/home/u/proj",
                                "originator": "codex_cli_rs", "cli_version": "0.146.0", "source": "cli"}}),
        json.dumps({"timestamp": iso(start), "type": "turn_context",
                    "payload": {"cwd": "/home/u/proj", "model": "gpt-5.1-codex", "approval_policy": "never"}}),
        token_count(NOW - 50 * m, "codex", {"used_percent": 30.0, "window_minutes": 300, "resets_at": R5},
                    {"used_percent": 12.5, "window_minutes": 10080, "resets_at": R7}),
        token_count(NOW - 20 * m, "codex", {"used_percent": 42.0, "window_minutes": 300, "resets_at": R5},
                    {"used_percent": 12.5, "window_minutes": 10080, "resets_at": R7}),
        token_count(NOW - 15 * m, "premium", {"used_percent": 80.0, "window_minutes": 300, "resets_at": RP})]) + "\n")

ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "NO_COLOR", "COLUMNS")}
ENV.update(HOME=HOME, LUMO_MACHINE="test", TZ=TZ, NO_COLOR="1", COLUMNS="200")


def lumo(*args, stdin=None):
    r = subprocess.run(["/usr/bin/python3", LUMO] + list(args), input=stdin, capture_output=True, text=True,
                       env=ENV, cwd=ROOT, timeout=120)
    return r.returncode, r.stdout, r.stderr


def statusline():
    return lumo("statusline", "--no-sync", stdin=json.dumps({
        "session_id": "a3a3a3a3-0000-4000-8000-000000000000", "model": {"id": "claude-opus-4-6", "display_name": "Opus"},
        "transcript_path": os.path.join(proj, "a3a3a3a3-0000-4000-8000-000000000000.jsonl")}))


# --- Claude only first: no plan limit anywhere
rc, out, err = lumo("sync", "--claude", CLAUDE, "-q")
c.eq("sync of Claude alone", [0, ""], [rc, err])
rc, out, err = lumo("today", "--no-sync")
c.eq("today without any Codex window: no limits line", [0, False], [rc, "limits" in out])
rc, js, err = lumo("today", "--no-sync", "--json")
c.eq("today --json without windows: plan_limits []", [], json.loads(js).get("plan_limits") if rc == 0 else None)
rc, out, err = lumo("blocks", "--no-sync")
c.eq("blocks without windows: no plan limit line", [0, False], [rc, "plan limit" in out])
rc, out, err = statusline()
c.eq("statusline without windows: model, session, today, block, rest; nothing about Codex", [0, 5, False],
     [rc, len(out.strip().split(" | ")), "codex" in out])

# --- with Codex's windows
rc, out, err = lumo("sync", "-q")
c.eq("sync of every home", [0, ""], [rc, err])
reset5, reset7, resetp = (local(datetime.datetime.fromtimestamp(x, datetime.timezone.utc)) for x in (R5, R7, RP))
codex_line = ("codex (plus): 5h 42%% used, resets %s (in 2h 10m); 7d 12.5%% used, resets %s (in 3d 4h)"
              % (reset5.strftime("%H:%M"), reset7.strftime("%Y-%m-%d %H:%M")))
premium_line = "codex/premium (plus): 5h reset at %s (a new window since)" % resetp.strftime("%H:%M")
rc, out, err = lumo("today", "--no-sync")
c.eq("today: a limits line per limit, local reset times, the passed window as reset",
     [0, ["  limits    " + codex_line, "  limits    " + premium_line]],
     [rc, [x for x in out.splitlines() if x.startswith("  limits")]])
rc, js, err = lumo("today", "--no-sync", "--json")
pl = json.loads(js).get("plan_limits", []) if rc == 0 else []
c.eq("today --json: the three windows with share, length, reset and has_reset",
     [("codex", "primary", 300, 42.0, 0, 130), ("codex", "secondary", 10080, 12.5, 0, 4560),
      ("premium", "primary", 300, 80.0, 1, None)],
     [(w["limit_id"], w["window"], w["window_minutes"], w["used_percent"], w["has_reset"], w["minutes_to_reset"])
      for w in pl])
rc, out, err = lumo("today", "--no-sync", "--agent", "claude")
c.eq("today --agent claude: Codex's limits are not Claude's", [0, False], [rc, "limits" in out])
rc, out, err = lumo("blocks", "--no-sync")
c.eq("blocks: the plan limits after the table", ["plan limit " + codex_line, "plan limit " + premium_line],
     [x for x in out.splitlines() if x.startswith("plan limit")])
rc, out, err = statusline()
parts = out.strip().split(" | ")
c.eq("statusline: the windows before the rest level, compact",
     [0, "codex (plus) 5h 42% (resets in 2h 10m), 7d 12.5% (resets in 3d 4h)", "codex/premium (plus) 5h reset"],
     [rc, parts[4] if len(parts) > 6 else None, parts[5] if len(parts) > 6 else None])

# --- blocks against a limit
block_start = FIRST.replace(minute=0, second=0)
block_end = block_start + datetime.timedelta(hours=5)


def remaining_minutes():
    """ccusage's remaining minutes, a minute either side of the moment lumo computed it."""
    r = round((block_end - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 60)
    return (r - 1, r, r + 1)


rc, out, err = lumo("blocks", "--no-sync", "--token-limit", "max")
lines = out.splitlines()
c.eq("--token-limit max: says which block it took", [0, "--token-limit max: the largest completed block of the"
                                                     " period, 200,000 tokens"], [rc, lines[0] if lines else None])
rows = [x for x in lines if x.startswith("| 20")]
c.eq("--token-limit max: a share column, P1 60.0%, P2 100.0%, active 40.0%",
     [True, ["60.0%", "100.0%", "40.0%"]],
     ["% of 200,000" in out, [[f.strip() for f in x.split("|")][6] for x in rows]])
want = set("token limit 200,000: used 80,000 (40.0%%), remaining 120,000 (60.0%%); projected %s (%.1f%%): EXCEEDS"
           % (format(80000 + 1600 * r, ","), (80000 + 1600 * r) / 2000) for r in remaining_minutes())
c.eq("the active block against 200,000: used, remaining, projected, EXCEEDS", True,
     any(x in want for x in lines))
rc, js, err = lumo("blocks", "--no-sync", "--active", "--json", "--token-limit", "1000000", "--cost-limit", "max")
b = json.loads(js)[0] if rc == 0 else {}
st = b.get("token_limit_status") or {}
c.eq("--json --active: token_limit_status against 1,000,000: 8.0% used, ok",
     [1000000, 80000, 8.0, 920000, 92.0, "ok", True],
     [st.get("limit"), st.get("used"), st.get("percent_used"), st.get("remaining"), st.get("remaining_percent"),
      st.get("status"), st.get("projected_usage") in [80000 + 1600 * r for r in remaining_minutes()]])
cs = b.get("cost_limit_status") or {}
c.eq("--cost-limit max = P2's $1.80: $0.72 used = 40.0%, remaining $1.08, projected $0.72 + $0.0144/min: exceeds",
     [1.8, 40.0, 1.08, "exceeds", True],
     [cs.get("limit"), cs.get("percent_used"), round(cs.get("remaining", 0), 6), cs.get("status"),
      any(abs((cs.get("projected_usage") or 0) - round(0.72 + 0.0144 * r, 2)) < 1e-9 for r in remaining_minutes())])
rc, out, err = lumo("blocks", "--no-sync", "--token-limit", "lots")
c.eq("--token-limit lots: exit 2, says what it takes", [2, True], [rc, "a whole number of tokens above 0, or max" in err])
rc, out, err = lumo("blocks", "--no-sync", "--cost-limit", "-3")
c.eq("--cost-limit -3: exit 2", [2, True], [rc, "an amount in USD above 0" in err])
rc, out, err = lumo("blocks", "--no-sync", "--token-limit", "max", "--since", "today")
c.eq("--token-limit max with no completed block in the period: a warning, no limit", [0, True, False],
     [rc, "no completed block in this period" in err, "token limit" in out])
c.done()
