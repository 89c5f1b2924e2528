"""lumo_limits: plan limits in the lumo command (issue 19 point 5), shared by `lumo today`,
`lumo blocks` and `lumo statusline`:
- the latest Codex plan-limit windows (view rate_limit_status): how much of each window is
  used and when it resets, in local time. A window whose reset time has passed has started
  again: it is shown as reset, never with the share it had before (that share is stale);
- the active 5-hour block against a limit (`blocks --token-limit N|max`, `--cost-limit
  X|max`), by ccusage's rule: `max` is the largest completed block (not a gap, not the
  active one) of the period shown; the status of the active block comes from its projected
  tokens (or cost) at the block end: above the limit `exceeds`, above 80 % `warning`,
  else `ok`.
Standard library only, imported when one of those commands runs."""
import time

WARNING_SHARE = 0.8  # ccusage's BLOCKS_WARNING_THRESHOLD

WINDOW_COLUMNS = ("agent", "limit_id", "plan_type", "window", "window_minutes", "used_percent", "resets_at",
                  "observed_at", "has_reset", "minutes_to_reset")


def windows(con, agent=None):
    """The latest state of each plan-limit window, as dicts (none in a database from before
    the rate_limits table, or for an agent other than the one asked for)."""
    import sqlite3
    try:
        rows = con.execute("SELECT %s FROM rate_limit_status%s ORDER BY agent, coalesce(limit_id, 'codex'),"
                           " window_minutes IS NULL, window_minutes, window"
                           % (", ".join(WINDOW_COLUMNS), " WHERE agent = ?" if agent else ""),
                           (agent,) if agent else ()).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):  # a database the sync has not brought to schema 9 yet
            return []
        raise
    return [dict(zip(WINDOW_COLUMNS, r)) for r in rows]


def span(minutes):
    """Whole minutes as 45m, 2h 10m or 3d 4h."""
    m = int(minutes)
    if m >= 1440:
        return "%dd %dh" % (m // 1440, m % 1440 // 60)
    if m >= 60:
        return "%dh %02dm" % (m // 60, m % 60)
    return "%dm" % m


def window_name(w):
    """5h, 7d, ... from the window's length; primary/secondary when the length is unknown."""
    m = w["window_minutes"]
    if not m:
        return w["window"]
    if m % 1440 == 0:
        return "%dd" % (m // 1440)
    if m % 60 == 0:
        return "%dh" % (m // 60)
    return "%dm" % m


def local_time(instant):
    """A UTC instant (YYYY-MM-DDTHH:MM:SS...Z) in local time: HH:MM today, else
    YYYY-MM-DD HH:MM."""
    import calendar
    t = calendar.timegm(time.strptime(instant[:19], "%Y-%m-%dT%H:%M:%S"))
    local = time.localtime(t)
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M", local)
    return time.strftime("%Y-%m-%d %H:%M", local)


def owner(w):
    """codex, codex/premium ... and the plan when written: 'codex (plus)'."""
    name = w["agent"] + ("" if w["limit_id"] in (None, w["agent"]) else "/" + w["limit_id"])
    return name + (" (%s)" % w["plan_type"] if w["plan_type"] else "")


def window_text(w, compact=False):
    """One window: '5h 42% used, resets 14:30 (in 2h 10m)'; passed: '5h reset at 14:30';
    compact (the statusline): '5h 42% (resets in 2h 10m)', '5h reset'."""
    name = window_name(w)
    if w["has_reset"]:
        return "%s reset" % name if compact else "%s reset at %s (a new window since)" % (name, local_time(w["resets_at"]))
    pct = "%s%%" % format(round(w["used_percent"], 1), "g")
    if w["resets_at"] is None:
        return "%s %s%s (reset time unknown)" % (name, pct, "" if compact else " used")
    if compact:
        return "%s %s (resets in %s)" % (name, pct, span(w["minutes_to_reset"] or 0))
    return "%s %s used, resets %s (in %s)" % (name, pct, local_time(w["resets_at"]), span(w["minutes_to_reset"] or 0))


def window_lines(ws, compact=False):
    """One text per limit: 'codex (plus): 5h 42% used, resets ...; 7d 12% used, resets ...'."""
    out, by = [], {}
    for w in ws:
        by.setdefault(owner(w), []).append(w)
    for who, group in by.items():
        out.append("%s%s %s" % (who, "" if compact else ":", ("; " if not compact else ", ").join(
            window_text(w, compact) for w in group)))
    return out


# ---------------------------------------------------------------- blocks against a limit

def parse_limit(text, name, whole):
    """--token-limit / --cost-limit: 'max', or a number above 0 (whole for tokens)."""
    if text == "max":
        return "max"
    try:
        v = int(text) if whole else float(text)
    except ValueError:
        v = 0
    if not v > 0 or v != v or v == float("inf"):
        raise ValueError("%s %s: %s, or max (the largest completed block); e.g. %s %s" % (
            name, text, "a whole number of tokens above 0" if whole else "an amount in USD above 0",
            name, "500000" if whole else "25"))
    return v


def status(projected, limit):
    if projected > limit:
        return "exceeds"
    if projected > limit * WARNING_SHARE:
        return "warning"
    return "ok"


def limit_status(used, projected, limit):
    """ccusage's tokenLimitStatus of the active block, and what remains: {limit, used,
    percent_used (of the current use), remaining, remaining_percent, projected_usage,
    projected_percent, status}. projected None (one request so far: no burn rate): the
    status comes from the use so far."""
    at_end = used if projected is None else projected
    return {"limit": limit, "used": used, "percent_used": round(used / limit * 100, 6),
            "remaining": max(0, limit - used), "remaining_percent": round(max(0.0, (limit - used) / limit * 100), 6),
            "projected_usage": projected, "projected_percent": None if projected is None else
            round(projected / limit * 100, 6), "status": status(at_end, limit)}
