"""check_search: `lumo search` and the FTS5 indexes (issue 20 point 5). A database synced
from the real and activity fixtures:
- a first sync indexes nothing (the indexes are off until the first search: first-sync
  speed), the first search turns them on and indexes every stored row;
- the matches of several queries equal this file's own matching of the stored texts (words
  as the unicode61 tokenizer splits them: letters and digits, case folded), messages and the
  tool calls of every agent but Codex (its calls and outputs are messages rows), newest
  first, with session, time, role and a snippet holding the match in brackets;
- the sync keeps the index: a new transcript's word is found after the next sync; a Gemini
  message rewritten with new text is found by its new text only; a Claude call whose result
  arrives in a later sync is found by a word of its result; FTS5's integrity check against
  the content tables passes; lumo_merge's rows are searchable;
- a query FTS5 cannot read and --limit 0 are errors (exit 2)."""
import json
import os
import re
import shutil
import subprocess
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "search")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"
REAL = os.path.join(ROOT, "tests", "fixtures", "real")
ACT = os.path.join(ROOT, "tests", "fixtures", "activity")
NEW = os.path.join(OUT, "new")  # roots this test writes to: a Claude and a Gemini home
CLAUDE_NEW = os.path.join(NEW, "claude", "projects", "-home-u-zz")
GEMINI_NEW = os.path.join(NEW, "gemini", "tmp", "zz", "chats")
os.makedirs(CLAUDE_NEW)
os.makedirs(GEMINI_NEW)
SYNC = "SELECT lumo_sync('%s,%s,%s', '%s,%s,%s', '%s,%s')" % (
    os.path.join(REAL, "claude"), os.path.join(ACT, "claude"), os.path.join(NEW, "claude"),
    os.path.join(REAL, "gemini"), os.path.join(ACT, "gemini"), os.path.join(NEW, "gemini"),
    os.path.join(REAL, "codex"), os.path.join(ACT, "codex"))
ENV = dict(os.environ, TZ="UTC")


def lumo(*args):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo"), "--db", DB] + list(args),
                       capture_output=True, text=True, env=ENV, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def found(q, *more):
    code, out, err = lumo("search", q, "--no-sync", "--json", "--limit", "100000", *more)
    if code:
        c.eq("search %r runs" % q, 0, (code, err))
        return []
    return json.loads(out)


def indexed():
    return [query("SELECT count(*) AS n FROM %s_docsize" % t, db=DB)[0]["n"] for t in ("search_messages", "search_tools")]


def write(path, lines):
    with open(path, "a") as f:
        for d in lines:
            f.write(json.dumps(d) + "\n")


write(os.path.join(CLAUDE_NEW, "s-zz.jsonl"), [])
write(os.path.join(GEMINI_NEW, "session-2026-10-01T10-00-zz000001.jsonl"), [
    {"sessionId": "zz000001-0000-4000-8000-000000000001", "projectHash": "x", "startTime": "2026-10-01T10:00:00.000Z",
     "kind": "main"},
    {"id": "gz-1", "timestamp": "2026-10-01T10:00:01.000Z", "type": "user", "content": [{"text": "alphaword please"}]}])
query(SYNC, db=DB)
c.eq("a first sync indexes nothing (search is off until the first search)", [[0], [0, 0]],
     [[r["enabled"] for r in query("SELECT enabled FROM search_state", db=DB)], indexed()])

# ------------------------------------------------------- an independent matching

def tokens(text):
    return set(re.findall(r"[^\W_]+", (text or "").lower()))


def expected(words):
    rows = []
    for r in query("SELECT agent, session_id, timestamp, coalesce(role, type) AS role, text FROM messages", db=DB):
        if set(words) <= tokens(r["text"]):
            rows.append((r["timestamp"], r["agent"], r["session_id"], r["role"]))
    for r in query("SELECT agent, session_id, timestamp, tool_name, input, result_text FROM tool_uses"
                   " WHERE agent <> 'codex'", db=DB):
        if all(any(w in tokens(r[col]) for col in ("tool_name", "input", "result_text")) for w in words):
            rows.append((r["timestamp"], r["agent"], r["session_id"], "tool:" + r["tool_name"]))
    return sorted(rows, key=lambda x: (x[0] or ""), reverse=True)


first = found("commit")
c.eq("the first search turned the index on and indexed every row",
     [1, query("SELECT count(*) AS n FROM messages", db=DB)[0]["n"],
      query("SELECT count(*) AS n FROM tool_uses WHERE agent <> 'codex'", db=DB)[0]["n"]],
     [query("SELECT enabled FROM search_state", db=DB)[0]["enabled"]] + indexed())
