"""check_export_json: `lumo export --format json` (issue 20 point 7), one JSON document of a
period. A database synced from the generated test corpus (tests/fixtures/corpus-s25.tar.gz,
whose expected.json is the generator's ground truth) and the hand-made activity sessions
(tests/fixtures/activity, whose README gives the tool calls, lines and git commands worked
out by hand):
- the document has the documented shape (every key, its type; README "The JSON export");
- the usage of a week equals the generator's daily totals of those days, per agent;
- the activity days' tool calls, errors, lines, files, git commands and prompts equal the
  hand-made README's figures;
- totals equal the sums of every section (sessions, usage, tools, files, git, prompts), and
  the prompts and git sections equal the views of the same days;
- rows without a time are counted in `untimed`, not dropped silently;
- user mistakes (--tables, --until on the team export, a directory for --out, --since
  after --until) are errors with exit 2."""
import json
import os
import shutil
import subprocess
import tarfile
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "export_json")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"
CORPUS = os.path.join(OUT, "corpus")
with tarfile.open(os.path.join(ROOT, "tests", "fixtures", "corpus-s25.tar.gz")) as t:
    t.extractall(CORPUS)
TRUTH = json.load(open(os.path.join(CORPUS, "expected.json")))
ACT = os.path.join(ROOT, "tests", "fixtures", "activity")
query("SELECT lumo_sync('%s,%s', '%s,%s', '%s,%s')" % (
    os.path.join(CORPUS, "claude"), os.path.join(ACT, "claude"), os.path.join(CORPUS, "gemini"),
    os.path.join(ACT, "gemini"), os.path.join(CORPUS, "codex"), os.path.join(ACT, "codex")), db=DB)
ENV = dict(os.environ, TZ="UTC")


def lumo(*args):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo"), "--db", DB] + list(args),
                       capture_output=True, text=True, env=ENV, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def export(since, until):
    code, out, err = lumo("export", "--format", "json", "--no-sync", "--since", since, "--until", until)
    c.eq("export %s..%s exits 0" % (since, until), (0, ""), (code, err))
    return json.loads(out)


# ----------------------------------------------------------------- shape

NUM = (int, float)
OPT_NUM = (int, float, type(None))
OPT_STR = (str, type(None))
COST = {"priced_cost_usd": NUM, "unpriced_tokens": int, "cost_usd": OPT_NUM}
TOK = {k: int for k in ("requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens",
                        "cache_write_1h_tokens", "total_tokens")}
SHAPE = {
    "lumo_export": int, "generated_at": str,
    "period": {"since": OPT_STR, "until": OPT_STR, "timezone": str},
    "totals": dict(TOK, **COST, sessions=int, tool_calls=int, tool_errors=int, files_changed=int, lines_added=int,
                   lines_removed=int, git_operations=int, prompts=int, commands=int, interrupted=int),
    "untimed": {k: int for k in ("usage", "tool_uses", "file_changes", "git_ops", "user_prompts")},
    "usage": [dict(TOK, **COST, day=OPT_STR, agent=str, model=OPT_STR, project=OPT_STR)],
    "sessions": [dict(TOK, **COST, agent=str, session_id=OPT_STR, project=OPT_STR, started_at=OPT_STR,
                      ended_at=OPT_STR, models=[str])],
    "tools": [{"agent": str, "tool_name": OPT_STR, "mcp_server": OPT_STR, "calls": int, "errors": int,
               "succeeded": int, "unknown_outcome": int}],
    "files": [{"path": str, "language": OPT_STR, "changes": int, "sessions": int, "lines_added": int,
               "unknown_added": int, "lines_removed": int, "unknown_removed": int, "last_touched": OPT_STR,
               "agents": [str]}],
    "git": [{"day": OPT_STR, "agent": str, "project": OPT_STR, "operation": str, "runs": int, "succeeded": int,
             "failed": int, "unknown_outcome": int}],
    "prompts": [{"day": OPT_STR, "agent": str, "project": OPT_STR, "prompts": int, "median_chars": OPT_NUM,
                 "p90_chars": OPT_NUM, "chars": int, "commands": int, "interrupted": int}],
}


