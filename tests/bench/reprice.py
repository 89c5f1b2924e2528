#!/usr/bin/env python3
"""reprice.py: `make bench`'s re-pricing measurement (issue 17 point 4: re-pricing 1 M stored
rows under 10 s). Also runs alone: /usr/bin/python3 tests/bench/reprice.py [ROWS].

A lumo database with ROWS usage rows (default 1,000,000; BENCH_REPRICE_ROWS) is built once
in tests/bench/corpus/reprice-2-N.db by SQL, shaped as agents write: sessions of 100
requests 20 s apart, one every 50 minutes (a year for a million rows), each in one of 37
projects, a quarter of the requests each on claude-sonnet-4-5, claude-opus-4-6, gpt-5 and a
model no table prices (acme-coder-1); inserted through the rollup triggers as lumo_sync
inserts; lumo_reprice() then prices every row.
Timed, each REPS times (the rows priced back at the built-in prices in between, untimed):
- lumo_sync (no sources) after an override of each of the four models is added: the path a
  user meets, here with every row's cost changed (the rollups move for every row);
- lumo_reprice(): every row priced again (`lumo reprice`), at unchanged prices.
Each run also checks its answer: the number of rows re-priced, and the acme rows' cost sum
against the override worked out from the token sums (so a fast wrong answer is not timed)."""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SO = os.path.join(ROOT, "dist", "lumo")
REPS = int(os.environ.get("BENCH_REPS", "3"))
MODELS = ("claude-sonnet-4-5", "claude-opus-4-6", "gpt-5", "acme-coder-1")
OVERRIDE = (2.0, 8.0, 0.2, 2.5, 4.0)  # acme-coder-1: input, output, cache read, 5m and 1h cache writes


def sql(db, text, ext=True):
    cmd = ["sqlite3", "-json"] + (["-cmd", ".load " + SO] if ext else []) + [db, text]
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, TZ="UTC", LUMO_MACHINE="bench"))
    if r.returncode:
        raise SystemExit("reprice bench: %s: %s" % (text[:80], r.stderr.strip()))
    return json.loads(r.stdout or "[]")


def build(n):
    """The database with n usage rows, priced by a first sync (kept between runs)."""
    db = os.path.join(HERE, "corpus", "reprice-2-%d.db" % n)
    if os.path.exists(db):
        return db
    os.makedirs(os.path.dirname(db), exist_ok=True)
    tmp = db + ".tmp"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(tmp + suffix):
            os.unlink(tmp + suffix)
    sql(tmp, "SELECT lumo_sync('', '', '', '', '')")
    models = " ".join("WHEN %d THEN '%s'" % (i, m) for i, m in enumerate(MODELS))
    sql(tmp, """WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x < %d)
INSERT INTO usage (key, agent, machine, session_id, project, timestamp, model, input_tokens, output_tokens,
  cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, message_id, request_id, rank_total,
  rank_has_speed, rank_mtime_ns)
SELECT 'claude:msg_' || x, 'claude', 'bench', 's' || (x / 100), 'p' || (x / 100 %% 37),
  strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1735689600 + x / 100 * 3000 + x %% 100 * 20, 'unixepoch'),
  CASE x %% 4 %s END, 1 + x %% 5000, 1 + x %% 3000, x %% 90000, x %% 7000, x %% 11 * 100,
  'msg_' || x, 'req_' || x, 0, 0, 0 FROM i""" % (n - 1, models))
    sql(tmp, "SELECT lumo_reprice()")  # rows written around lumo_sync: priced by the forced form
    os.rename(tmp, db)
    return db


def acme_expected(db):
    t = sql(db, "SELECT sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr,"
                " sum(cache_write_5m_tokens) w5, sum(cache_write_1h_tokens) w1, count(*) n FROM usage"
                " WHERE model = 'acme-coder-1'", ext=False)[0]
    usd = sum(t[k] * r for k, r in zip(("i", "o", "cr", "w5", "w1"), OVERRIDE)) / 1e6
    return t["n"], usd


def timed(db, text):
    """(wall seconds, CPU seconds of the sqlite3 process, rows): on a shared machine the
    CPU time is the figure that does not depend on the neighbours."""
    import resource
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = sql(db, text)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), out


def measure(n=None):
    """(rows for bench.py's table, notes)."""
    n = n or int(os.environ.get("BENCH_REPRICE_ROWS", "1000000"))
    db = build(n)
    _, usd = acme_expected(db)
    set_sql = "SELECT " + ", ".join("lumo_price_set('%s', %s)" % (m, ", ".join(repr(v) for v in OVERRIDE)) for m in MODELS)
    sync_sql = "SELECT lumo_sync('', '', '', '', '') AS s"
    sync_runs, all_runs, sync_cpu, all_cpu, notes = [], [], [], [], []
    for _ in range(REPS):
        sql(db, "DELETE FROM price_overrides", ext=False)
        sql(db, sync_sql)  # acme back to unpriced (untimed)
        sql(db, set_sql)
        secs, cpu, out = timed(db, sync_sql)
        sync_cpu.append(cpu)
        got = json.loads(out[0]["s"])["repriced_rows"]
        cost = sql(db, "SELECT sum(cost_usd) c FROM usage WHERE model = 'acme-coder-1'", ext=False)[0]["c"]
        if got != n or abs(cost - usd) > 1e-6 * usd:
            raise SystemExit("reprice bench: sync re-priced %d rows (want %d), acme cost %r (want %r)" % (got, n, cost, usd))
        sync_runs.append(secs)
        secs, cpu, out = timed(db, "SELECT lumo_reprice() AS r")
        all_cpu.append(cpu)
        if json.loads(out[0]["r"])["repriced_rows"] != n:
            raise SystemExit("reprice bench: lumo_reprice() re-priced %s rows, want %d" % (out, n))
        all_runs.append(secs)
    sql(db, "DELETE FROM price_overrides", ext=False)
    sql(db, sync_sql)
    rows = [("%dk rows" % (n // 1000), "lumo_sync after overrides of every model: %d rows re-priced, every cost changed"
             % n, statistics.median(sync_runs), min(sync_runs)),
            ("%dk rows" % (n // 1000), "lumo_reprice(): all %d rows re-priced" % n, statistics.median(all_runs), min(all_runs))]
    load = os.getloadavg()[0]
    notes.append("re-pricing (issue 17 point 4, target: 1 M rows under 10 s): a lumo_sync after an override of every"
                 " model re-priced %d stored rows, every cost changed, in %.2f s wall, %.2f s CPU (medians of %d;"
                 " min %.2f s wall); lumo_reprice() of the same rows at unchanged prices took %.2f s wall, %.2f s CPU"
                 " (min %.2f s wall); load average %.1f during the runs."
                 % (n, statistics.median(sync_runs), statistics.median(sync_cpu), REPS, min(sync_runs),
                    statistics.median(all_runs), statistics.median(all_cpu), min(all_runs), load))
    return rows, notes


if __name__ == "__main__":
    rows, notes = measure(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    for r in rows:
        print("%s | %s | median %.3f s wall | min %.3f s wall" % r)
    print("\n".join(notes))