for q in ("commit", "phoenix", "git commit", "error", "tests", "TODO", "README"):
    got = found(q)
    c.eq("search %r: the rows matched here" % q, sorted(expected(q.lower().split()), key=repr),
         sorted([(r["timestamp"], r["agent"], r["session_id"], r["role"]) for r in got], key=repr))
    c.eq("search %r: newest first (rows without a time last)" % q, True,
         all((a["timestamp"] or "") >= (b["timestamp"] or "") for a, b in zip(got, got[1:])))
    c.eq("search %r: every snippet shows a match in brackets" % q, True,
         all(re.search(r"\[[^\]]+\]", r["snippet"]) for r in got))
c.eq("a query with matches (not a vacuous comparison)", True, len(found("commit")) >= 5)
c.eq("--agent and --since narrow it",
     sorted((r for r in expected(["commit"]) if r[1] == "claude" and (r[0] or "") >= "2026"), key=repr),
     sorted([(r["timestamp"], r["agent"], r["session_id"], r["role"]) for r in found(
         "commit", "--agent", "claude", "--since", "2026-01-01")], key=repr))
c.eq("--limit keeps the newest", [r[0] for r in expected(["commit"])[:2]],
     [r["timestamp"] for r in json.loads(lumo("search", "commit", "--no-sync", "--json", "--limit", "2")[1])])
# a word in more rows than lumo reads one by one (lumo_search.DENSE): the walk of the time
# index gives the same newest rows as reading them all
import sys
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import lumo_search  # noqa: E402
import sqlite3  # noqa: E402
con = sqlite3.connect(DB)
for dense in (0, 10 ** 9):
    lumo_search.DENSE = dense
    c.eq("the two plans agree (DENSE = %d): 'the', newest 30" % dense,
         sorted([r[0] for r in expected(["the"])][:30], reverse=True),
         [r["timestamp"] for r in lumo_search.search(con, "the", limit=30)])
con.close()

# ------------------------------------------------------- the sync keeps it

write(os.path.join(CLAUDE_NEW, "s-zz.jsonl"), [
    {"type": "user", "uuid": "zz-u1", "sessionId": "s-zz", "cwd": "/home/u/zz", "timestamp": "2026-10-02T10:00:00.000Z",
     "message": {"role": "user", "content": "the zyzzyvaquux needs fixing"}},
    {"type": "assistant", "uuid": "zz-a1", "sessionId": "s-zz", "cwd": "/home/u/zz",
     "timestamp": "2026-10-02T10:00:05.000Z", "requestId": "req_zz1",
     "message": {"id": "msg_zz1", "role": "assistant", "model": "claude-sonnet-4-5", "content": [
         {"type": "tool_use", "id": "toolu_zz1", "name": "Bash", "input": {"command": "make zz"}}],
         "usage": {"input_tokens": 10, "output_tokens": 5}}}])
write(os.path.join(GEMINI_NEW, "session-2026-10-01T10-00-zz000001.jsonl"), [
    {"id": "gz-1", "timestamp": "2026-10-01T10:00:01.000Z", "type": "user", "content": [{"text": "omegaword instead"}]}])
query(SYNC, db=DB)
c.eq("a new transcript's word is found after the next sync", [("2026-10-02T10:00:00.000Z", "user")],
     [(r["timestamp"], r["role"]) for r in found("zyzzyvaquux")])
c.eq("a Gemini message rewritten: found by its new text, not its old", ([], 1),
     (found("alphaword"), len(found("omegaword"))))
write(os.path.join(CLAUDE_NEW, "s-zz.jsonl"), [
    {"type": "user", "uuid": "zz-u2", "sessionId": "s-zz", "cwd": "/home/u/zz", "timestamp": "2026-10-02T10:00:09.000Z",
     "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_zz1",
                                              "content": "make: quuxresult built"}]}}])
query(SYNC, db=DB)
c.eq("a call whose result came in a later sync: found by its result", ["tool:Bash"],
     [r["role"] for r in found("quuxresult")])
c.eq("FTS5 integrity check against the content tables", [], query(
    "INSERT INTO search_messages (search_messages, rank) VALUES ('integrity-check', 1);"
    " INSERT INTO search_tools (search_tools, rank) VALUES ('integrity-check', 1);", db=DB))
MERGED = os.path.join(OUT, "merged.db")
query("UPDATE search_state SET enabled = 1, runs = runs + 1", db=MERGED, before="SELECT lumo_sync('', '', '', '', '')")
query("SELECT lumo_merge('%s')" % DB, db=MERGED)
c.eq("lumo_merge's rows are searchable in a database with search on", 1,
     query("SELECT count(*) AS n FROM search_messages WHERE search_messages MATCH 'zyzzyvaquux'", db=MERGED)[0]["n"])

# ------------------------------------------------------- mistakes

for args, says in ((['"unbalanced'], "is not a query FTS5 reads"), (["commit", "--limit", "0"], "--limit 0")):
    code, out, err = lumo("search", *args, "--no-sync")
    c.eq("search %s: exit 2, says why" % " ".join(args), (2, True), (code, says in err))
c.done()
