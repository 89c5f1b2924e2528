"""check_reprice: prices live in the lumo database and stored history is re-priced (issue 17
points 3-4; issue 16 point 7: overrides are read per use, never kept by a connection).

A Claude home written here holds four requests: two of `acme-coder-1`, a model no price
table has, and two of Claude Sonnet 4.5 ($3 input, $15 output, $0.30 cache read, $3.75
5-minute and $6 1-hour cache write per million tokens below its 200K tier: Anthropic's
list). Every cost below is worked by hand from those rates and the token counts:

  a1 acme 2026-03-01T18:30Z  in 1000  out 500   read 20000  write5m 3000
  a2 acme 2026-03-02T09:00Z  in 200   out 100                write1h 1000
  s1 sonnet 2026-03-01T12:00Z in 100  out 1000  read 5000     = 300+15000+1500 = 16800e-6
  s2 sonnet 2026-03-02T10:00Z in 10   out 20                  = 30+300         =   330e-6

With the override acme-coder-1 = $2 / $8 / $0.20 / $2.50 / $4:
  a1 = 2000 + 4000 + 4000 + 7500 = 17500e-6;  a2 = 400 + 800 + 4000 = 5200e-6.

The scenario: sync (acme unpriced: NULL cost, its tokens counted as unpriced); add the
override in one connection; another connection and `scripts/lumo` see it at once; the next
sync re-prices exactly the two acme rows and nothing else; every view agrees; remove the
override (with plain SQLite, as any client would): NULL again. Then a dated override, the
refused inputs (nothing stored changes), an override for a name no request uses (accepted,
with a warning), `lumo reprice` setting right a cost edited by hand, and a schema-7
database migrated with its overrides."""
import json
import os
import shutil
import subprocess
import sys
from lumo_sql import ROOT, SO, Checker, query

OUT = os.path.join(ROOT, "tests", "out", "reprice")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
HOME = os.path.join(OUT, "claude")
DB = os.path.join(OUT, "lumo.db")
LUMO = [sys.executable, os.path.join(ROOT, "scripts", "lumo")]
c = Checker()
TOL = 1e-12

SESSION = "5e550001-0000-4000-8000-00000000acme"
REQUESTS = [  # key, time, model, input, output, cache_read, write_5m, write_1h
    ("a1", "2026-03-01T18:30:00.000Z", "acme-coder-1", 1000, 500, 20000, 3000, 0),
    ("a2", "2026-03-02T09:00:00.000Z", "acme-coder-1", 200, 100, 0, 0, 1000),
    ("s1", "2026-03-01T12:00:00.000Z", "claude-sonnet-4-5-20250929", 100, 1000, 5000, 0, 0),
    ("s2", "2026-03-02T10:00:00.000Z", "claude-sonnet-4-5-20250929", 10, 20, 0, 0, 0),
]
SONNET = {"s1": 16800e-6, "s2": 330e-6}
ACME = {"a1": 17500e-6, "a2": 5200e-6}
ACME_TOKENS = {"a1": 1000 + 500 + 20000 + 3000, "a2": 200 + 100 + 1000}


def write_home():
    d = os.path.join(HOME, "projects", "-home-u-shop")
    os.makedirs(d)
    with open(os.path.join(d, SESSION + ".jsonl"), "w") as f:
        for k, t, model, i, o, cr, w5, w1 in sorted(REQUESTS, key=lambda r: r[1]):
            rec = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/home/u/shop",
                   "sessionId": SESSION, "version": "2.1.39", "gitBranch": "main", "type": "assistant",
                   "uuid": "u-" + k, "timestamp": t, "requestId": "req_" + k,
                   "message": {"model": model, "id": "msg_" + k, "type": "message", "role": "assistant",
                               "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                               "usage": {"input_tokens": i, "output_tokens": o, "cache_read_input_tokens": cr,
                                         "cache_creation_input_tokens": w5 + w1, "service_tier": "standard",
                                         "cache_creation": {"ephemeral_5m_input_tokens": w5,
                                                            "ephemeral_1h_input_tokens": w1}}}}
            f.write(json.dumps(rec) + "\n")


def sync(db=DB):
    return json.loads(query("SELECT lumo_sync('%s') AS s" % HOME, db=db)[0]["s"])


def plain(sql, db=DB):
    """The database through sqlite3 without the extension: any client's view of it."""
    r = subprocess.run(["sqlite3", "-json", db, sql], capture_output=True, text=True, env=dict(os.environ, TZ="UTC"))
    if r.returncode:
        raise SystemExit("plain sqlite3 failed: " + r.stderr)
    return json.loads(r.stdout or "[]")


