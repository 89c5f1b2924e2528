"""check_rollups: the dashboard's rollups (schema 12: session_buckets, tool_buckets,
change_buckets) and the sessions view's message counts (session_message_counts) hold exactly what their definitions say of the base tables, whichever way
the rows came in. The expected rollups are computed here in Python from the rows of usage,
tool_uses and file_changes (quarter hours by datetime, a change left out when its call's
is_error is set and not 0), and compared with the tables lumo keeps, after:
  - an incremental sync (LUMO_SYNC_BULK=0) of every agent's real fixtures cut to their first
    half, then a second sync of the whole files (results, outcomes and line counts arrive
    in the later sync: the UPDATE triggers);
  - the bulk first sync of the same files (sync_bulk.c builds the rollups at its end);
  - lumo_merge of the whole database into the half-synced one (outcomes added by UPDATE);
  - random inserts, updates and deletes on the base tables (outcomes flipped, a
    change's call replaced, deleted or stored after it, times moved or unknown, a re-pricing
    that must not move a session, a record moved to another session), each checked after
    its own batch;
  - the schema-11 database a sync migrates (rollups filled from the rows; the notifications
    table becomes hook_events with its rows and ids, notifications becomes the view).
The panels that read the rollups are checked against the rows by check_dashboard_browser."""
import datetime
import os
import random
import shutil
import sqlite3
import subprocess
from lumo_sql import ROOT, SO, Checker

OUT = os.path.join(ROOT, "tests", "out", "rollups")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
REAL = os.path.join(ROOT, "tests", "fixtures", "real")
SOURCES = [("claude", os.path.join(REAL, "claude")), ("claude2", os.path.join(ROOT, "tests", "fixtures", "traps", "claude")),
           ("gemini", os.path.join(REAL, "gemini")), ("codex", os.path.join(REAL, "codex")),
           ("opencode", os.path.join(REAL, "opencode"))]
c = Checker()


