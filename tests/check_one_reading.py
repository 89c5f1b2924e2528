"""check_one_reading: the virtual tables and lumo_sync read every line with the same
decision code (issue 16), so for every fixture tree and the generated corpus the synced
usage, messages and tool_uses equal what the tables show, row for row (keys and every
number), on 1 and 3 threads, and after a lumo_merge of two halves of a tree.

Hand-made groups test the replay rule over a message id's whole group of copies (spec 1.6
rule 4): the kept rows are written here by hand and must come out whatever the files'
names (so whatever their order) and the thread count:
  group 1: msg_g1 with request ids r1 (parent, total 100), r2 (parent, total 50) and r3
           (sidechain, total 500): r1 and r2 are two responses, r3 a replay -> 2 rows
  group 2: msg_g2 with r4 (sidechain, 500) and r5 (sidechain, 300), no parent: one
           response -> 1 row, the r4 copy
  group 3: msg_g3 with r6 on a parent copy (total 100) and a sidechain copy (total 200):
           the parent copy wins (ccusage 20.0.5+: parent beats sidechain) -> 1 row, 100
Single lines that the old readers decided twice:
  a record with "type" twice ("assistant", then "user"): the first value counts -> billed
  a "type":"user" record carrying usage: not billed (spec 1.7: assistant or no type)
  a "costUSD" on an old line: kept as stored_cost_usd, beside lumo's cost_usd"""
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, SO, Checker, query

OUT = os.path.join(ROOT, "tests", "out", "one_reading")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
c = Checker()
FIX = os.path.join(ROOT, "tests", "fixtures")
CORPUS = os.path.join(ROOT, "tests", "out", "corpus")

USAGE_COLS = ("message_id, request_id, timestamp, session_id, project, model, input_tokens, output_tokens,"
              " cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, web_search_requests, is_sidechain,"
              " confidence, cost_usd, file, line")