def ext_error(sql, db=DB):
    """The error message of sql run with the extension ('' when it succeeds)."""
    r = subprocess.run(["sqlite3", "-cmd", ".load " + SO, db, sql], capture_output=True, text=True)
    return r.stderr.strip() if r.returncode else ""


def lumo(*argv):
    r = subprocess.run(LUMO + ["--db", DB] + list(argv), capture_output=True, text=True,
                       env=dict(os.environ, TZ="UTC", LUMO_EXTENSION=SO + ".so"))
    return r.returncode, r.stdout, r.stderr


def costs():
    return {r["k"]: (r["cost_usd"], r["price_source"])
            for r in plain("SELECT substr(message_id, 5) k, cost_usd, price_source FROM usage")}


def close(want, got):
    return got is not None and abs(want - got) < TOL


# every stored row but the three price columns, and the other tables: what a re-pricing must not touch
REST = ("SELECT * FROM (SELECT key, agent, machine, session_id, timestamp, model, input_tokens, output_tokens,"
        " cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, message_id, request_id, file, line FROM usage"
        " ORDER BY key)")


def untouched():
    return [plain(REST), plain("SELECT * FROM messages ORDER BY rowid"), plain("SELECT * FROM lumo_files ORDER BY rowid"),
            plain("SELECT key, cost_usd, price_source, price_fp FROM usage WHERE model NOT LIKE 'acme%' ORDER BY key")]


def views_agree(what, acme_priced):
    """Each view that carries cost against the hand-computed costs: whole history and per UTC day."""
    a = ACME if acme_priced else {}
    total = sum(SONNET.values()) + sum(a.values())
    unpriced = 0 if acme_priced else sum(ACME_TOKENS.values())
    day_cost = {"2026-03-01": SONNET["s1"] + a.get("a1", 0), "2026-03-02": SONNET["s2"] + a.get("a2", 0)}
    daily = plain("SELECT day, sum(priced_cost_usd) p, sum(unpriced_tokens) u, sum(cost_usd) c, count(cost_usd) n,"
                  " count(*) rows FROM daily GROUP BY day ORDER BY day")
    c.eq("%s: daily days" % what, sorted(day_cost), [r["day"] for r in daily])
    for r in daily:
        c.eq("%s: daily %s priced cost" % (what, r["day"]), True, close(day_cost[r["day"]], r["p"]))
        c.eq("%s: daily %s cost_usd NULL exactly on unpriced rows" % (what, r["day"]),
             r["rows"] if acme_priced else r["rows"] - 1, r["n"])
    c.eq("%s: daily unpriced tokens" % what, unpriced, sum(r["u"] for r in daily))
    m = plain("SELECT sum(priced_cost_usd) p, sum(unpriced_tokens) u FROM monthly")[0]
    c.eq("%s: monthly priced cost and unpriced tokens" % what, [True, unpriced], [close(total, m["p"]), m["u"]])
    d = plain("SELECT cost_usd, unpriced_tokens, unpriced_models FROM dashboard")[0]
    c.eq("%s: dashboard" % what, [True, unpriced, None if acme_priced else "acme-coder-1"],
         [close(total, d["cost_usd"]), d["unpriced_tokens"], d["unpriced_models"]])
    s = plain("SELECT cost_usd FROM sessions")
    c.eq("%s: sessions view cost (NULL while a request is unpriced)" % what,
         [True] if acme_priced else [None], [close(total, s[0]["cost_usd"]) if acme_priced else s[0]["cost_usd"]])
    mo = {r["model"]: r["cost_usd"] for r in plain("SELECT model, cost_usd FROM models")}
    c.eq("%s: models view" % what, [True, True if acme_priced else None],
         [close(sum(SONNET.values()), mo.get("claude-sonnet-4-5-20250929")),
          close(sum(a.values()), mo.get("acme-coder-1")) if acme_priced else mo.get("acme-coder-1")])
    b = plain("SELECT sum(priced_cost_usd) c FROM blocks")[0]
    c.eq("%s: blocks priced cost" % what, True, close(total, b["c"]))
    bt = plain("SELECT sum(priced_cost_usd) p, sum(priced_requests) n FROM session_totals")[0]
    c.eq("%s: session_totals rollup" % what, [True, 4 if acme_priced else 2], [close(total, bt["p"]), bt["n"]])


write_home()
os.environ["LUMO_MACHINE"] = "shop"