def shape_errors(v, s, where="$"):
    if isinstance(s, dict):
        if not isinstance(v, dict):
            return ["%s: not an object" % where]
        errs = ["%s: keys %s, want %s" % (where, sorted(v), sorted(s))] if sorted(v) != sorted(s) else []
        for k in s:
            if k in v:
                errs += shape_errors(v[k], s[k], where + "." + k)
        return errs
    if isinstance(s, list):
        if not isinstance(v, list):
            return ["%s: not an array" % where]
        return [e for i, x in enumerate(v) for e in shape_errors(x, s[0], "%s[%d]" % (where, i))]
    ok = isinstance(v, s) and not (isinstance(v, bool))
    return [] if ok else ["%s: %r is not %s" % (where, v, s)]


def sums_agree(doc, what):
    """Totals = the sum of each section."""
    t = doc["totals"]
    for k in TOK:
        c.eq("%s: totals.%s = sum of usage" % (what, k), t[k], sum(r[k] for r in doc["usage"]))
        c.eq("%s: totals.%s = sum of sessions" % (what, k), t[k], sum(r[k] for r in doc["sessions"]))
    c.eq("%s: unpriced tokens, usage and sessions" % what, [t["unpriced_tokens"]] * 2,
         [sum(r["unpriced_tokens"] for r in doc[s]) for s in ("usage", "sessions")])
    for s in ("usage", "sessions"):
        c.eq("%s: priced cost = sum of %s" % (what, s), True,
             abs(t["priced_cost_usd"] - sum(r["priced_cost_usd"] for r in doc[s])) < 1e-6 * (1 + len(doc[s])))
    c.eq("%s: cost_usd is null exactly when some tokens are unpriced" % what, t["unpriced_tokens"] > 0,
         t["cost_usd"] is None)
    c.eq("%s: sessions" % what, t["sessions"], len(doc["sessions"]))
    c.eq("%s: tool calls and errors" % what, (t["tool_calls"], t["tool_errors"]),
         (sum(r["calls"] for r in doc["tools"]), sum(r["errors"] for r in doc["tools"])))
    c.eq("%s: each tool's outcomes add up" % what, [r["calls"] for r in doc["tools"]],
         [r["errors"] + r["succeeded"] + r["unknown_outcome"] for r in doc["tools"]])
    c.eq("%s: files and lines" % what, (t["files_changed"], t["lines_added"], t["lines_removed"]),
         (len(doc["files"]), sum(f["lines_added"] for f in doc["files"]), sum(f["lines_removed"] for f in doc["files"])))
    c.eq("%s: git" % what, t["git_operations"], sum(g["runs"] for g in doc["git"]))
    c.eq("%s: prompts" % what, (t["prompts"], t["commands"], t["interrupted"]),
         tuple(sum(p[k] for p in doc["prompts"]) for k in ("prompts", "commands", "interrupted")))


# ------------------------------------------------- a week of the corpus

SINCE, UNTIL = "2025-11-03", "2025-11-10"
doc = export(SINCE, UNTIL)
c.eq("shape of the document (corpus week)", [], shape_errors(doc, SHAPE))
c.eq("period", {"since": SINCE, "until": UNTIL, "timezone": "UTC"}, doc["period"])
want = {}
for d in TRUTH["daily_totals"]:
    if SINCE <= d["date"] <= UNTIL:
        w = want.setdefault(d["agent"], [0, 0, 0, 0, 0])
        for i, k in enumerate(("messages", "input", "output", "cache_read", "cache_creation")):
            w[i] += d[k]
got = {}
for r in doc["usage"]:
    g = got.setdefault(r["agent"], [0, 0, 0, 0, 0])
    for i, v in enumerate((r["requests"], r["input_tokens"], r["output_tokens"], r["cache_read_tokens"],
                           r["cache_write_5m_tokens"] + r["cache_write_1h_tokens"])):
        g[i] += v
c.eq("usage of %s..%s per agent = the generator's ground truth" % (SINCE, UNTIL), want, got)
c.eq("no usage outside the period", True, all(SINCE <= r["day"] <= UNTIL for r in doc["usage"]))
sums_agree(doc, "corpus week")
c.eq("every session's models are among the period's usage models", True,
     all(set(s["models"]) <= {r["model"] for r in doc["usage"]} for s in doc["sessions"]))

# ------------------------------------------------- the activity days (hand-made)

