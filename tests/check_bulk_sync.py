"""check_bulk_sync: a first sync into an empty database is one bulk load (ext/sync_bulk.c:
one transaction, secondary indexes and rollups made at the end); the database it leaves
must be the one the ordinary path writes (LUMO_SYNC_BULK=0: batched transactions, the
triggers row by row), table by table, row by row, and the schema (indexes, triggers,
views) the same. Every agent's real fixtures and the generated corpus (replays, resumed
sessions, streaming copies, damage) go through both. Also: the bulk path really ran (its
indexes were made after the views), the database is in WAL mode after it, a second sync
of the bulk-loaded database adds nothing, and a bulk load whose process died before
putting WAL back (lumo_settings bulk_wal) is put back by the next sync."""
import os
import shutil
import sqlite3
import subprocess
from lumo_sql import ROOT, SO, Checker

OUT = os.path.join(ROOT, "tests", "out", "bulk_sync")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
real = os.path.join(ROOT, "tests", "fixtures", "real")
corpus = os.path.join(ROOT, "tests", "out", "corpus", "claude")
claude = ",".join([corpus, os.path.join(real, "claude"), os.path.join(ROOT, "tests", "fixtures", "traps", "claude")])
ARGS = (claude, os.path.join(real, "gemini"), os.path.join(real, "codex"), os.path.join(real, "opencode"),
        os.path.join(real, "otlp"))
c = Checker()
# columns that say when a sync ran, not what it stored
CLOCK = {"lumo_files": {"synced_at"}, "diagnostics": {"synced_at"}, "lumo_sync_runs": {"started_at", "finished_at"}}


def sync(db, bulk):
    env = dict(os.environ, TZ="UTC", LUMO_MACHINE="test", LUMO_SYNC_BULK="1" if bulk else "0")
    sql = "SELECT lumo_sync(%s)" % ", ".join("'%s'" % a for a in ARGS)
    r = subprocess.run(["sqlite3", "-cmd", ".load " + SO, db, sql], capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode:
        raise SystemExit("sync failed: " + r.stderr)
    return r.stdout


def rows(con, table):
    cols = [r[1] for r in con.execute("PRAGMA table_info(%s)" % table) if r[1] not in CLOCK.get(table, ())]
    q = "SELECT %s FROM %s" % (", ".join('"%s"' % x for x in cols), table)
    # sums of costs are added in another order (GROUP BY against one trigger call a row):
    # equal to 12 significant digits, every other value exactly
    norm = [tuple(float("%.12g" % v) if isinstance(v, float) else v for v in r) for r in con.execute(q)]
    return sorted(norm, key=repr)


bulk_db, plain_db = os.path.join(OUT, "bulk.db"), os.path.join(OUT, "plain.db")
sync(bulk_db, True)
sync(plain_db, False)
b, p = sqlite3.connect(bulk_db), sqlite3.connect(plain_db)
tables = [r[0] for r in p.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                  " ORDER BY 1")]
c.eq("tables of the bulk-loaded database", tables,
     [r[0] for r in b.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")])
nonempty = 0
for t in tables:
    want, got = rows(p, t), rows(b, t)
    nonempty += bool(want)
    if want != got:
        diff = [(x, y) for x, y in zip(want, got) if x != y][:2]
        print("table %s: %d rows by the ordinary path, %d by the bulk load; first differences %r" % (t, len(want), len(got), diff))
    c.eq("table %s, row by row" % t, True, want == got)
# the fixtures fill the tables a sync writes (not a comparison of empty tables)
for t in ("usage", "messages", "tool_uses", "file_changes", "usage_buckets", "session_totals", "session_models",
          "session_message_counts", "active_minutes", "blocks_cache", "otel_points", "otel_events", "rate_limits",
          "diagnostics"):
    c.eq("%s has rows" % t, True, p.execute("SELECT count(*) FROM %s" % t).fetchone()[0] > 0)
schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') ORDER BY 1, 2"
c.eq("indexes, triggers and views", p.execute(schema).fetchall(), b.execute(schema).fetchall())
# the bulk path ran: its indexes were dropped and made again after the views
order = "SELECT (SELECT rowid FROM sqlite_schema WHERE name = 'messages_session') > (SELECT max(rowid) FROM sqlite_schema WHERE type = 'view')"
c.eq("bulk load: messages_session made after the views", 1, b.execute(order).fetchone()[0])
c.eq("ordinary path: messages_session made before the views", 0, p.execute(order).fetchone()[0])
for name, con in (("bulk", b), ("ordinary", p)):
    c.eq("%s: journal mode after the first sync" % name, "wal", con.execute("PRAGMA journal_mode").fetchone()[0])
    c.eq("%s: no bulk_wal setting left" % name, 0, con.execute("SELECT count(*) FROM lumo_settings WHERE key = 'bulk_wal'").fetchone()[0])
b.close()
p.close()
# a second sync of the bulk-loaded database reads nothing again and writes nothing
counts = "SELECT (SELECT count(*) FROM usage), (SELECT count(*) FROM messages), (SELECT count(*) FROM tool_uses), (SELECT total(requests) FROM usage_buckets)"


def one(sql):
    con = sqlite3.connect(bulk_db)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


before = one(counts)
out = sync(bulk_db, True)
c.eq("second sync: no usage row written", True, '"usage_rows_written":0' in out)
c.eq("second sync: counts unchanged", before, one(counts))
# a bulk load that died after its commit, before going back to WAL: the next sync puts it back
con = sqlite3.connect(bulk_db)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("INSERT INTO lumo_settings VALUES ('bulk_wal', '1')")
con.commit()
con.close()
sync(bulk_db, True)
c.eq("left in rollback mode: WAL again after the next sync", ("wal",), one("PRAGMA journal_mode"))
c.eq("left in rollback mode: bulk_wal removed", (0,), one("SELECT count(*) FROM lumo_settings WHERE key = 'bulk_wal'"))
c.done()