# 1. an unknown model: NULL cost, visibly unpriced
first = sync()
c.eq("first sync wrote the four requests", 4, first["usage_rows_written"])
got = costs()
c.eq("acme rows unpriced (NULL cost, no source), never 0", [(None, None), (None, None)], [got["a1"], got["a2"]])
c.eq("sonnet rows at the built-in price", [True, True, "built-in", "built-in"],
     [close(SONNET["s1"], got["s1"][0]), close(SONNET["s2"], got["s2"][0]), got["s1"][1], got["s2"][1]])
views_agree("unpriced", False)
rc, out, err = lumo("daily", "--no-sync")
c.eq("lumo daily names the unpriced tokens, never $0.00", [0, True, False],
     [rc, "+ unpriced (25.8K tokens)" in out or "+25.8K unpr." in out, "$0.00 " in out.replace("$0.00 +", "")])
before = untouched()
before_fp = {r["message_id"]: r["price_fp"] for r in plain("SELECT message_id, price_fp FROM usage")}

# 2. the override, set in one connection, is in the database: another connection and the CLI see it
c.eq("lumo_price_set on a lumo database", [{"r": 1}],
     query("SELECT lumo_price_set('ACME-Coder-1', 2, 8, 0.2, 2.5, 4) AS r", db=DB))
c.eq("stored in price_overrides (lower-cased key)", [{"model": "acme-coder-1", "input": 2.0, "cache_write_1h": 4.0}],
     plain("SELECT model, input, cache_write_1h FROM price_overrides"))
other = query("SELECT lumo_cost('acme-coder-1', 1000, 500, 20000, 3000, 0) AS a1,"
              " lumo_cost('acme-coder-1', 200, 100, 0, 0, 1000) AS a2,"
              " (SELECT source FROM lumo_prices WHERE model = 'acme-coder-1') AS src", db=DB)[0]
c.eq("a second connection prices with it at once", [True, True, "override"],
     [close(ACME["a1"], other["a1"]), close(ACME["a2"], other["a2"]), other["src"]])
copy = os.path.join(OUT, "copied.db")  # another machine: the file alone carries the prices
shutil.copy(DB, copy)
c.eq("a copy of the database prices the same way", True,
     close(ACME["a1"], query("SELECT lumo_cost('acme-coder-1', 1000, 500, 20000, 3000, 0) AS x", db=copy)[0]["x"]))
rc, out, err = lumo("prices", "list", "--json")
lst = json.loads(out) if rc == 0 else {}
c.eq("lumo prices list shows the override", [0, [["acme-coder-1", 2.0, 8.0, 0.2, 2.5, 4.0]]],
     [rc, [[o["model"], o["input"], o["output"], o["cache_read"], o["cache_write_5m"], o["cache_write_1h"]]
           for o in lst.get("overrides", [])]])
rc, out, err = lumo("prices", "list")
c.eq("lumo prices list as a table: the override's row, the unpriced model's cost", [0, True, True],
     [rc, any(l.startswith("| acme-coder-1 ") and "| 2 " in l and "| 8 " in l for l in out.splitlines()),
      "unpriced (25.8K tokens)" in out or "+25.8K unpr." in out])
c.eq("stored rows wait for the sync (a read never writes)", [(None, None), (None, None)],
     [costs()["a1"], costs()["a2"]])

# 3. the next sync re-prices exactly the two acme rows, in the same transaction as nothing else
second = sync()
c.eq("second sync: two rows re-priced, no file read again", [2, 0], [second["repriced_rows"], second["usage_rows_written"]])
got = costs()
c.eq("acme rows priced by hand-computed costs, source override",
     [True, "override", True, "override"], [close(ACME["a1"], got["a1"][0]), got["a1"][1],
                                             close(ACME["a2"], got["a2"][0]), got["a2"][1]])
c.eq("nothing else changed (other columns, messages, files, sonnet rows and fingerprints)", before, untouched())
views_agree("override", True)
c.eq("a third sync has nothing to re-price", 0, sync()["repriced_rows"])

# 4. removed by any client (no extension): NULL again at the next sync
plain("DELETE FROM price_overrides")
c.eq("a connection sees the removal at once (overrides read per use)", [None],
     [query("SELECT lumo_cost('acme-coder-1', 1, 1, 0, 0, 0) AS x", db=DB)[0]["x"]])