A0, A1 = "2026-09-01", "2026-09-03"
act = export(A0, A1)
c.eq("shape of the document (activity days)", [], shape_errors(act, SHAPE))
sums_agree(act, "activity days")
per_agent = {}
for t in act["tools"]:
    p = per_agent.setdefault(t["agent"], [0, 0])
    p[0] += t["calls"]
    p[1] += t["errors"]
# tests/fixtures/activity/README.md: Claude 2 errors of 10 calls, Codex cargo test and the
# MCP call of 6, Gemini 1 error of 4
c.eq("tool calls and errors per agent, by hand", {"claude": [10, 2], "codex": [6, 2], "gemini": [4, 1]}, per_agent)
lines = {}
for f in act["files"]:
    for a in f["agents"]:
        lines.setdefault(a, [0, 0, 0])
    lines[f["agents"][0]][0] += f["lines_added"]
    lines[f["agents"][0]][1] += f["lines_removed"]
    lines[f["agents"][0]][2] += f["unknown_removed"]
# Claude: Edit +2 -1, Write +7 -0, replace_all Edit +3 -3, MultiEdit +3 -2, NotebookEdit +3 -0;
# Codex: +3 -1, +3 -0, a delete (removed unknown), +2 -1; Gemini: +2 -1, +3 -1
c.eq("lines added, removed and unknown per agent, by hand",
     {"claude": [18, 6, 0], "codex": [8, 2, 1], "gemini": [5, 2, 0]}, lines)
c.eq("files changed, by hand (5 Claude, 4 Codex, 2 Gemini)", 11, act["totals"]["files_changed"])
c.eq("git commands, by hand", sorted(["add", "commit", "push", "gh pr create", "add", "commit", "push", "status",
                                      "commit", "tag"]),
     sorted(op for g in act["git"] for op in [g["operation"]] * g["runs"]))
c.eq("prompts: the Claude and the Gemini session's one typed prompt each (51 and 34 characters)",
     [("claude", 1, 51), ("gemini", 1, 34)], [(p["agent"], p["prompts"], p["chars"]) for p in act["prompts"]])
c.eq("prompts = the view of the same days", act["prompts"], query(
    "SELECT day, agent, project, prompts, median_chars, p90_chars, chars, commands, interrupted FROM prompts"
    " WHERE day BETWEEN '%s' AND '%s' ORDER BY 1, 2, 3" % (A0, A1), db=DB))
c.eq("git = the view of the same days", act["git"], query(
    "SELECT day, agent, project, operation, runs, succeeded, failed, unknown AS unknown_outcome FROM git"
    " WHERE day BETWEEN '%s' AND '%s' ORDER BY 1, 2, 3, 4" % (A0, A1), db=DB))

# ------------------------------------------------- the whole history, untimed rows

code, out, err = lumo("export", "--format", "json", "--no-sync")
whole = json.loads(out)
sums_agree(whole, "all time")
c.eq("all time: every usage row", query("SELECT count(*) AS n FROM usage", db=DB)[0]["n"], whole["totals"]["requests"])
subprocess.run(["sqlite3", DB, "INSERT INTO user_prompts (key, agent, machine, kind, chars) VALUES"
                " ('t:untimed', 'claude', 'test', 'prompt', 5)"], check=True)
untimed = export(A0, A1)
c.eq("a prompt without a time: counted in untimed, in no day", (1, act["totals"]["prompts"]),
     (untimed["untimed"]["user_prompts"], untimed["totals"]["prompts"]))

# ------------------------------------------------- mistakes

path = os.path.join(OUT, "doc.json")
c.eq("--out FILE writes the document", (0, ""), lumo("export", "--format", "json", "--no-sync", "--out", path)[::2])
c.eq("the file parses", [], shape_errors(json.load(open(path)), SHAPE))
for args, says in ((["--tables", "usage"], "--tables is for the team export"),
                   (["--out", OUT], "is a directory"),
                   (["--since", "2026-09-05", "--until", "2026-09-01"], "is after --until"),
                   (["--since", "2026-13-01"], "--since 2026-13-01")):
    code, out, err = lumo("export", "--format", "json", "--no-sync", *args)
    c.eq("export --format json %s: exit 2, says why" % " ".join(args), (2, True, ""), (code, says in err, out))
code, out, err = lumo("export", "--no-sync", "--out", OUT, "--until", "2026-01-01")
c.eq("team export with --until: exit 2", (2, True), (code, "--until is for --format json" in err))
c.done()
