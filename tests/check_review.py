"""check_review: defects found by a review of the sync split, the diagnostics and
rate_limits tables, the walk and the line reader, each shown on a small hostile input
written here, with the expected rows written by hand from the lines this test writes.
  1. a sync after a scan on the same connection: the scan's diagnostics (up to lumo's
     10,000) left no room for the sync's, and its dropped count was stored as the sync's
  2. a Codex rollout moved to archived_sessions: its rate_limits rows were stored again
     under the new path (every observation twice)
  3. lumo_merge: the other database's rate_limits were left out
  4. a symbolic link to a directory elsewhere under the agent's root (not under the
     directory walked): reported as "read by its own path" and never read; and with the
     top directory listed by several threads, every directory one level deeper (the
     32nd level was cut)
  5. a last line cut in the middle of a character (the agent is still writing it): an
     invalid_utf8 diagnostic saying the line is kept, beside the torn one
  6. a sync of one source (the status line syncs Claude alone): the walk diagnostics of
     the other sources were deleted
  7. session_id = ? (or claude_usage's message_id = ?) with a collation other than
     BINARY: the tables compared bytes, and rows the collation matches were missing"""
import json
import os
import shutil
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "review")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
os.environ["LUMO_MACHINE"] = "test"


def assistant(n, session="s1", text="x"):
    return json.dumps({"type": "assistant", "sessionId": session, "cwd": "/home/u/app", "requestId": "r%d" % n,
                       "uuid": "u%d" % n, "timestamp": "2026-11-02T10:00:%02d.000Z" % (n % 60),
                       "message": {"id": "m%d" % n, "model": "claude-sonnet-4-5", "role": "assistant",
                                   "content": [{"type": "text", "text": text}],
                                   "usage": {"input_tokens": 10 * n, "output_tokens": n}}}, ensure_ascii=False)


def write(path, data, mtime=1.7e9):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        out.write(data.encode() if isinstance(data, str) else data)
    os.utime(path, (mtime, mtime))


def rows(sql, db):
    return sorted(tuple(r.values()) for r in query(sql, db=db))


# 1. A claude_usage scan of a root with 10,050 malformed lines, then, on the same
# connection, a sync of another root with one malformed line (line 2 of s2.jsonl).
BAD = os.path.join(OUT, "bad")
GOOD = os.path.join(OUT, "good")
write(os.path.join(BAD, "projects", "p", "s1.jsonl"), "{bad\n" * 10050 + assistant(1) + "\n")
write(os.path.join(GOOD, "projects", "p", "s2.jsonl"), assistant(2, "s2") + "\n{bad\n")
DB1 = os.path.join(OUT, "scan_then_sync.db")
query("SELECT lumo_sync('%s')" % GOOD, db=DB1,
      before="SELECT count(*) FROM claude_usage WHERE root = '%s'" % BAD)
c.eq("1. a sync after a scan stores its own diagnostic, and no dropped row",
     [("projects/p/s2.jsonl", 2, "malformed", "read")],
     rows("SELECT file, line, kind, phase FROM diagnostics", DB1))
c.eq("1. the scan's diagnostics stay in lumo_diagnostics after the sync (10,000 kept)", [{"n": 10000}],
     query("SELECT count(*) AS n FROM lumo_diagnostics WHERE source = 'claude_usage' AND kind <> 'dropped'", db=DB1,
           before="SELECT count(*) FROM claude_usage WHERE root = '%s'; SELECT lumo_sync('%s')" % (BAD, GOOD)))

# 2. Codex moves a finished rollout to archived_sessions: the same observations, now read
# from the archived copy, are the same rows (and name the copy they were read from last).
CODEX = os.path.join(OUT, "codex")
shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "real", "codex"), CODEX)
DB2 = os.path.join(OUT, "archived.db")
NAME = "rollout-2025-10-31T17-00-00-test-ratelimit-session.jsonl"
LIVE = os.path.join("sessions", "2025", "10", "31", NAME)
# its windows, by hand: line 2 primary 0% and secondary 7% (first seen), line 3 primary 1%
# (secondary unchanged: 7%, same reset), line 5 (account/rateLimits/updated) 85% and 12%
windows = [(2, "primary"), (2, "secondary"), (3, "primary"), (5, "primary"), (5, "secondary")]
SQL2 = "SELECT line, window, file FROM rate_limits WHERE session_id = 'test-ratelimit-session'"
query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB2)
before = rows(SQL2, DB2)
c.eq("2. the live rollout's windows", [w + (LIVE,) for w in windows], before)
os.rename(os.path.join(CODEX, LIVE), os.path.join(CODEX, "archived_sessions", NAME))
query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB2)
c.eq("2. archived: the same rows, once, naming the archived copy",
     [w + (os.path.join("archived_sessions", NAME),) for w in windows], rows(SQL2, DB2))

