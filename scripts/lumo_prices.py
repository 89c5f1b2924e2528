"""lumo_prices: `lumo prices list|set|load` and `lumo reprice`, the commands that change what
the lumo database prices requests with (lumo_cli.py parses their options and calls here).

Prices live in the database (issue 17 point 3): the user's rates are rows of its
price_overrides table, so every connection, every report and a copy of the database on
another machine price the same way. A change re-prices the stored requests it affects at
once (lumo_reprice(0), what the next lumo_sync would do first); `lumo reprice` prices every
stored request again. These commands need the extension (name resolution, the triggers'
checks through lumo_price_set, the re-pricing); `prices list` reads the database alone.
"""
import os
import sys

from lumo_cli import Fail, db_path, emit_json, extension, money, num, open_ro, opt, round6, table, warn

RATES = ("input", "output", "cache_read", "cache_write_5m", "cache_write_1h")
# the columns of price_overrides a loaded map can fill (the tier's too); lumo_prices has
# more (fast, priority, flex...) that an override cannot hold
STORED = RATES + ("tier_threshold", "input_above_tier", "output_above_tier", "cache_read_above_tier",
                  "cache_write_5m_above_tier", "cache_write_1h_above_tier")


def lit(v):
    """An SQL literal: one text for both ways of running SQL below (bound parameters are
    not available through the sqlite3 shell)."""
    if v is None:
        return "NULL"
    if isinstance(v, (int, float)):
        return repr(float(v))
    return "'" + str(v).replace("'", "''") + "'"


def ext_run(path, statements):
    """Runs statements on the database with the extension loaded, in one connection;
    returns the rows (dicts) of the last one. An SQL error is the user's message."""
    import sqlite3
    ext = extension()
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        con = sqlite3.connect(path, timeout=30)
        try:
            con.enable_load_extension(True)
            con.load_extension(ext)
            rows = []
            for s in statements:
                cur = con.execute(s)
                rows = [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()] if cur.description else []
            con.commit()
            return rows
        except sqlite3.Error as e:
            raise Fail(str(e), 1)
        finally:
            con.close()
    import json
    import subprocess
    pre = []
    for s in statements[:-1]:
        pre += ["-cmd", s]
    try:
        r = subprocess.run(["sqlite3", "-bail", "-json", "-cmd", ".load " + ext, "-cmd", ".output /dev/null"] + pre +
                           ["-cmd", ".output stdout", path, statements[-1]], capture_output=True, text=True)
    except OSError as e:
        raise Fail("this python cannot load SQLite extensions and the sqlite3 shell is missing (%s);"
                   " run lumo with /usr/bin/python3" % e, 1)
    if r.returncode:
        raise Fail(r.stderr.strip().replace("Error: stepping, ", "").replace("Error: ", ""), 1)
    return json.loads(r.stdout or "[]")


def lumo_db(args):
    """The database these commands change: an existing lumo database (a typo must neither
    create an empty one nor turn another SQLite file into one)."""
    open_ro(args).close()
    return db_path(args)[0]


# lumo_reprice(0) first brings an older database to the current schema (price_overrides
# with its validity columns) before lumo_price_set writes there.
MIGRATE = "SELECT lumo_reprice(0)"


def cmd_prices(args):
    action = args.action
    more = getattr(args, "more", [])
    want = {"list": 0, "set": 1, "load": 1}
    if action not in want:
        raise Fail("prices: unknown action %r (list, set MODEL, load FILE)" % action)
    if len(more) != want[action]:
        raise Fail("prices %s: %s" % (action, "takes no argument" if not want[action] else
                                      "which %s?" % ("model" if action == "set" else "file")))
    return {"list": prices_list, "set": prices_set, "load": prices_load}[action](args, *more)


def prices_list(args):
    """The database's overrides, then each stored model with where its price comes from."""
    con = open_ro(args)
    cols = [r[1] for r in con.execute("PRAGMA table_info(price_overrides)")]
    rng = "valid_from, valid_to" if "valid_from" in cols else "NULL, NULL"
    over = con.execute("SELECT model, %s, %s, note FROM price_overrides ORDER BY lower(model), valid_from"
                       % (rng, ", ".join(RATES))).fetchall()
    models = con.execute(
        "SELECT model, count(*), sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens"
        " + cache_write_1h_tokens), group_concat(DISTINCT price_source), sum(cost_usd),"
        " sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens"
        " + cache_write_5m_tokens + cache_write_1h_tokens ELSE 0 END)"
        " FROM usage GROUP BY model ORDER BY model").fetchall()
    snap = con.execute("SELECT value FROM lumo_settings WHERE key = 'prices_builtin'").fetchone()
    if opt(args, "json"):
        emit_json({"builtin_snapshot": snap[0] if snap else None,
                   "overrides": [dict(zip(("model", "valid_from", "valid_to") + RATES + ("note",), r)) for r in over],
                   "models": [{"model": m, "requests": n, "tokens": t, "price_source": s,
                               "cost_usd": None if u else round6(c), "priced_cost_usd": round6(c or 0.0),
                               "unpriced_tokens": u} for m, n, t, s, c, u in models]})
        return 0
    print("built-in price snapshot %s" % (snap[0] if snap else "(not recorded yet: `lumo sync` records it)"))
    print("\noverrides (price_overrides, USD per million tokens):")
    if over:
        table(["model", "from", "to"] + list(RATES) + ["note"],
              [[r[0], r[1] or "", r[2] or ""] + ["" if v is None else "%g" % v for v in r[3:8]] + [r[8] or ""]
               for r in over])
    else:
        print("  none (`lumo prices set MODEL --input X --output Y` adds one)")
    print("\nstored requests by model:")
    table(["model", "requests", "tokens", "price from", "cost"],
          [[m or "(none)", num(n), num(t), s or "unpriced", money(None if u else c, c or 0.0, u)]
           for m, n, t, s, c, u in models], right=(1, 2))
    return 0