def bucket(ts):
    """The UTC quarter hour of an ISO instant, '' when unknown. A time that is not an
    instant (a fixture's '[trimmed for fixture]') keeps a key of its own text, which sorts
    after every range's end as the text itself does: its first 14 characters, then 00."""
    if ts is None:
        return ""
    try:
        t = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    except ValueError:
        return ts[:14] + "00:00Z"
    return t.replace(minute=t.minute // 15 * 15, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:00Z")


def expected(con):
    con.row_factory = sqlite3.Row
    sess, tools, changes = {}, {}, {}
    for r in con.execute("SELECT timestamp, agent, machine, project, session_id FROM usage"):
        k = (bucket(r["timestamp"]), r["agent"], r["machine"], r["project"] or "", r["session_id"] or "")
        sess[k] = sess.get(k, 0) + 1
    outcome = {}
    for r in con.execute("SELECT key, timestamp, agent, machine, project, tool_name, is_error FROM tool_uses"):
        outcome[r["key"]] = r["is_error"]
        k = (bucket(r["timestamp"]), r["agent"], r["machine"], r["project"] or "", r["tool_name"] or "")
        v = tools.setdefault(k, [0, 0, 0])
        v[0] += 1
        v[1] += r["is_error"] == 0
        v[2] += r["is_error"] == 1
    for r in con.execute("SELECT tool_key, timestamp, agent, machine, project, lines_added, lines_removed FROM file_changes"):
        if outcome.get(r["tool_key"]) not in (None, 0):  # the call failed: the change did not happen
            continue
        k = (bucket(r["timestamp"]), r["agent"], r["machine"], r["project"] or "")
        v = changes.setdefault(k, [0, 0, 0])
        v[0] += 1
        v[1] += r["lines_added"] or 0
        v[2] += r["lines_removed"] or 0
    counts = {}
    for r in con.execute("SELECT agent, session_id FROM messages"):
        k = (r["agent"], r["session_id"] or "")
        counts[k] = counts.get(k, 0) + 1
    con.row_factory = None
    return {"session_message_counts": sorted(list(k) + [v] for k, v in counts.items()),
            "session_buckets": sorted(list(k) + [v] for k, v in sess.items()),
            "tool_buckets": sorted(list(k) + v for k, v in tools.items()),
            "change_buckets": sorted(list(k) + v for k, v in changes.items())}


def stored(con):
    return {t: sorted(list(r) for r in con.execute("SELECT * FROM " + t)) for t in ("session_message_counts", "session_buckets", "tool_buckets", "change_buckets")}


def check(db, what):
    con = sqlite3.connect(db)
    want, got = expected(con), stored(con)
    con.close()
    for t in want:  # the rows only one side has (a mismatch names those, not whole tables)
        c.eq("%s: %s equals its definition over the rows (%d rows); [expected only, stored only]" % (what, t, len(want[t])),
             [[], []], [[r for r in want[t] if r not in got[t]], [r for r in got[t] if r not in want[t]]])
    return want


def sql(db, statement, bulk=False):
    env = dict(os.environ, TZ="UTC", LUMO_MACHINE="test", LUMO_SYNC_BULK="1" if bulk else "0")
    r = subprocess.run(["sqlite3", "-cmd", ".load " + SO, db, statement], capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode:
        raise SystemExit("%s failed: %s" % (statement[:60], r.stderr))
    return r.stdout


def sync(db, roots, bulk=False):
    claude = ",".join(p for n, p in roots if n.startswith("claude"))
    args = [claude] + [p for n, p in roots if not n.startswith("claude")]
    return sql(db, "SELECT lumo_sync(%s)" % ", ".join("'%s'" % a for a in args), bulk)


def half_copy(dst):
    """The fixtures with every text file cut to its first half of lines (whole lines; a
    SQLite database is copied whole)."""
    roots = []
    for name, src in SOURCES:
        d = os.path.join(dst, name)
        shutil.copytree(src, d)
        for base, _, files in os.walk(d):
            for f in files:
                p = os.path.join(base, f)
                if f.endswith((".jsonl", ".json")):
                    lines = open(p, "rb").read().split(b"\n")
                    if f.endswith(".jsonl") and len(lines) > 2:
                        open(p, "wb").write(b"\n".join(lines[:len(lines) // 2]) + b"\n")
        roots.append((name, d))
    return roots


# 1. incremental: half the lines, then the whole files (appends and rewrites)
home = os.path.join(OUT, "home")
roots = half_copy(home)
inc = os.path.join(OUT, "incremental.db")
sync(inc, roots)
half = check(inc, "half-synced (incremental)")
shutil.copy(inc, os.path.join(OUT, "half.db"))
for (name, src), (_, d) in zip(SOURCES, roots):
    shutil.rmtree(d)
    shutil.copytree(src, d)
sync(inc, roots)
whole = check(inc, "incremental sync of the rest")
c.eq("the second sync changed the rollups (outcomes and lines arrived)", True, half != whole)
con = sqlite3.connect(inc)
c.eq("the fixtures hold failed calls with file changes and calls without an outcome", [True, True, True],
     [con.execute("SELECT count(*) FROM file_changes f JOIN tool_uses t ON t.key = f.tool_key WHERE t.is_error = 1").fetchone()[0] > 0,
      con.execute("SELECT count(*) FROM tool_uses WHERE is_error IS NULL").fetchone()[0] > 0,
      con.execute("SELECT count(DISTINCT agent) FROM tool_uses").fetchone()[0] >= 3])
con.close()

# 2. the bulk first sync of the whole files, and the same files in one ordinary sync
bulk, plain = os.path.join(OUT, "bulk.db"), os.path.join(OUT, "plain.db")
sync(bulk, SOURCES, bulk=True)
sync(plain, SOURCES)
c.eq("bulk first sync: the rollups of the ordinary sync of the same files", check(plain, "one ordinary sync"),
     check(bulk, "bulk first sync"))

# 3. lumo_merge of the whole database into the half-synced one
merged = os.path.join(OUT, "merged.db")
shutil.copy(os.path.join(OUT, "half.db"), merged)
sql(merged, "SELECT lumo_merge('%s')" % bulk)
c.eq("the merge changed the rollups", True, check(merged, "lumo_merge") != half)

# 4. random writes on the base tables, as a client or a later lumo might make them
rnd = random.Random(21)
mut = os.path.join(OUT, "mutated.db")
shutil.copy(inc, mut)
con = sqlite3.connect(mut, isolation_level=None)
for batch in range(12):
    con.execute("BEGIN")
    tool_keys = [r[0] for r in con.execute("SELECT key FROM tool_uses")]
    change_keys = [r[0] for r in con.execute("SELECT key FROM file_changes")]
    usage_keys = [r[0] for r in con.execute("SELECT key FROM usage")]
    message_keys = [r[0] for r in con.execute("SELECT key FROM messages")]
    # calls with file changes, where an outcome moves the lines card
    changed_calls = [r[0] for r in con.execute("SELECT DISTINCT tool_key FROM file_changes")]
    for _ in range(25):
        op = rnd.randrange(13)
        t = "2026-0%d-%02dT%02d:%02d:%02d.%03dZ" % (rnd.randint(1, 3), rnd.randint(1, 28), rnd.randint(0, 23),
                                                   rnd.choice([0, 14, 15, 29, 30, 44, 45, 59]), rnd.randint(0, 59), rnd.randint(0, 999))
        call = rnd.choice(changed_calls if changed_calls and rnd.random() < 0.6 else tool_keys or [""])
        if op == 0 and tool_keys:  # an outcome set, cleared or flipped (2: a non-zero value not 1)
            con.execute("UPDATE tool_uses SET is_error = ? WHERE key = ?", (rnd.choice([None, 0, 1, 2]), call))
        elif op == 1 and tool_keys:  # a call deleted (its changes now count), then maybe stored again failed
            k = call
            row = con.execute("SELECT * FROM tool_uses WHERE key = ?", (k,)).fetchone()
            con.execute("DELETE FROM tool_uses WHERE key = ?", (k,))
            if row and rnd.random() < 0.7:
                row = list(row)
                row[8] = rnd.choice([None, 0, 1])
                con.execute("INSERT INTO tool_uses VALUES (%s)" % ",".join("?" * len(row)), row)
        elif op == 2 and change_keys:  # a change given another call
            con.execute("UPDATE file_changes SET tool_key = ? WHERE key = ?", (rnd.choice(tool_keys + ["no:such"]), rnd.choice(change_keys)))
        elif op == 3 and change_keys:  # a change's lines, time or project
            col, val = rnd.choice([("lines_added", rnd.choice([None, 0, 7])), ("lines_removed", rnd.choice([None, 3])),
                                   ("timestamp", rnd.choice([None, t])), ("project", rnd.choice([None, "", "p1", "p2"]))])
            con.execute("UPDATE file_changes SET %s = ? WHERE key = ?" % col, (val, rnd.choice(change_keys)))
        elif op == 4 and change_keys:
            con.execute("DELETE FROM file_changes WHERE key = ?", (rnd.choice(change_keys),))
        elif op == 5 and tool_keys:  # a new change of a call (failed or not)
            con.execute("INSERT OR IGNORE INTO file_changes (key, tool_key, agent, machine, session_id, project, timestamp, path,"
                        " operation, lines_added, lines_removed) VALUES (?, ?, 'claude', 'm2', 's', ?, ?, 'a.py', 'edit', ?, ?)",
                        ("x%d" % rnd.randrange(10 ** 9), rnd.choice(tool_keys), rnd.choice([None, "p1"]), rnd.choice([None, t]),
                         rnd.randint(0, 9), rnd.choice([None, 2])))
        elif op == 6 and tool_keys:  # a call's time, tool, project or machine
            col, val = rnd.choice([("timestamp", rnd.choice([None, t])), ("tool_name", rnd.choice([None, "Bash", "Edit"])),
                                   ("project", rnd.choice([None, "p1"])), ("machine", "m3")])
            con.execute("UPDATE tool_uses SET %s = ? WHERE key = ?" % col, (val, rnd.choice(tool_keys)))
        elif op == 7 and tool_keys:  # a call's key changed: its changes follow the new key's outcome
            k = call
            con.execute("UPDATE OR IGNORE tool_uses SET key = ? WHERE key = ?", (k + ":moved", k))
        elif op == 8 and usage_keys:  # a request moved in time, session or project
            col, val = rnd.choice([("timestamp", rnd.choice([None, t])), ("session_id", rnd.choice([None, "", "s9"])),
                                   ("project", rnd.choice([None, "p2"])), ("agent", "codex")])
            con.execute("UPDATE usage SET %s = ? WHERE key = ?" % col, (val, rnd.choice(usage_keys)))
        elif op == 9 and usage_keys:
            con.execute("DELETE FROM usage WHERE key = ?", (rnd.choice(usage_keys),))
        elif op == 10 and usage_keys:  # a re-pricing: no session moves
            con.execute("UPDATE usage SET cost_usd = ?, price_source = 'override' WHERE key = ?", (rnd.random(), rnd.choice(usage_keys)))
        elif op == 11 and usage_keys:  # a copy of a request under a new key
            row = con.execute("SELECT * FROM usage WHERE key = ?", (rnd.choice(usage_keys),)).fetchone()
            if not row:
                continue
            cols = [r[1] for r in con.execute("PRAGMA table_info(usage)")]
            row = dict(zip(cols, row), key="copy%d" % rnd.randrange(10 ** 9), timestamp=rnd.choice([None, t]))
            con.execute("INSERT INTO usage (%s) VALUES (%s)" % (",".join(row), ",".join("?" * len(row))), list(row.values()))
        elif op == 12 and message_keys:  # a record's kept copy moved to another session (schema 13), or none
            con.execute("UPDATE messages SET session_id = ? WHERE key = ?", (rnd.choice([None, "", "s9", "s1"]), rnd.choice(message_keys)))
    con.execute("COMMIT")
    check(mut, "random writes, batch %d" % batch)
con.close()

# 5. a schema-11 database: no rollups (its weekly_summary read usage), the hook events in a
# notifications table, and a view of the user's own that no longer parses (the rename of
# the table must not depend on every view of the database)
old = os.path.join(OUT, "schema11.db")
shutil.copy(inc, old)
con = sqlite3.connect(old, isolation_level=None)
for name, in con.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE 'session\\_buckets%' ESCAPE '\\'"
                         " OR name LIKE 'tool\\_buckets%' ESCAPE '\\' OR name LIKE 'change\\_buckets%' ESCAPE '\\')").fetchall():
    con.execute("DROP TRIGGER " + name)
con.executescript("""
DROP VIEW weekly_summary;
DROP TABLE session_buckets; DROP TABLE tool_buckets; DROP TABLE change_buckets; DROP INDEX git_ops_time;
DROP INDEX tool_uses_time;
CREATE INDEX tool_uses_time ON tool_uses (timestamp, agent, project, machine, tool_name, is_error, session_id);
DROP VIEW notifications; DROP INDEX hook_events_time; ALTER TABLE hook_events RENAME TO notifications;
CREATE INDEX notifications_time ON notifications (received_at);
CREATE VIEW notifications_local AS SELECT datetime(received_at, 'localtime') AS local_time, event FROM notifications;
INSERT INTO notifications (id, received_at, agent, machine, event, session_id, project, message, body) VALUES
  (5, '2026-03-01T10:00:00.000Z', 'claude', 'm1', 'Notification', 's1', 'p1', 'needs you', '{}'),
  (7, '2026-03-01T10:05:00.000Z', 'claude', 'm1', 'Stop', 's1', 'p1', NULL, '{}'),
  (9, '2026-03-01T10:06:00.000Z', 'claude', 'm1', 'SubagentStop', 's1', 'p1', NULL, '{}');
UPDATE lumo_schema_version SET version = 11; DELETE FROM lumo_settings WHERE key = 'schema_hash';
CREATE VIEW mine AS SELECT * FROM a_table_since_dropped;
""")
con.close()
sql(old, "SELECT lumo_sync('%s')" % os.path.join(ROOT, "tests", "fixtures", "no-such-root"))
c.eq("schema 11 -> 12: the rollups filled from the rows", whole, check(old, "migrated from schema 11"))
con = sqlite3.connect(old)
c.eq("schema 11 -> current (13): version, hook_events' rows and ids, the notifications view, no old names",
     [13, [[5, "Notification", "needs you"], [7, "Stop", None], [9, "SubagentStop", None]],
      [[9, "SubagentStop"], [7, "Stop"], [5, "Notification"]], [["hook_events", "table"], ["notifications", "view"]],
      ["git_ops_time", "hook_events_time"]],
     [con.execute("SELECT version FROM lumo_schema_version").fetchone()[0],
      [list(r) for r in con.execute("SELECT id, event, message FROM hook_events ORDER BY id")],
      [list(r) for r in con.execute("SELECT id, event FROM notifications")],
      [list(r) for r in con.execute("SELECT name, type FROM sqlite_schema WHERE name IN ('hook_events', 'notifications',"
                                    " 'notifications_v11', 'notifications_local') ORDER BY name")],
      [r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE name IN ('git_ops_time', 'hook_events_time',"
                                 " 'notifications_time') ORDER BY name")]])
c.eq("schema 11 -> 13: tool_uses_time made again with the tools views' columns",
     ["timestamp", "agent", "project", "machine", "tool_name", "is_error", "session_id", "mcp_server", "mcp_tool",
      "duration_ms", "result_bytes"],
     [r[0] for r in sqlite3.connect(old).execute("SELECT name FROM pragma_index_info('tool_uses_time')")])
c.eq("schema 11 -> 12: the user's view is left as it was", [["mine", "CREATE VIEW mine AS SELECT * FROM a_table_since_dropped"]],
     [list(r) for r in con.execute("SELECT name, sql FROM sqlite_schema WHERE name = 'mine'")])
con.close()
c.done()