# A database from before, with an observation stored under both paths (keyed by file):
# the schema applied again keys it by thread and keeps one.
query("INSERT INTO rate_limits SELECT 'test:%s:' || line || ':' || window, agent, machine, session_id, timestamp,"
      " limit_id, plan_type, window, window_minutes, used_percent, resets_at, '%s', line FROM rate_limits"
      " WHERE line = 3; UPDATE lumo_settings SET value = 'older' WHERE key = 'schema_hash'" % (LIVE, LIVE), db=DB2)
c.eq("2. an older database's second copy", 6, len(rows(SQL2, DB2)))
query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB2)
c.eq("2. migrated: one row per observation", windows, [r[:2] for r in rows(SQL2, DB2)])

# 3. The archived database above merged into a laptop's empty one: its observations come along.
DB3 = os.path.join(OUT, "laptop.db")
os.environ["LUMO_MACHINE"] = "laptop"
query("SELECT lumo_merge('%s')" % DB2, db=DB3)
os.environ["LUMO_MACHINE"] = "test"
c.eq("3. merged: the other machine's rate limits", [w + ("test",) for w in windows],
     rows("SELECT line, window, machine FROM rate_limits WHERE session_id = 'test-ratelimit-session'", DB3))
c.eq("3. rate_limit_status of the merged database is the other's",
     rows("SELECT window, used_percent, resets_at FROM rate_limit_status", DB2),
     rows("SELECT window, used_percent, resets_at FROM rate_limit_status", DB3))

# 4. ~/.claude/projects/-home-u-app is a link to ~/.claude/elsewhere/-home-u-app: not under
# projects/, so not read by its own path; followed. A link to a project inside projects/
# is still reported and not followed (it is read by its own path).
LINKED = os.path.join(OUT, "linked")
write(os.path.join(LINKED, "elsewhere", "-home-u-app", "s4.jsonl"), assistant(4, "s4") + "\n")
write(os.path.join(LINKED, "projects", "-home-u-own", "s5.jsonl"), assistant(5, "s5") + "\n")
os.symlink(os.path.join("..", "elsewhere", "-home-u-app"), os.path.join(LINKED, "projects", "-home-u-app"))
os.symlink("-home-u-own", os.path.join(LINKED, "projects", "-home-u-again"))
c.eq("4. the linked project's response and the own one are read",
     [("projects/-home-u-app/s4.jsonl", 40), ("projects/-home-u-own/s5.jsonl", 50)],
     rows("SELECT file, input_tokens FROM claude_usage('%s')" % LINKED, ":memory:"))
c.eq("4. only the link into projects/ is reported",
     [("projects/-home-u-again", "skipped_entry")],
     sorted((r["file"], r["kind"]) for r in query("SELECT file, kind FROM lumo_diagnostics", before=
                                                  "SELECT count(*) FROM claude_usage('%s')" % LINKED)))

# A transcript 32 levels below projects/ (a/d1/.../d31/), which the walk reads, and one
# beside: the same with the top directory listed by two threads as by one.
DEEP = os.path.join(OUT, "deep")
write(os.path.join(DEEP, "projects", "a", *["d%d" % i for i in range(1, 32)], "s6.jsonl"), assistant(6, "s6") + "\n")
write(os.path.join(DEEP, "projects", "b", "s7.jsonl"), assistant(7, "s7") + "\n")
for threads in ("1", "2"):
    os.environ["LUMO_THREADS"] = threads
    c.eq("4. level 32 is read, with %s thread(s)" % threads, [(60,), (70,)],
         rows("SELECT input_tokens FROM claude_usage('%s')" % DEEP, ":memory:"))
del os.environ["LUMO_THREADS"]