def prices_set(args, model):
    path = lumo_db(args)
    rates = [opt(args, r) for r in RATES]
    remove = opt(args, "remove")
    if remove and any(v is not None for v in rates):
        raise Fail("prices set: --remove takes no rates")
    if not remove and rates[0] is None and rates[1] is None:
        raise Fail("prices set: give --input or --output (USD per million tokens), or --remove")
    since, until = opt(args, "valid_from"), opt(args, "valid_to")
    call = [lit(model)] + [lit(v) for v in rates]
    if since is not None or until is not None:
        call += [lit(since), lit(until)]
    key = model.strip().lower()
    # lumo_reprice alone in its statement: it rewrites the usage table's triggers for the
    # time of its transaction, which no other statement may be reading then
    used = ext_run(path, [MIGRATE, "SELECT lumo_price_set(%s)" % ", ".join(call),
                          "SELECT count(*) AS n FROM (SELECT DISTINCT model FROM usage) WHERE lumo_model(model) = %s"
                          " OR instr(lower(model), %s) > 0" % (lit(key), lit(key))])[0]["n"]
    import json
    n = json.loads(ext_run(path, ["SELECT lumo_reprice(0) AS r"])[0]["r"])["repriced_rows"]
    if remove:
        print("lumo: override of %s removed; %d stored request(s) re-priced" % (key, n))
    else:
        print("lumo: override of %s stored; %d stored request(s) re-priced" % (key, n))
        if not used:
            warn("no stored request uses %r (yet): the override is kept and prices its requests from the first one on;"
                 " `lumo prices list` shows the stored models" % model)
    return 0


def prices_load(args, path_json):
    """A LiteLLM price map into the database: the models whose rates differ from the
    built-in table's (or that it lacks) become overrides, so every connection uses them."""
    path = lumo_db(args)
    if not os.path.isfile(path_json):
        raise Fail("prices load: no file %s" % path_json)
    cols = ", ".join(STORED)
    # the rows in force from now on: a model's dated built-in rows (spec pricing.md section
    # 7) keep pricing the requests before its current row, which is the one compared
    pick = "SELECT model, valid_from, %s FROM lumo_prices WHERE valid_to IS NULL" % cols
    builtin = {r["model"]: r for r in ext_run(":memory:", [pick])}
    loaded = ext_run(":memory:", ["SELECT lumo_prices_load(%s)" % lit(os.path.abspath(path_json)), pick])
    note = "lumo prices load %s" % os.path.basename(path_json)
    new = [r for r in loaded if (r["input"] is not None or r["output"] is not None)
           and any(r[k] != builtin.get(r["model"], {}).get(k) for k in STORED)]
    stmts = [MIGRATE, "BEGIN IMMEDIATE"]
    for r in new:
        stmts.append("INSERT OR REPLACE INTO price_overrides (model, valid_from, %s, note) VALUES (%s, %s, %s, %s)"
                     % (cols, lit(r["model"]), lit(builtin.get(r["model"], {}).get("valid_from")),
                        ", ".join(lit(r[k]) for k in STORED), lit(note)))
    stmts += ["COMMIT", "SELECT lumo_reprice(0) AS r"]
    import json
    n = json.loads(ext_run(path, stmts)[0]["r"])["repriced_rows"]
    print("lumo: %d model(s) in %s, %d differ from the built-in table and are stored as overrides;"
          " %d stored request(s) re-priced" % (len(loaded), path_json, len(new), n))
    return 0


def cmd_reprice(args):
    import json
    r = ext_run(lumo_db(args), ["SELECT lumo_reprice() AS r"])
    n = json.loads(r[0]["r"])["repriced_rows"]
    if opt(args, "json"):
        emit_json({"repriced_rows": n})
    else:
        print("lumo: %d stored request(s) priced again at the prices in force" % n)
    return 0


if __name__ == "__main__":
    sys.exit("lumo_prices is part of the lumo command: run `lumo prices` or `lumo reprice`")
