"""check_joins: joins between source tables (issue 16 point 9). SQLite calls xFilter of a
join's inner table once per outer row; claude_usage answers those calls from its finished
scan (by message_id or session_id), so the planner puts it inside and the files are read
once per table. Checked here on the real Claude fixtures and the generated corpus:
  - the join's rows equal the same join computed in Python from the two tables read
    separately (every column compared), for message_id and session_id joins, written
    in either order;
  - the plan puts claude_usage inside, using the message_id (0x08) or session_id (0x02)
    lookup;
  - claude_usage WHERE message_id = X gives exactly the full scan's rows with that id,
    for every id, and none for an unknown id or NULL;
  - a root that changes per outer row is scanned again (no answer from another root's
    scan), and the time-bound pushdown is not served from a scan without it.
How long a join takes against its two scans is measured in `make bench`, not here."""
import collections
import os
import subprocess
from lumo_sql import ROOT, SO, Checker, query

c = Checker()
ROOTS = ["tests/fixtures/real/claude", "tests/out/corpus/claude"]
USAGE = "message_id, request_id, session_id, timestamp, model, input_tokens, output_tokens, cache_read_tokens, file, line"


def plan_of(sql):
    """The query plan as the sqlite3 shell prints it (one line per step)."""
    return subprocess.run(["sqlite3", "-cmd", ".load " + SO, ":memory:", "EXPLAIN QUERY PLAN " + sql],
                          capture_output=True, text=True, cwd=ROOT, check=True).stdout


def rows(sql):
    return sorted(tuple(r.values()) for r in query(sql))


for root in ROOTS:
    if not os.path.isdir(os.path.join(ROOT, root)):
        c.eq("%s exists (tests/run.sh generates the corpus first)" % root, True, False)
        continue
    usage = query("SELECT %s FROM claude_usage('%s')" % (USAGE, root))
    msgs = query("SELECT message_id, session_id, uuid, line, file FROM claude_messages('%s')" % root)
    c.eq("%s: the tables have rows" % root, True, len(usage) > 10 and len(msgs) > 10)
    by_mid = collections.defaultdict(list)
    by_sid = collections.defaultdict(list)
    for u in usage:
        if u["message_id"] is not None:
            by_mid[u["message_id"]].append(u)
        if u["session_id"] is not None:
            by_sid[u["session_id"]].append(u)
    # message_id join, computed in Python
    want = sorted((m["uuid"], m["file"], m["line"], u["request_id"], u["output_tokens"], u["cache_read_tokens"])
                  for m in msgs for u in by_mid.get(m["message_id"], []))
    c.eq("%s: message_id join has rows" % root, True, len(want) > 0)
    for order in ("claude_messages('{r}') m JOIN claude_usage('{r}') u", "claude_usage('{r}') u JOIN claude_messages('{r}') m"):
        src = order.format(r=root)
        got = rows("SELECT m.uuid, m.file, m.line, u.request_id, u.output_tokens, u.cache_read_tokens FROM %s"
                   " ON u.message_id = m.message_id" % src)
        c.eq("%s: %s ON message_id" % (root, order.split("'")[0]), want, got)
        plan = plan_of("SELECT * FROM %s ON u.message_id = m.message_id" % src)
        c.eq("%s: plan of %s ON message_id: usage inside, by message_id" % (root, order.split("'")[0]),
             True, plan.index("SCAN m") < plan.index("SCAN u") and "SCAN u VIRTUAL TABLE INDEX 9:" in plan)
    # session_id join: counts per session pair, computed in Python
    want = sum(len(by_sid.get(m["session_id"], [])) for m in msgs)
    got = query("SELECT count(*) n FROM claude_messages('%s') m JOIN claude_usage('%s') u USING (session_id)"
                % (root, root))[0]["n"]
    c.eq("%s: session_id join row count" % root, want, got)
    plan = plan_of("SELECT * FROM claude_usage('%s') u JOIN claude_messages('%s') m USING (session_id)" % (root, root))
    c.eq("%s: plan of the session_id join: usage inside, by session_id" % root, True,
         plan.index("SCAN m") < plan.index("SCAN u") and "SCAN u VIRTUAL TABLE INDEX 3:" in plan)
    # every message id looked up, against the full scan's rows
    want = sorted(tuple(u.values()) for u in usage if u["message_id"] is not None)
    cols = ", ".join("u." + x.strip() for x in USAGE.split(","))
    got = rows("SELECT %s FROM (SELECT DISTINCT message_id FROM claude_usage('%s') WHERE message_id IS NOT NULL) k"
               " JOIN claude_usage('%s') u ON u.message_id = k.message_id" % (cols, root, root))
    c.eq("%s: every message id looked up" % root, want, got)
    c.eq("%s: unknown and NULL message ids" % root, [0, 0], [
        query("SELECT count(*) n FROM claude_usage('%s') WHERE message_id = 'msg_no_such_id'" % root)[0]["n"],
        query("SELECT count(*) n FROM claude_usage('%s') WHERE message_id = NULL" % root)[0]["n"]])

# A root per outer row: each is scanned for itself.
each = [query("SELECT count(*) n FROM claude_usage('%s')" % r)[0]["n"] for r in ROOTS]
got = [r["n"] for r in query("SELECT (SELECT count(*) FROM claude_usage(r.root)) n FROM (SELECT '%s' root UNION ALL"
                             " SELECT '%s' UNION ALL SELECT '%s') r" % (ROOTS[0], ROOTS[1], ROOTS[0]))]
c.eq("a correlated root: each root's own rows", [each[0], each[1], each[0]], got)
# The time bound prunes files: a bound per outer row is not answered from a scan without it.
root = ROOTS[0]
stamps = sorted(u["timestamp"] for u in query("SELECT timestamp FROM claude_usage('%s')" % root))
bounds = [stamps[0], stamps[len(stamps) // 2], stamps[-1]]
want = [sum(1 for s in stamps if s >= b) for b in bounds]
got = [r["n"] for r in query("SELECT (SELECT count(*) FROM claude_usage('%s') u WHERE u.timestamp >= b.t) n FROM (%s) b"
                             % (root, " UNION ALL ".join("SELECT '%s' t" % b for b in bounds)))]
c.eq("a time bound per outer row", want, got)
c.done()