third = sync()
c.eq("sync after the removal re-prices the two rows", 2, third["repriced_rows"])
got = costs()
c.eq("acme rows NULL again", [(None, None), (None, None)], [got["a1"], got["a2"]])
c.eq("fingerprints back to the first sync's", before_fp, {r["message_id"]: r["price_fp"] for r in plain("SELECT message_id, price_fp FROM usage")})
views_agree("removed", False)

# 5. a dated override (CLI): only the request inside the range is priced; NULL cache rates
#    of a model no table has leave a request with cache tokens unpriced, never at $0
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "2", "--output", "8", "--cache-read", "0.2",
                    "--cache-write-5m", "2.5", "--cache-write-1h", "4", "--from", "2026-03-02T00:00:00Z")
# (both acme rows are looked at again: a fingerprint covers the model's prices at all times)
c.eq("lumo prices set --from: stored and re-priced at once", [0, True], [rc, "2 stored request(s) re-priced" in out])
got = costs()
c.eq("a1 (before the range) unpriced, a2 priced", [(None, None), True], [got["a1"], close(ACME["a2"], got["a2"][0])])
rc, out, err = lumo("prices", "set", "acme-coder-1", "--remove")
rc2, out2, err2 = lumo("prices", "set", "acme-coder-1", "--input", "2", "--output", "8")
got = costs()
c.eq("input and output only: both acme requests have cache tokens, so stay unpriced", [0, 0, None, None],
     [rc, rc2, got["a1"][0], got["a2"][0]])
query("SELECT lumo_price_set('acme-coder-1', 2, 8, 0.2, 2.5, 4)", db=DB)
sync()
reference = untouched()
ref_over = plain("SELECT * FROM price_overrides")
ref_costs = costs()


# 6. refused inputs: a message naming the problem, nothing stored changes
def refused(what, err, words):
    c.eq("%s refused: %r names %s" % (what, err, words), True, bool(err) and all(w in err for w in words))
    c.eq("%s: overrides unchanged" % what, ref_over, plain("SELECT * FROM price_overrides"))
    c.eq("%s: stored rows unchanged" % what, [reference, ref_costs], [untouched(), costs()])


refused("negative rate", ext_error("SELECT lumo_price_set('acme-coder-1', -1, 8, 0, 0, 0)"), ["input", "negative"])
refused("non-numeric rate", ext_error("SELECT lumo_price_set('acme-coder-1', 2, 'eight', 0, 0, 0)"),
        ["output", "must be a number", "eight"])
refused("negative rate written around lumo (plain INSERT)",
        subprocess.run(["sqlite3", DB, "INSERT INTO price_overrides (model, input, output) VALUES ('x-1', 1, -3)"],
                       capture_output=True, text=True).stderr, ["output must be a non-negative number"])
refused("text rate written around lumo (plain UPDATE)",
        subprocess.run(["sqlite3", DB, "UPDATE price_overrides SET cache_read = 'cheap'"],
                       capture_output=True, text=True).stderr, ["cache_read must be a non-negative number"])
refused("overlapping range", ext_error("SELECT lumo_price_set('acme-coder-1', 1, 1, 0, 0, 0, '2026-01-01T00:00:00Z',"
                                       " '2026-06-01T00:00:00Z')"), ["overlaps", "same model"])
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "-1", "--output", "8")
refused("lumo prices set --input -1 (exit %d)" % rc, err if rc else "", ["input", "negative"])
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "two", "--output", "8")
refused("lumo prices set --input two (exit %d)" % rc, err if rc == 2 else "", ["--input two", "not a number"])
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "1", "--output", "1", "--from", "2026-02-01T00:00:00Z",
                    "--to", "2026-04-01T00:00:00Z")
refused("lumo prices set of an overlapping range (exit %d)" % rc, err if rc else "", ["overlaps"])
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "1", "--output", "1", "--from", "March")
refused("lumo prices set --from March (exit %d)" % rc, err if rc else "", ["valid_from", "March"])

# 7. a name no stored request uses: accepted, with a warning (pricing a model before its first request)
rc, out, err = lumo("prices", "set", "acme-coder-2", "--input", "3", "--output", "9")
c.eq("unused name: accepted (exit 0) with a warning naming it", [0, True, True],
     [rc, "warning" in err and "acme-coder-2" in err, "0 stored request(s) re-priced" in out])
c.eq("unused name: stored", [{"input": 3.0}], plain("SELECT input FROM price_overrides WHERE model = 'acme-coder-2'"))
rc, out, err = lumo("prices", "set", "acme-coder-1", "--input", "2", "--output", "8", "--cache-read", "0.2",
                    "--cache-write-5m", "2.5", "--cache-write-1h", "4")