# 5. The agent has written line 2 up to the middle of the "é" of its text.
TORN = os.path.join(OUT, "torn")
F5 = os.path.join(TORN, "projects", "p", "s8.jsonl")
whole = (assistant(8, "s8") + "\n" + assistant(9, "s8", "héllo") + "\n").encode()
cut = whole.index("é".encode()) + 1
DB5 = os.path.join(OUT, "torn.db")
write(F5, whole[:cut])
query("SELECT lumo_sync('%s')" % TORN, db=DB5)
c.eq("5. a line cut mid-character is torn, nothing else", [("projects/p/s8.jsonl", 2, "torn")],
     rows("SELECT file, line, kind FROM diagnostics", DB5))
write(F5, whole, 1.7e9 + 10)
query("SELECT lumo_sync('%s')" % TORN, db=DB5)
c.eq("5. finished: no diagnostic, both responses", ([], [(80, "s8"), (90, "s8")]),
     (rows("SELECT file, line, kind FROM diagnostics", DB5), rows("SELECT input_tokens, session_id FROM usage", DB5)))
c.eq("5. the text as written", [("héllo",)], rows("SELECT text FROM messages WHERE text LIKE 'h%'", DB5))
# The same in a Gemini chat (JSONL): its second line cut inside the "é".
GEMINI = os.path.join(OUT, "gemini")
chat = (json.dumps({"sessionId": "g1", "projectHash": "p", "startTime": "2026-05-01T10:00:00.000Z", "kind": "main"})
        + "\n" + json.dumps({"id": "x2", "timestamp": "2026-05-01T10:02:30.000Z", "type": "gemini", "content": "héllo",
                             "model": "gemini-2.5-pro", "tokens": {"input": 100, "output": 10}}, ensure_ascii=False)
        + "\n").encode()
write(os.path.join(GEMINI, "tmp", "p", "chats", "session-g1.jsonl"), chat[:chat.index("é".encode()) + 1])
query("SELECT lumo_sync('', '%s', '', '', '')" % GEMINI, db=DB5)
c.eq("5. a Gemini line cut mid-character is torn, nothing else", [("tmp/p/chats/session-g1.jsonl", 2, "torn")],
     rows("SELECT file, line, kind FROM diagnostics WHERE file LIKE 'tmp/%'", DB5))

# 6. A Codex thread live and archived (the older copy is reported by the walk: superseded),
# then a sync of Claude alone, as the status line runs it.
CODEX6 = os.path.join(OUT, "codex6")
shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "real", "codex"), CODEX6)
shutil.copy2(os.path.join(CODEX6, LIVE), os.path.join(CODEX6, "archived_sessions", NAME))
os.utime(os.path.join(CODEX6, "archived_sessions", NAME), (2e9, 2e9))
DB6 = os.path.join(OUT, "partial.db")
WALK = "SELECT file, kind FROM diagnostics WHERE phase = 'walk'"
query("SELECT lumo_sync('%s', '', '%s')" % (TORN, CODEX6), db=DB6)
c.eq("6. the older copy is reported", [(LIVE, "superseded")], rows(WALK, DB6))
query("SELECT lumo_sync('%s')" % TORN, db=DB6)
c.eq("6. a sync of Claude alone keeps Codex's walk rows", [(LIVE, "superseded")], rows(WALK, DB6))
os.unlink(os.path.join(CODEX6, LIVE))
query("SELECT lumo_sync('', '', '%s')" % CODEX6, db=DB6)
c.eq("6. the next Codex sync replaces them (no older copy now)", [], rows(WALK, DB6))

# 7. A lookup with a collation: session_id = 'S8' COLLATE NOCASE matches session s8 (the
# tables took the constraint and compared bytes).
NOCASE = "SELECT %s FROM %s('" + TORN + "') WHERE %s COLLATE NOCASE"
c.eq("7. claude_usage by session_id, NOCASE", [(80,), (90,)],
     rows(NOCASE % ("input_tokens", "claude_usage", "session_id = 'S8'"), ":memory:"))
c.eq("7. claude_usage by message_id, NOCASE", [(90,)],
     rows(NOCASE % ("input_tokens", "claude_usage", "message_id = 'M9'"), ":memory:"))
c.eq("7. claude_messages by session_id, NOCASE", [("u8",), ("u9",)],
     rows(NOCASE % ("uuid", "claude_messages", "session_id = 'S8'"), ":memory:"))

c.done()