def sync_db(name, **roots):
    """A fresh lumo database synced from the roots given (claude, gemini, codex, opencode)."""
    db = os.path.join(OUT, name + ".db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    args = ", ".join("'%s'" % roots.get(k, "") for k in ("claude", "gemini", "codex", "opencode"))
    os.environ["LUMO_MACHINE"] = name
    query("SELECT lumo_sync(%s, '')" % args, db=db)
    return db


def rows(sql, db=":memory:"):
    """Rows as tuples in one order (NULL sorts first)."""
    return sorted((tuple(r.values()) for r in query(sql, db=db)),
                  key=lambda t: tuple((v is not None, str(type(v)), v if v is not None else 0) for v in t))


def rounded(rs, cost_at):
    """Costs compared to 1e-9 (a REAL written to the database and read back)."""
    return [tuple(round(v, 9) if i in cost_at and v is not None else v for i, v in enumerate(r)) for r in rs]


def same(label, want, got):
    """Row sets equal; on a mismatch print the count and the first differing rows only."""
    c.checked += 1
    if want == got:
        return
    c.bad += 1
    print("MISMATCH %s: %d rows from the tables, %d from the database" % (label, len(want), len(got)))
    for w in [r for r in want if r not in got][:2]:
        print("   only in the tables:   %.300r" % (w,))
    for g in [r for r in got if r not in want][:2]:
        print("   only in the database: %.300r" % (g,))


# per agent: (the table's columns, the same columns of the synced usage table); the Codex
# and Gemini tables show no key, which the sync builds from the thread/session and line/id
COMMON = ("timestamp, session_id, project, model, input_tokens, output_tokens, cache_read_tokens,"
          " cache_write_5m_tokens, cache_write_1h_tokens, cost_usd, file")
COLS = {
    "claude": (USAGE_COLS, USAGE_COLS),
    "codex": ("session_id || ':' || line, reasoning_tokens, is_fork, " + COMMON,
              "message_id, reasoning_tokens, is_sidechain, " + COMMON),
    "gemini": ("session_id || ':' || message_id, reasoning_tokens, " + COMMON,
               "message_id, reasoning_tokens, " + COMMON),
    "opencode": ("message_id, reasoning_tokens, nullif(stored_cost_usd, 0), " + COMMON,
                 "message_id, reasoning_tokens, stored_cost_usd, " + COMMON),
}


def compare_usage(label, db, agent, table, root):
    cols, synced_cols = COLS[agent]
    cost_at = [i for i, name in enumerate(synced_cols.split(", ")) if "cost_usd" in name]
    for threads in ("1", "3"):
        os.environ["LUMO_THREADS"] = threads
        want = rounded(rows("SELECT %s FROM %s('%s')" % (cols, table, root)), cost_at)
        got = rounded(rows("SELECT %s FROM usage WHERE agent = '%s'" % (synced_cols, agent), db=db), cost_at)
        same("%s: synced usage = %s on %s thread(s) (%d rows)" % (label, table, threads, len(want)), want, got)
    os.environ.pop("LUMO_THREADS", None)


def first_per_key(rs, outcome_at, width=4):
    """The database keeps one row per tool call id (a resumed session repeats old calls):
    the first copy in walk order, with the outcome of the last result seen (is_error,
    result_bytes, result_text; the duration of the first)."""
    out = {}
    for r in sorted(rs, key=lambda r: (r[-2], r[-1])):  # walk order: path, then line
        if r[0] not in out:
            out[r[0]] = list(r)
        elif r[outcome_at] is not None:
            duration = out[r[0]][outcome_at + 3]
            out[r[0]][outcome_at:outcome_at + width] = r[outcome_at:outcome_at + width]
            if duration is not None:
                out[r[0]][outcome_at + 3] = duration
    return sorted((tuple(v) for v in out.values()), key=lambda t: t[0])


def compare_claude(label, root, db):
    compare_usage(label, db, "claude", "claude_usage", root)
    # tool calls: every tool_use with its outcome, its whole input and what activity.c derives
    want = first_per_key(rows(
        "SELECT 'claude:' || tool_use_id, session_id, timestamp, message_id, tool_name, input,"
        " is_error, result_bytes, result_text, duration_ms, mcp_server, mcp_tool, file, line"
        " FROM claude_tool_uses('%s') WHERE tool_use_id IS NOT NULL" % root), 6)
    got = sorted(rows("SELECT key, session_id, timestamp, message_id, tool_name, input, is_error, result_bytes,"
                      " result_text, duration_ms, mcp_server, mcp_tool, file, line FROM tool_uses"
                      " WHERE agent = 'claude'", db=db), key=lambda t: t[0])
    same("%s: synced tool_uses = claude_tool_uses, one row per call id" % label, want, got)
    # messages: the table merges a response's streaming copies into one row, the database
    # keeps each record once per uuid (a resumed session repeats old records): every
    # record the table shows is in the database, and the first copy of an unmerged one
    # has the same fields
    shown = rows("SELECT uuid, file, line, type, role, model, text FROM claude_messages('%s')"
                 " WHERE copies = 1 AND uuid IS NOT NULL" % root)
    stored = {r[0]: r for r in rows("SELECT uuid, file, line, type, role, model, text FROM messages"
                                    " WHERE agent = 'claude'", db=db)}
    c.eq("%s: every uuid claude_messages shows is stored" % label, [], [r[0] for r in shown if r[0] not in stored])
    want = [r for r in shown if r[0] in stored and stored[r[0]][1:3] == r[1:3]]
    same("%s: unmerged messages: same type, role, model and text (%d)" % (label, len(want)), want,
         [stored[r[0]] for r in want])


# ---------------------------------------------------------------- fixture trees
trees = [
    ("traps", os.path.join(FIX, "traps", "claude")),
    ("real", os.path.join(FIX, "real", "claude")),
    ("corpus", os.path.join(CORPUS, "claude")),
]
for label, root in trees:
    compare_claude(label, root, sync_db(label, claude=root))

for label, agent, table, root in [
        ("codex real", "codex", "codex_usage", os.path.join(FIX, "real", "codex")),
        ("codex traps", "codex", "codex_usage", os.path.join(FIX, "traps", "codex")),
        ("codex corpus", "codex", "codex_usage", os.path.join(CORPUS, "codex")),
        ("gemini real", "gemini", "gemini_usage", os.path.join(FIX, "real", "gemini")),
        ("gemini traps", "gemini", "gemini_usage", os.path.join(FIX, "traps", "gemini")),
        ("gemini corpus", "gemini", "gemini_usage", os.path.join(CORPUS, "gemini")),
        ("opencode real", "opencode", "opencode_usage", os.path.join(FIX, "real", "opencode"))]:
    if agent == "opencode":
        COLS["opencode"] = (COLS["opencode"][0], COLS["opencode"][1])
    if not os.path.isdir(root):
        continue
    db = sync_db(label.replace(" ", "_"), **{agent: root})
    compare_usage(label, db, agent, table, root)

# ------------------------------------------------- a merge of two halves of a tree
half = [os.path.join(OUT, "half1"), os.path.join(OUT, "half2")]
src = os.path.join(CORPUS, "claude", "projects")
for i, d in enumerate(sorted(os.listdir(src))):
    shutil.copytree(os.path.join(src, d), os.path.join(half[i % 2], "projects", d))  # keeps mtimes
# a session's resumed copies can sit in either half: the merge must decide as a scan
a = sync_db("half1", claude=half[0])
b = sync_db("half2", claude=half[1])
query("SELECT lumo_merge('%s')" % b, db=a)
whole = os.path.join(CORPUS, "claude")
# the file column names the file relative to its own root: the same in either half
want = rounded(rows("SELECT %s FROM claude_usage('%s,%s')" % (USAGE_COLS, half[0], half[1])), [14])
got = rounded(rows("SELECT %s FROM usage WHERE agent = 'claude'" % USAGE_COLS, db=a), [14])
same("merge of two halves = claude_usage over both (%d rows)" % len(want), want, got)
truth = json.load(open(os.path.join(CORPUS, "expected.json")))["totals"]["claude"]
n = query("SELECT count(*) n, sum(output_tokens) o FROM usage WHERE agent = 'claude'", db=a)[0]
c.eq("merge of two halves: the generator's request and output totals", [truth["messages"], truth["output"]],
     [n["n"], n["o"]])

# ------------------------------------------- replay groups, in every order of names
A = "2026-05-01T10:00:0%dZ"


def line(i, mid, rid, side, inp, out, extra=None, typ="assistant"):
    rec = {"type": typ, "uuid": "u-%s-%d" % (mid, i), "sessionId": "s", "timestamp": A % i,
           "isSidechain": side, "cwd": "/home/u/app",
           "message": {"id": mid, "role": "assistant", "model": "claude-sonnet-4-5",
                       "content": [{"type": "text", "text": "hi"}],
                       "usage": {"input_tokens": inp, "output_tokens": out}}}
    if rid:
        rec["requestId"] = rid
    if extra:
        rec.update(extra)
    return json.dumps(rec)


copies = [  # (mid, rid, sidechain, input, output)
    ("msg_g1", "r1", False, 90, 10), ("msg_g1", "r2", False, 40, 10), ("msg_g1", "r3", True, 490, 10),
    ("msg_g2", "r4", True, 490, 10), ("msg_g2", "r5", True, 290, 10),
    ("msg_g3", "r6", False, 90, 10), ("msg_g3", "r6", True, 190, 10)]
expected = [("msg_g1", "r1", 0, 90), ("msg_g1", "r2", 0, 40), ("msg_g2", "r4", 1, 490), ("msg_g3", "r6", 0, 90)]
orders = [[0, 1, 2, 3, 4, 5, 6], [2, 1, 0, 4, 3, 6, 5], [1, 2, 0, 3, 4, 5, 6], [6, 4, 2, 0, 5, 3, 1]]
for k, order in enumerate(orders):
    root = os.path.join(OUT, "groups%d" % k)
    proj = os.path.join(root, "projects", "-home-u-app")
    os.makedirs(proj)
    # one copy per file; the names (so the walk order) follow this permutation
    for pos, i in enumerate(order):
        mid, rid, side, inp, out = copies[i]
        name = "s%d%d.jsonl" % (pos, i) if not side else os.path.join("s%d%d" % (pos, i), "subagents", "agent-x.jsonl")
        os.makedirs(os.path.dirname(os.path.join(proj, name)), exist_ok=True)
        with open(os.path.join(proj, name), "w") as f:
            f.write(line(i, mid, rid, side, inp, out) + "\n")
        os.utime(os.path.join(proj, name), (1770000000, 1770000000))  # equal mtimes
    for threads in ("1", "3"):
        os.environ["LUMO_THREADS"] = threads
        got = rows("SELECT message_id, request_id, is_sidechain, input_tokens FROM claude_usage('%s')" % root)
        c.eq("replay groups, name order %d, %s thread(s): the hand-written rows" % (k, threads), expected, got)
    os.environ.pop("LUMO_THREADS", None)
    db = sync_db("groups%d" % k, claude=root)
    got = rows("SELECT message_id, request_id, is_sidechain, input_tokens FROM usage", db=db)
    c.eq("replay groups, name order %d: lumo_sync keeps the same rows" % k, expected, got)
    # and copy by copy, one sync per file in this order: the incremental rule agrees
    db = os.path.join(OUT, "groups%d-inc.db" % k)
    tmp = os.path.join(OUT, "groups%d-inc" % k)
    for pos, i in enumerate(order):
        shutil.rmtree(tmp, ignore_errors=True)
        mid, rid, side, inp, out = copies[i]
        d = os.path.join(tmp, "projects", "-home-u-app", "x%d" % pos, "subagents") if side else os.path.join(tmp, "projects", "-home-u-app")
        os.makedirs(d)
        with open(os.path.join(d, "agent-x.jsonl" if side else "i%d.jsonl" % pos), "w") as f:
            f.write(line(i, mid, rid, side, inp, out) + "\n")
        os.environ["LUMO_MACHINE"] = "inc"
        query("SELECT lumo_sync('%s', '', '', '', '')" % tmp, db=db)
    got = rows("SELECT message_id, request_id, is_sidechain, input_tokens FROM usage", db=db)
    c.eq("replay groups, name order %d: one copy per sync gives the same rows" % k, expected, got)

# --------------------------------------------------- lines decided the same way
root = os.path.join(OUT, "lines")
proj = os.path.join(root, "projects", "-home-u-app")
os.makedirs(proj)
dup = line(1, "msg_dup", "r9", False, 10, 5)
dup = dup.replace('"type": "assistant"', '"type": "assistant", "type": "user"', 1)
user = line(2, "msg_user", "r10", False, 10, 5, typ="user")
cost = line(3, "msg_cost", "r11", False, 500, 200, extra={"costUSD": 0.025})
cost = cost.replace("claude-sonnet-4-5", "claude-opus-4-20250514")
badcost = line(4, "msg_badcost", "r12", False, 10, 5, extra={"costUSD": "0.01"})
with open(os.path.join(proj, "s.jsonl"), "w") as f:
    f.write("\n".join([dup, user, cost, badcost]) + "\n")
want = [("msg_badcost", None, None), ("msg_cost", None, 0.025), ("msg_dup", None, None)]
got = rows("SELECT message_id, NULL, stored_cost_usd FROM claude_usage('%s')" % root)
c.eq("duplicate type keys: the first counts; a user record is not billed; costUSD kept", want, got)
db = sync_db("lines", claude=root)
c.eq("... and the sync decides the same", want, rows("SELECT message_id, NULL, stored_cost_usd FROM usage", db=db))
# a costUSD that is no number is not kept, but said: line 4, in the table's scan and the sync's
said = [(r["source"], r["line"], r["kind"]) for r in query(
    "SELECT source, line, kind FROM lumo_diagnostics", before="SELECT count(*) FROM claude_usage('%s');" % root)]
c.eq("a costUSD given as text is reported by claude_usage", [("claude_usage", 4, "wrong_type")], said)
said = query("SELECT source, line, kind FROM lumo_diagnostics", db=os.path.join(OUT, "badcost.db"),
             before="SELECT lumo_sync('%s', '', '', '', '');" % root)
c.eq("... and by lumo_sync", [("lumo_sync", 4, "wrong_type")], [(r["source"], r["line"], r["kind"]) for r in said])
# toktrack's case (issue 24): 500 in / 200 out on claude-opus-4-20250514 at list price
# ($15 / $75 per million) is 0.0225 beside Claude Code's 0.025
price = query("SELECT cost_usd FROM usage WHERE message_id = 'msg_cost'", db=db)[0]["cost_usd"]
c.eq("lumo's price beside the stored estimate: 500*15e-6 + 200*75e-6", 0.0225, round(price, 10))
# the same on toktrack's real sample (its own expected figures), through the README's query
db = sync_db("toktrack", claude=os.path.join(FIX, "peers", "toktrack", "claude"))
r = query("SELECT model, count(*) AS requests, sum(stored_cost_usd) AS agent_usd, sum(cost_usd) AS lumo_usd"
          " FROM usage WHERE stored_cost_usd IS NOT NULL GROUP BY model", db=db)
c.eq("toktrack's claude-sample: the agent's 0.025 beside lumo's 0.0225",
     [("claude-opus-4-20250514", 1, 0.025, 0.0225)],
     [(x["model"], x["requests"], x["agent_usd"], round(x["lumo_usd"], 10)) for x in r])

# ------------------------------------- the caller's connection and a merge's source
# lumo_sync raises the busy timeout and lowers synchronous for itself, then puts back
# what the caller had (it left 30 s and NORMAL behind)
p = subprocess.run(["sqlite3", "-cmd", ".load " + SO, "-cmd", ".timeout 1234", "-cmd", "PRAGMA synchronous = FULL",
                    os.path.join(OUT, "settings.db"),
                    "SELECT lumo_sync('%s', '', '', '', '') IS NOT NULL; PRAGMA busy_timeout; PRAGMA synchronous;" % root],
                   capture_output=True, text=True)
c.eq("busy timeout and synchronous as the caller set them", ["1", "1234", "2"], p.stdout.split())
# lumo_merge of a missing, empty or foreign file is an error naming it, and creates nothing
open(os.path.join(OUT, "empty.db"), "w").close()
subprocess.run(["sqlite3", os.path.join(OUT, "foreign.db"), "CREATE TABLE t (x)"], check=True)
for name, says in (("missing.db", "is not there"), ("empty.db", "is empty"),
                   ("foreign.db", "is not a lumo database")):
    p = subprocess.run(["sqlite3", "-cmd", ".load " + SO, os.path.join(OUT, "into.db"),
                        "SELECT lumo_merge('%s')" % os.path.join(OUT, name)], capture_output=True, text=True)
    c.eq("lumo_merge(%s): an error that says it %s" % (name, says), (1, True), (p.returncode, says in p.stderr))
c.eq("lumo_merge of a missing file created nothing", False, os.path.exists(os.path.join(OUT, "missing.db")))
c.done()