c.eq("a used name: no warning", [0, ""], [rc, err])
c.eq("and no other stored row changed", [reference, ref_costs], [untouched(), costs()])

# 8. lumo reprice prices every row again: a cost edited by hand (fingerprint unchanged, so
#    a sync leaves it) is set right
plain("UPDATE usage SET cost_usd = 99 WHERE message_id = 'msg_s1'")
roll = plain("SELECT (SELECT sum(priced_cost_usd) FROM usage_buckets) b, (SELECT sum(priced_cost_usd) FROM session_totals) s,"
             " (SELECT sum(cost_usd) FROM usage) u")[0]
c.eq("a price changed by hand moves the rollups by the difference (usage_buckets_price, session_totals_price)",
     [True, True], [close(roll["u"], roll["b"]), close(roll["u"], roll["s"])])
c.eq("... to 99 + the other three", True, close(99 + SONNET["s2"] + sum(ACME.values()), roll["u"]))
c.eq("a sync does not look at rows whose prices did not change", 99.0, (sync(), costs()["s1"][0])[1])
rc, out, err = lumo("reprice", "--json")
c.eq("lumo reprice: every row priced again", [0, 4], [rc, json.loads(out)["repriced_rows"] if rc == 0 else None])
c.eq("the hand-edited cost set right, the rest as before", ref_costs, costs())
views_agree("after reprice", True)

