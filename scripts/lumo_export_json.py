"""lumo_export_json: `lumo export --format json`, one JSON document of a period: totals,
usage, sessions, tools, files, git and prompts, read from the lumo database (its tables and
the views of the same rules), for one person's records or another tool. The team export
(NDJSON/CSV folders, ClickHouse) is lumo_export.py; this one is not incremental: it is the
whole period each time.

The period is local days (--since, --until, inclusive, in the zone of --timezone): a row
is in it when date(timestamp, 'localtime') is. Rows without a time cannot be placed in a
period: with --since or --until they are left out and counted in `untimed`. Every section
is summed from the same rows, so the totals equal the sum of each section. Costs: the
priced part (`priced_cost_usd`) and the tokens lumo has no price for (`unpriced_tokens`);
`cost_usd` is null when some tokens are unpriced, never a partial sum shown as the whole.
Nothing here holds message text, a prompt's text, a tool's input or output: prompts are
counted and measured, files named by the path the call gave (as the files view shows them).
Python 3 standard library only."""
import json
import sqlite3
import time

SHAPE_VERSION = 1
TOKENS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens")


def _period(col, since, until):
    """WHERE text and arguments of a local-day period over an instant column."""
    conds, args = [], []
    if since:
        conds.append("date(%s, 'localtime') >= ?" % col)
        args.append(since)
    if until:
        conds.append("date(%s, 'localtime') <= ?" % col)
        args.append(until)
    return (" AND ".join(conds) or "1"), args


def _period_days(since, until):
    """The same over the day column of a view (its local date)."""
    conds = (["day >= ?"] if since else []) + (["day <= ?"] if until else [])
    return " AND ".join(conds) or "1", [d for d in (since, until) if d]


def _rows(con, sql, args=()):
    cur = con.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _cost(d):
    """cost_usd beside the priced part: null when any token of the rows is unpriced."""
    d["priced_cost_usd"] = round(d["priced_cost_usd"] or 0.0, 6)
    d["cost_usd"] = d["priced_cost_usd"] if not d["unpriced_tokens"] else None
    return d


def document(con, since, until, zone):
    """The export of [since, until] (local days; None: open) as a dict."""
    usage_where, a = _period("timestamp", since, until)
    tok_sum = ", ".join("coalesce(sum(%s), 0) AS %s" % (t, t) for t in TOKENS)
    total_expr = " + ".join(TOKENS)
    per_usage = ("count(*) AS requests, %s, coalesce(sum(%s), 0) AS total_tokens,"
                 " total(cost_usd) AS priced_cost_usd,"
                 " coalesce(sum(CASE WHEN cost_usd IS NULL THEN %s END), 0) AS unpriced_tokens"
                 % (tok_sum, total_expr, total_expr))
    usage = [_cost(r) for r in _rows(con, (
        "SELECT date(timestamp, 'localtime') AS day, agent, model, project, %s FROM usage WHERE %s"
        " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4") % (per_usage, usage_where), a)]
    sessions = [_cost(r) for r in _rows(con, (
        "SELECT agent, session_id, max(project) AS project, min(timestamp) AS started_at, max(timestamp) AS ended_at,"
        " group_concat(DISTINCT model) AS models, %s FROM usage WHERE %s GROUP BY agent, session_id"
        " ORDER BY started_at, agent, session_id") % (per_usage, usage_where), a)]
    for s in sessions:
        s["models"] = sorted(s["models"].split(",")) if s["models"] else []

    tw, ta = _period("timestamp", since, until)
    tools = _rows(con, (
        "SELECT agent, tool_name, max(mcp_server) AS mcp_server, count(*) AS calls,"
        " count(CASE WHEN is_error = 1 THEN 1 END) AS errors, count(CASE WHEN is_error = 0 THEN 1 END) AS succeeded,"
        " count(CASE WHEN is_error IS NULL THEN 1 END) AS unknown_outcome FROM tool_uses WHERE %s"
        " GROUP BY agent, tool_name ORDER BY agent, tool_name") % tw, ta)
    files = _rows(con, (
        "SELECT path, max(language) AS language, count(*) AS changes, count(DISTINCT session_id) AS sessions,"
        " coalesce(sum(lines_added), 0) AS lines_added, count(*) - count(lines_added) AS unknown_added,"
        " coalesce(sum(lines_removed), 0) AS lines_removed, count(*) - count(lines_removed) AS unknown_removed,"
        " max(timestamp) AS last_touched, group_concat(DISTINCT agent) AS agents FROM file_changes WHERE %s"
        " GROUP BY path ORDER BY lines_added + lines_removed DESC, path") % tw, ta)
    for f in files:
        f["agents"] = sorted(f["agents"].split(","))
    dw, da = _period_days(since, until)
    git = _rows(con, "SELECT day, agent, project, operation, runs, succeeded, failed, unknown AS unknown_outcome"
                " FROM git WHERE %s ORDER BY 1, 2, 3, 4" % dw, da)
    prompts = _rows(con, "SELECT day, agent, project, prompts, median_chars, p90_chars, chars, commands, interrupted"
                    " FROM prompts WHERE %s ORDER BY 1, 2, 3" % dw, da)

    totals = {"requests": sum(r["requests"] for r in usage)}
    for t in TOKENS + ("total_tokens", "unpriced_tokens"):
        totals[t] = sum(r[t] for r in usage)
    totals["priced_cost_usd"] = round(sum(r["priced_cost_usd"] for r in usage), 6)
    totals["cost_usd"] = totals["priced_cost_usd"] if not totals["unpriced_tokens"] else None
    totals.update(sessions=len(sessions), tool_calls=sum(t["calls"] for t in tools),
                  tool_errors=sum(t["errors"] for t in tools), files_changed=len(files),
                  lines_added=sum(f["lines_added"] for f in files), lines_removed=sum(f["lines_removed"] for f in files),
                  git_operations=sum(g["runs"] for g in git), prompts=sum(p["prompts"] for p in prompts),
                  commands=sum(p["commands"] for p in prompts), interrupted=sum(p["interrupted"] for p in prompts))
    untimed = {}  # rows left out for want of a time (none without a period: every row is in)
    for table in ("usage", "tool_uses", "file_changes", "git_ops", "user_prompts"):
        untimed[table] = con.execute("SELECT count(*) FROM %s WHERE date(timestamp, 'localtime') IS NULL"
                                     % table).fetchone()[0] if since or until else 0
    return {"lumo_export": SHAPE_VERSION,
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "period": {"since": since, "until": until, "timezone": zone},
            "totals": totals, "untimed": untimed, "usage": usage, "sessions": sessions, "tools": tools,
            "files": files, "git": git, "prompts": prompts}


def export_json(con, since, until, zone, out):
    """Writes the document to the file out (None: stdout)."""
    doc = document(con, since, until, zone)
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        import sys
        sys.stdout.write(text)
    return doc
