"""check_notify: Claude Code hook notifications. The receiver (scripts/lumo-otlp-receiver)
runs on a loopback port over a fresh lumo database; the hook commands of README.md's
settings.json example run as Claude Code runs them (the hook input on stdin, the port
changed to the test's) for Notification, Stop and SubagentStop inputs written here by
hand; the hook_events table and the notifications view must hold exactly those events.
Also: another hook event and a body that is not JSON are refused (400) and not stored; a
missing database is a 503, not a new file; a database made before schema 11 gets the
hook_events table from the receiver; a schema-11 database (the events in a notifications
table) is written there by the receiver, and the next sync moves every event, ids kept,
into hook_events under the notifications view; lumo_merge brings another database's
events (schema 11's too) once."""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from lumo_sql import ROOT, Checker, fresh_db, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "notify")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
db = os.path.join(OUT, "lumo.db")
fresh_db(db)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
log = open(os.path.join(OUT, "receiver.log"), "w")
recv = subprocess.Popen(["/usr/bin/python3", "scripts/lumo-otlp-receiver", "--port", str(port), "--dir", os.path.join(OUT, "otlp"),
                         "--db", db], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                        env=dict(os.environ, LUMO_MACHINE="box-1"))
base = "http://127.0.0.1:%d" % port


def post(body):
    req = urllib.request.Request(base + "/notify", data=body, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    readme = open(os.path.join(ROOT, "README.md")).read()
    block = next(m.group(1) for m in re.finditer(r"```json\n(.*?)```", readme, re.S) if '"hooks"' in m.group(1))
    hooks = json.loads(block)["hooks"]
    inputs = [
        {"session_id": "s-1", "transcript_path": "/home/u/.claude/projects/-home-u-code-alpha/s-1.jsonl",
         "cwd": "/home/u/code/alpha", "hook_event_name": "Notification", "message": "Claude needs your permission to use Bash"},
        {"session_id": "s-1", "transcript_path": "/x.jsonl", "cwd": "/home/u/code/alpha", "hook_event_name": "Stop",
         "stop_hook_active": False},
        {"session_id": "s-2", "transcript_path": "/y.jsonl", "cwd": "/home/u/code/beta/", "hook_event_name": "SubagentStop",
         "stop_hook_active": False},
    ]
    ran = []
    for doc in inputs:
        cmd = hooks[doc["hook_event_name"]][0]["hooks"][0]["command"].replace(":4318/", ":%d/" % port)
        r = subprocess.run(["sh", "-c", cmd], input=json.dumps(doc), capture_output=True, text=True, timeout=20)
        ran.append(r.returncode)
    c.eq("the README's three hook commands exit 0", [0, 0, 0], ran)
    rows = [list(r) for r in sqlite3.connect(db).execute(
        "SELECT event, session_id, project, cwd, message, machine, agent, json_extract(body, '$.transcript_path')"
        " FROM hook_events ORDER BY id")]
    c.eq("each hook input is one hook_events row: event, session, project, cwd, message, machine", [
        ["Notification", "s-1", "alpha", "/home/u/code/alpha", "Claude needs your permission to use Bash", "box-1", "claude",
         "/home/u/.claude/projects/-home-u-code-alpha/s-1.jsonl"],
        ["Stop", "s-1", "alpha", "/home/u/code/alpha", None, "box-1", "claude", "/x.jsonl"],
        ["SubagentStop", "s-2", "beta", "/home/u/code/beta/", None, "box-1", "claude", "/y.jsonl"]], rows)
    view = [list(r) for r in sqlite3.connect(db).execute("SELECT event, local_time = datetime(received_at, 'localtime'),"
                                                         " abs(julianday(received_at) - julianday('now')) < 0.01 FROM notifications")]
    c.eq("notifications view: newest first, local time, received just now",
         [["SubagentStop", 1, 1], ["Stop", 1, 1], ["Notification", 1, 1]], view)
    c.eq("another hook event is refused", 400, post(json.dumps({"hook_event_name": "PreToolUse"}).encode())[0])
    c.eq("a body that is not JSON is refused", 400, post(b"hello")[0])
    c.eq("nothing stored for the refused bodies", 3, sqlite3.connect(db).execute("SELECT count(*) FROM hook_events").fetchone()[0])
    # lumo_merge brings another machine's hook events, once, numbered here after the rows
    # already there (in their time order); a schema-11 database's (its notifications
    # table: no cwd, no title) too
    other, old11 = os.path.join(OUT, "other.db"), os.path.join(OUT, "schema11.db")
    fresh_db(other)
    con = sqlite3.connect(other)
    con.execute("INSERT INTO hook_events (received_at, agent, machine, event, session_id, project, cwd, message, title, body)"
                " VALUES ('2020-01-01T00:00:00.000Z', 'claude', 'box-2', 'Stop', 's-9', 'gamma', '/g', NULL, NULL, '{}')")
    con.commit()
    con.close()
    fresh_db(old11)
    con = sqlite3.connect(old11)
    con.executescript("DROP VIEW notifications; DROP INDEX hook_events_time; ALTER TABLE hook_events RENAME TO notifications;"
                      "ALTER TABLE notifications DROP COLUMN cwd; ALTER TABLE notifications DROP COLUMN title;"
                      "INSERT INTO notifications VALUES (7, '2021-01-01T00:00:00.000Z', 'claude', 'box-3', 'Notification',"
                      " 's-8', 'delta', 'needs you', '{\"m\": 1}');")
    con.close()
    for _ in range(2):
        query("SELECT lumo_merge('%s'), lumo_merge('%s')" % (db, old11), db=other)
    c.eq("lumo_merge twice: every hook event once, each merge's numbered after the rows there, a schema-11 one without"
         " cwd and title",
         [[1, "box-2", "Stop", "/g"], [2, "box-1", "Notification", "/home/u/code/alpha"],
          [3, "box-1", "Stop", "/home/u/code/alpha"], [4, "box-1", "SubagentStop", "/home/u/code/beta/"],
          [5, "box-3", "Notification", None]],
         [list(r) for r in sqlite3.connect(other).execute("SELECT id, machine, event, cwd FROM hook_events ORDER BY id")])
    os.rename(db, db + ".away")
    code, _ = post(json.dumps(inputs[0]).encode())
    c.eq("no database: 503, and no file made", [503, False], [code, os.path.exists(db)])
    # a database from before schema 11 (no hook events table): the receiver makes it
    old = sqlite3.connect(db)
    old.executescript("CREATE TABLE lumo_settings (key TEXT PRIMARY KEY, value TEXT); INSERT INTO lumo_settings VALUES ('machine', 'm-old');")
    old.close()
    code, body = post(json.dumps(inputs[1]).encode())
    c.eq("an older database gets the table; lumo_settings' machine is used", [200, [["Stop", "m-old"]]],
         [code, [list(r) for r in sqlite3.connect(db).execute("SELECT event, machine FROM hook_events")]])
    # a schema-11 database: the events are in its notifications table, where the receiver
    # keeps writing until a sync renames it (the schema-11 database is this one, turned back)
    os.unlink(db)
    fresh_db(db)
    old = sqlite3.connect(db, isolation_level=None)
    old.executescript("DROP VIEW notifications; ALTER TABLE hook_events RENAME TO notifications; DROP INDEX hook_events_time;"
                      " CREATE INDEX notifications_time ON notifications (received_at);"
                      " CREATE VIEW notifications_local AS SELECT * FROM notifications;"
                      " INSERT INTO notifications (id, received_at, agent, machine, event, body)"
                      "  VALUES (4, '2026-01-01T00:00:00.000Z', 'claude', 'm-11', 'Stop', '{}');"
                      " UPDATE lumo_schema_version SET version = 11; DELETE FROM lumo_settings WHERE key = 'schema_hash';")
    old.close()
    code, body = post(json.dumps(inputs[0]).encode())
    c.eq("a schema-11 database: the event goes to its notifications table (id after the stored one)",
         [200, {"stored": 5}, [[4, "Stop"], [5, "Notification"]], 0],
         [code, body, [list(r) for r in sqlite3.connect(db).execute("SELECT id, event FROM notifications ORDER BY id")],
          sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master WHERE name = 'hook_events'").fetchone()[0]])
    migrated = subprocess.run(["sqlite3", "-cmd", ".load " + os.path.join(ROOT, "dist", "lumo"), db,
                                    "SELECT lumo_sync('tests/fixtures/no-such-root')"], cwd=ROOT, capture_output=True, text=True)
    con = sqlite3.connect(db)
    c.eq("the next sync: schema 13, both events in hook_events with their ids, the notifications view over them",
         [0, 13, [[4, "Stop"], [5, "Notification"]], [[5, "Notification"], [4, "Stop"]], "view"],
         [migrated.returncode, con.execute("SELECT version FROM lumo_schema_version").fetchone()[0],
          [list(r) for r in con.execute("SELECT id, event FROM hook_events ORDER BY id")],
          [list(r) for r in con.execute("SELECT id, event FROM notifications")],
          con.execute("SELECT type FROM sqlite_master WHERE name = 'notifications'").fetchone()[0]])
    con.close()
    code, body = post(json.dumps(inputs[1]).encode())
    c.eq("after it the receiver writes hook_events", [200, {"stored": 6}, 3],
         [code, body, sqlite3.connect(db).execute("SELECT count(*) FROM notifications").fetchone()[0]])
finally:
    os.killpg(recv.pid, signal.SIGTERM)
    recv.wait(timeout=10)
c.done()