# 9. a LiteLLM map loaded with the CLI: its models that the built-in table lacks or prices
#    otherwise become overrides (a note names the file), and the history is re-priced
plain("DELETE FROM price_overrides")
sync()
litellm = os.path.join(OUT, "acme-prices.json")
json.dump({"acme-coder-1": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 2e-06,
                            "output_cost_per_token": 8e-06, "cache_read_input_token_cost": 2e-07,
                            "cache_creation_input_token_cost": 2.5e-06, "cache_creation_input_token_cost_above_1hr": 4e-06},
           "claude-sonnet-4-5-20250929": {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3e-06,
                                          "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
                                          "cache_creation_input_token_cost": 3.75e-06,
                                          "cache_creation_input_token_cost_above_1hr": 6e-06,
                                          "input_cost_per_token_above_200k_tokens": 6e-06,
                                          "output_cost_per_token_above_200k_tokens": 2.25e-05,
                                          "cache_read_input_token_cost_above_200k_tokens": 6e-07,
                                          "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
                                          "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05}},
          open(litellm, "w"))
rc, out, err = lumo("prices", "load", litellm)
c.eq("lumo prices load: the unknown model stored (sonnet as built in: not), two rows re-priced", [0, True,
     [{"model": "acme-coder-1", "input": 2.0, "cache_write_1h": 4.0, "note": "lumo prices load acme-prices.json"}]],
     [rc, "1 differ from the built-in table" in out and "2 stored request(s) re-priced" in out,
      plain("SELECT model, input, cache_write_1h, note FROM price_overrides")])
c.eq("prices load: acme rows priced, the rest as before", ref_costs, costs())
rc, out, err = lumo("prices", "load", os.path.join(OUT, "missing.json"))
c.eq("prices load of a missing file: refused", [2, True], [rc, "no file" in err])
other = os.path.join(OUT, "other.db")
subprocess.run(["sqlite3", other, "CREATE TABLE t (x)"], check=True)
r = subprocess.run(LUMO + ["--db", other, "prices", "set", "acme-coder-1", "--input", "1", "--output", "1"],
                   capture_output=True, text=True, env=dict(os.environ, LUMO_EXTENSION=SO + ".so"))
c.eq("prices set on a database that is not lumo's: refused, the file left alone", [2, True, [{"name": "t"}]],
     [r.returncode, "not a lumo database" in r.stderr, plain("SELECT name FROM sqlite_schema", other)])

# 10. a schema-7 database: its overrides (model-keyed, no ranges) are migrated, a refused
#    one left out, and the first sync prices every stored row (no fingerprints yet)
old = os.path.join(OUT, "v7.db")
shutil.copy(DB, old)
subprocess.run(["sqlite3", old, """
DROP INDEX usage_model; ALTER TABLE usage DROP COLUMN price_fp;
ALTER TABLE lumo_files DROP COLUMN tail_hash;
DROP TABLE price_overrides;
CREATE TABLE price_overrides (model TEXT PRIMARY KEY, input REAL, output REAL, cache_read REAL, cache_write_5m REAL,
  cache_write_1h REAL, note TEXT);
INSERT INTO price_overrides VALUES ('ACME-CODER-1', 2, 8, 0.2, 2.5, 4, 'contract'), ('bad-model', -1, 1, 0, 0, 0, 'typo');
UPDATE usage SET cost_usd = NULL, price_source = NULL WHERE model = 'acme-coder-1';
DELETE FROM lumo_settings WHERE key IN ('schema_hash', 'prices_state', 'prices_builtin');
UPDATE lumo_schema_version SET version = 7;
CREATE VIEW my_costs AS SELECT model, input FROM price_overrides;
CREATE VIEW my_broken AS SELECT * FROM a_table_since_dropped;"""], check=True, capture_output=True)
c.eq("the schema-7 copy has no price_fp", 0, plain("SELECT count(*) n FROM pragma_table_info('usage') WHERE name = 'price_fp'", old)[0]["n"])
v7 = os.path.join(OUT, "v7-copy.db")
shutil.copy(old, v7)


def shape(db):
    return [plain("SELECT version FROM lumo_schema_version", db), plain("SELECT name FROM pragma_table_info('usage')", db),
            plain("SELECT name FROM pragma_table_info('price_overrides')", db), plain("SELECT * FROM price_overrides", db),
            plain("SELECT name FROM sqlite_schema WHERE name LIKE 'price_overrides%' ORDER BY name", db)]


# issue 16 point 7: the migration is one transaction; one that fails leaves the schema-7
# database as it was (here the user's own trigger refuses the version bump, its last step)
v7_shape = shape(old)
plain("CREATE TRIGGER keep_v7 BEFORE UPDATE ON lumo_schema_version BEGIN SELECT RAISE(ABORT, 'frozen'); END", old)
said = ext_error("SELECT lumo_sync('%s')" % HOME, old)
plain("DROP TRIGGER keep_v7", old)
c.eq("a migration that fails says why and leaves nothing half built", [True, v7_shape], ["frozen" in said, shape(old)])
# two first syncs of the same schema-7 database at once: one migrates, the other waits and
# finds it done (neither fails on the other's ALTER)
both = [subprocess.Popen(["sqlite3", "-cmd", ".load " + SO, v7, "SELECT lumo_sync('%s')" % HOME],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
ends = [(p.wait(), p.stderr.read()) for p in both]
c.eq("two first syncs at once: both succeed, the database at the current version (13), its rows priced",
     [[(0, ""), (0, "")], 13, 0],
     [ends, plain("SELECT version FROM lumo_schema_version", v7)[0]["version"],
      plain("SELECT count(*) n FROM usage WHERE price_fp IS NULL OR (model = 'acme-coder-1' AND cost_usd IS NULL)", v7)[0]["n"]])
mig = sync(old)
c.eq("schema 7 -> current (13): version, overrides copied (refused row left out), every row priced once",
     [13, [{"model": "acme-coder-1", "valid_from": None, "input": 2.0, "note": "contract"}], 4, 0],
     [plain("SELECT version FROM lumo_schema_version", old)[0]["version"],
      plain("SELECT model, valid_from, input, note FROM price_overrides", old), mig["repriced_rows"],
      plain("SELECT count(*) n FROM usage WHERE price_fp IS NULL", old)[0]["n"]])
c.eq("schema 7 -> 8 beside a user's view that no longer parses: both user views kept, the one over price_overrides"
     " reading the new table", [["my_broken", "CREATE VIEW my_broken AS SELECT * FROM a_table_since_dropped"],
                                [{"model": "acme-coder-1", "input": 2.0}]],
     [[[r["name"], r["sql"]] for r in plain("SELECT name, sql FROM sqlite_schema WHERE name = 'my_broken'", old)][0],
      plain("SELECT * FROM my_costs", old)])
c.eq("schema 7 -> 8: the acme rows priced by the migrated override",
     [True, True], [close(ACME["a1"], costs_old["a1"][0]) if (costs_old := {r["k"]: (r["cost_usd"],) for r in
                    plain("SELECT substr(message_id, 5) k, cost_usd FROM usage", old)}) else False, close(ACME["a2"], costs_old["a2"][0])])
c.eq("schema 7 -> 8: the triggers guard the migrated table",
     True, "overlaps" in subprocess.run(["sqlite3", old, "INSERT INTO price_overrides (model, valid_from, input, output)"
                                         " VALUES ('acme-coder-1', '2026-01-01T00:00:00Z', 1, 1)"], capture_output=True, text=True).stderr)
c.done()
