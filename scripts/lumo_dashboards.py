"""lumo_dashboards.py: the Datasette dashboards (datasette-dashboards 0.8.0 configuration),
written into examples/datasette/metadata.json by scripts/gendoc.py.

Three pages: `lumo` (the whole dashboard: range, agent, project and machine filters that
every period panel obeys), `session` (one session: requests, cost, tools, files, its
messages in order), `project` (a project's sessions and days) and `model` (a model's
days). Panels read the shipped views; the SQL here only picks the period and formats.

The range: today, week (the current local week, lumo_settings week_start, default
Monday), month (the current local month) or custom (date_from to date_to, local days,
both included); each runs up to today. The previous period is the same number of days
right before it. Today's trends are hourly, longer ranges daily. Local time is the
server's (TZ), as in every view.

Numbers are written into the page by SQL as HTML (the plugin's metric and table panels
put the value in with innerHTML), so the browser test reads them back from the DOM:
every value sits in an element with a data-lumo attribute naming it. Text that comes
from the data (projects, models, messages) is escaped first (esc())."""

# The period: d0..d1 local days, n days, previous p0..p1; UTC bounds in the two stored
# forms: instants (t0, t1, pt0: milliseconds and Z, as usage.timestamp) and bucket keys
# (b0, b1, pb0: YYYY-MM-DDTHH:MM:00Z, as usage_buckets.bucket).
RANGE = """WITH ws AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1) AS d),
r0 AS (SELECT CASE :range WHEN 'today' THEN date('now', 'localtime')
                          WHEN 'month' THEN date('now', 'localtime', 'start of month')
                          WHEN 'custom' THEN date(nullif(:date_from, ''))
                          ELSE date('now', 'localtime', '-' || ((CAST(strftime('%w', 'now', 'localtime') AS INTEGER) + 7 - ws.d) % 7) || ' days') END AS d0,
              CASE WHEN :range = 'custom' THEN coalesce(date(nullif(:date_to, '')), date('now', 'localtime'))
                   ELSE date('now', 'localtime') END AS d1 FROM ws),
r1 AS (SELECT d0, d1, CAST(julianday(d1) - julianday(d0) AS INTEGER) + 1 AS n FROM r0),
rng AS MATERIALIZED (SELECT d0, d1, n, date(d0, '-' || n || ' days') AS p0, date(d0, '-1 day') AS p1,
       strftime('%Y-%m-%dT%H:%M:%fZ', d0, 'utc') AS t0, strftime('%Y-%m-%dT%H:%M:%fZ', d1, '+1 day', 'utc') AS t1,
       strftime('%Y-%m-%dT%H:%M:%fZ', d0, '-' || n || ' days', 'utc') AS pt0,
       strftime('%Y-%m-%dT%H:%M:00Z', d0, 'utc') AS b0, strftime('%Y-%m-%dT%H:%M:00Z', d1, '+1 day', 'utc') AS b1,
       strftime('%Y-%m-%dT%H:%M:00Z', d0, '-' || n || ' days', 'utc') AS pb0,
       :range = 'today' AS hourly FROM r1)"""


def dims(alias=""):
    """The agent, project and machine filters: an empty filter keeps every row."""
    a = alias + "." if alias else ""
    return ("(:agent = '' OR {a}agent = :agent) AND (:project = '' OR {a}project = :project)"
            " AND (:machine = '' OR {a}machine = :machine)").format(a=a)


NO_DIMS = "(:agent = '' AND :project = '' AND :machine = '')"


def esc(x):
    """SQL expression: x escaped for HTML text and attributes."""
    return ("replace(replace(replace(replace(coalesce(%s, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;')" % x)


def urlq(x):
    """SQL expression: x escaped for a query-string value."""
    return ("replace(replace(replace(replace(replace(replace(coalesce(%s, ''), '%%', '%%25'), '&', '%%26'), '#', '%%23'), "
            "' ', '%%20'), '+', '%%2B'), '\"', '%%22')" % x)


def link(page, param, value, text):
    """SQL expression: an <a> to a dashboard page with one filter set."""
    return ("'<a href=\"/-/dashboards/%s?%s=' || %s || '\">' || %s || '</a>'" % (page, param, urlq(value), text))


def money(x):
    """SQL: x as dollars; NULL stays NULL (printf would write $0.00 for it)."""
    return "(CASE WHEN (%s) IS NULL THEN NULL ELSE printf('$%%.2f', %s) END)" % (x, x)


def change(cur, prev):
    """SQL: the change of cur against prev, as text."""
    return ("CASE WHEN coalesce(%(p)s, 0) = 0 THEN CASE WHEN coalesce(%(c)s, 0) = 0 THEN 'no change' ELSE 'new' END "
            "ELSE printf('%%+.1f%%%%', 100.0 * (coalesce(%(c)s, 0) - %(p)s) / %(p)s) END" % {"c": cur, "p": prev})


def card(name, value_html, cur, prev, note="''"):
    """A metric panel's HTML: the value, its change against the previous period."""
    return ("'<div class=\"lumo-card\" style=\"' || " + CARD_STYLE + " || '\"><span data-lumo=\"%s\">' || %s || '</span>' || %s || "
            "'<br><small style=\"font-size:0.8rem;font-weight:400\" data-lumo=\"%s_change\">' || %s || ' vs previous ' || rng.n || ' day' || "
            "CASE WHEN rng.n = 1 THEN '' ELSE 's' END || '</small></div>'" % (name, value_html, note, name, change(cur, prev)))


# The plugin's metric text is 2.2rem bold and never wraps: the cards set their own size,
# and their notes (small) wrap.
CARD_STYLE = "'font-size:1.6rem;white-space:normal;text-align:center;line-height:1.2'"


def active_seconds(t0, t1):
    """SQL scalar: active seconds from t0 to t1 (UTC instants). Without a filter: the
    active_time view's rule within the period (the weekly_summary view's): Claude Code's
    telemetry where the period has it, plus activity runs outside the telemetry's span,
    runs counted in the period they start. With an agent, project or machine filter: the
    runs of that filter's billed requests alone (active_minutes keeps no agent), by the
    activity view's rule (idle_gap_seconds)."""
    # The activity view's runs, for the runs that start in the period only: a start is an
    # active minute with none within the idle gap before it; a run ends at the last
    # active minute before the next start (which may lie past the period: the first start
    # after it, found by walking the minutes up from the period's end and stopping there,
    # where min() over the condition tested every later minute).
    runs = ("WITH cfg AS (SELECT CAST(coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'idle_gap_seconds'), 300) / 60 AS INTEGER) AS gap),"
            " st AS (SELECT m.minute AS s FROM active_minutes m, cfg WHERE m.minute >= (unixepoch({t0}) + 59) / 60 AND m.minute < (unixepoch({t1}) + 59) / 60"
            " AND NOT EXISTS (SELECT 1 FROM active_minutes p WHERE p.minute < m.minute AND p.minute >= m.minute - cfg.gap)),"
            " nx AS (SELECT coalesce((SELECT m.minute FROM active_minutes m, cfg WHERE m.minute >= (unixepoch({t1}) + 59) / 60"
            " AND NOT EXISTS (SELECT 1 FROM active_minutes p WHERE p.minute < m.minute AND p.minute >= m.minute - cfg.gap)"
            " ORDER BY m.minute LIMIT 1), 9e18) AS n),"
            " r AS (SELECT s, lead(s, 1, (SELECT n FROM nx)) OVER (ORDER BY s) AS nxt FROM st),"
            " re AS (SELECT s, (SELECT max(p.minute) FROM active_minutes p WHERE p.minute < r.nxt) AS e FROM r)")
    whole = ("(" + runs + ", tel AS (SELECT sum(increase) AS secs, unixepoch(min(coalesce(start_time, time))) / 60 AS a, unixepoch(max(time)) / 60 AS b"
             " FROM otel_increases WHERE metric = 'claude_code.active_time.total' AND time >= {t0} AND time < {t1})"
             " SELECT CASE WHEN tel.secs IS NULL THEN (SELECT total(max(60, (e - s) * 60)) FROM re)"
             " ELSE tel.secs + (SELECT total(max(60, (e - s) * 60)) FROM re WHERE e < tel.a OR s > tel.b) END FROM tel)")
    part = ("(WITH m AS (SELECT DISTINCT unixepoch(timestamp) / 60 AS minute FROM usage WHERE timestamp >= {t0} AND timestamp < {t1} AND " + dims() + "),"
            " g AS (SELECT minute, CASE WHEN minute - lag(minute) OVER (ORDER BY minute) <= (SELECT CAST(coalesce((SELECT CAST(value AS REAL) FROM lumo_settings"
            " WHERE key = 'idle_gap_seconds'), 300) / 60 AS INTEGER)) THEN 0 ELSE 1 END AS s FROM m),"
            " r AS (SELECT minute, sum(s) OVER (ORDER BY minute) AS run FROM g)"
            " SELECT total(x) FROM (SELECT max(60, (max(minute) - min(minute)) * 60) AS x FROM r GROUP BY run))")
    return ("CASE WHEN " + NO_DIMS + " THEN " + whole + " ELSE " + part + " END").format(t0=t0, t1=t1)


def hours(x):
    return "printf('%%.1f h', %s / 3600.0)" % x


def period_panel(sql):
    return RANGE + "\n" + sql


# ---- the main dashboard -------------------------------------------------------------

B = "period_buckets b, rng WHERE b.bucket >= rng.b0 AND b.bucket < rng.b1 AND " + dims("b")
PB = "period_buckets b, rng WHERE b.bucket >= rng.pb0 AND b.bucket < rng.b0 AND " + dims("b")
# The sessions, calls and file changes of a period: read from the rollups the sync keeps
# per UTC quarter hour (session_buckets, tool_buckets, change_buckets: the work_events
# view's rows and outcome rule), whose keys a local day's bounds (b0, b1) fall on, so a
# panel over months reads a few thousand rows, not every request or call. Git operations
# are few: read from their table by the git_ops_time index, with their call's outcome.
def rollup(table, a, b):
    return "rng, %s w WHERE w.bucket >= rng.%s AND w.bucket < rng.%s AND %s" % (table, a, b, dims("w"))


def gits(a, b, op):
    return ("rng, git_ops w LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = w.tool_key WHERE w.timestamp >= rng.%s AND w.timestamp < rng.%s"
            " AND w.operation = '%s' AND coalesce(t.is_error, 0) = 0 AND %s" % (a, b, op, dims("w")))

CARDS = {
    "cost": ("Cost", period_panel(
        "SELECT " + card("cost",
                         "CASE WHEN c.requests > 0 AND c.priced = 0 THEN 'unpriced' ELSE " + money("c.usd") + " END",
                         "c.usd", "p.usd",
                         "CASE WHEN c.priced > 0 AND c.priced < c.requests THEN '<br><small style=\"font-size:0.8rem;font-weight:400\" data-lumo=\"cost_unpriced\">+ ' || "
                         "c.unpriced_tokens || ' unpriced tokens</small>' ELSE '' END") + " AS html"
        " FROM (SELECT total(b.requests) AS requests, total(b.priced_requests) AS priced, total(b.priced_cost_usd) AS usd,"
        " CAST(total(b.unpriced_tokens) AS INTEGER) AS unpriced_tokens FROM " + B + ") c,"
        " (SELECT total(b.priced_cost_usd) AS usd FROM " + PB + ") p, rng")),
    "tokens": ("Tokens", period_panel(
        "SELECT " + card("tokens", "printf('%,d', c.n)", "c.n", "p.n") + " AS html"
        " FROM (SELECT CAST(total(b.total_tokens) AS INTEGER) AS n FROM " + B + ") c,"
        " (SELECT CAST(total(b.total_tokens) AS INTEGER) AS n FROM " + PB + ") p, rng")),
    "sessions": ("Sessions", period_panel(
        "SELECT " + card("sessions", "c.n", "c.n", "p.n") + " AS html"
        " FROM (SELECT count(DISTINCT w.agent || ':' || w.session_id) AS n FROM " + rollup("session_buckets", "b0", "b1") + " AND w.session_id <> '') c,"
        " (SELECT count(DISTINCT w.agent || ':' || w.session_id) AS n FROM " + rollup("session_buckets", "pb0", "b0") + " AND w.session_id <> '') p, rng")),
    # each period's seconds computed once (MATERIALIZED): the card names them several
    # times, and a plain subquery may be flattened into it, its runs query then run at
    # every mention
    "active": ("Active time", period_panel(
        ", ca AS MATERIALIZED (SELECT " + active_seconds("rng.t0", "rng.t1") + " AS s FROM rng),"
        " pa AS MATERIALIZED (SELECT " + active_seconds("rng.pt0", "rng.t0") + " AS s FROM rng)"
        " SELECT " + card("active", hours("c.s"), "c.s", "p.s",
                          "CASE WHEN " + NO_DIMS + " THEN '' ELSE '<br><small style=\"font-size:0.8rem;font-weight:400\">from the filter''s requests</small>' END") + " AS html"
        " FROM ca c, pa p, rng")),
    "lines": ("Lines added / removed", period_panel(
        "SELECT " + card("lines", "'+' || c.a || ' / -' || c.r", "c.a + c.r", "p.a + p.r") + " AS html"
        " FROM (SELECT CAST(total(w.lines_added) AS INTEGER) AS a, CAST(total(w.lines_removed) AS INTEGER) AS r FROM " + rollup("change_buckets", "b0", "b1") + ") c,"
        " (SELECT CAST(total(w.lines_added) AS INTEGER) AS a, CAST(total(w.lines_removed) AS INTEGER) AS r FROM " + rollup("change_buckets", "pb0", "b0") + ") p, rng")),
    "commits": ("Commits", period_panel(
        "SELECT " + card("commits", "c.n", "c.n", "p.n") + " AS html"
        " FROM (SELECT count(*) AS n FROM " + gits("t0", "t1", "commit") + ") c,"
        " (SELECT count(*) AS n FROM " + gits("pt0", "t0", "commit") + ") p, rng")),
    "prs": ("Pull requests", period_panel(
        "SELECT " + card("prs", "c.n", "c.n", "p.n") + " AS html"
        " FROM (SELECT count(*) AS n FROM " + gits("t0", "t1", "gh pr create") + ") c,"
        " (SELECT count(*) AS n FROM " + gits("pt0", "t0", "gh pr create") + ") p, rng")),
    "errors": ("Tool error rate", period_panel(
        "SELECT " + card("errors", "CASE WHEN c.known = 0 THEN 'no outcomes' ELSE printf('%.1f%%', 100.0 * c.bad / c.known) END",
                         "100.0 * c.bad / nullif(c.known, 0)", "100.0 * p.bad / nullif(p.known, 0)",
                         "'<br><small style=\"font-size:0.8rem;font-weight:400\"><span data-lumo=\"errors_failed\">' || CAST(c.bad AS INTEGER) || '</span> failed of ' || c.known || ' calls with an outcome</small>'") + " AS html"
        " FROM (SELECT CAST(total(w.succeeded + w.failed) AS INTEGER) AS known, total(w.failed) AS bad FROM " + rollup("tool_buckets", "b0", "b1") + ") c,"
        " (SELECT CAST(total(w.succeeded + w.failed) AS INTEGER) AS known, total(w.failed) AS bad FROM " + rollup("tool_buckets", "pb0", "b0") + ") p, rng")),
}

# Models ranked by priced cost in the period (then tokens, then name); past the 19th they
# are one series 'other', coloured by the palette view's rank 20.
MODEL_RANK = ("m AS (SELECT coalesce(b.model, '(unknown)') AS model, total(b.requests) AS requests, total(b.priced_requests) AS priced,"
              " total(b.priced_cost_usd) AS usd, total(b.total_tokens) AS tokens, total(b.unpriced_tokens) AS unpriced_tokens FROM " + B +
              " GROUP BY 1),"
              " mr AS (SELECT *, row_number() OVER (ORDER BY usd DESC, tokens DESC, model) AS r FROM m),"
              " series AS MATERIALIZED (SELECT model, CASE WHEN r < 20 THEN model ELSE 'other' END AS series, min(r, 20) AS rank FROM mr)")

# This week and last week: the weekly_summary view without a filter (so the panel and
# the view agree); under an agent, project or machine filter the same figures from that
# filter's requests (period_buckets, usage; active time as the active card's).
WEEKS = ("WITH wk AS (SELECT week, week_start, strftime('%Y-%m-%dT%H:%M:%fZ', week_start, 'utc') AS t0,"
         " strftime('%Y-%m-%dT%H:%M:%fZ', week_start, '+7 days', 'utc') AS t1, strftime('%Y-%m-%dT%H:%M:00Z', week_start, 'utc') AS b0,"
         " strftime('%Y-%m-%dT%H:%M:00Z', week_start, '+7 days', 'utc') AS b1 FROM weekly_summary),"
         " fw AS (SELECT wk.week, wk.week_start,"
         " (SELECT count(DISTINCT w.agent || ':' || w.session_id) FROM session_buckets w WHERE w.bucket >= wk.b0 AND w.bucket < wk.b1"
         " AND w.session_id <> '' AND " + dims("w") + ") AS sessions,"
         " (SELECT total(b.requests) FROM period_buckets b WHERE b.bucket >= wk.b0 AND b.bucket < wk.b1 AND " + dims("b") + ") AS requests,"
         " (SELECT total(b.requests - b.priced_requests) FROM period_buckets b WHERE b.bucket >= wk.b0 AND b.bucket < wk.b1 AND " + dims("b") + ") AS unpriced,"
         " (SELECT total(b.priced_cost_usd) FROM period_buckets b WHERE b.bucket >= wk.b0 AND b.bucket < wk.b1 AND " + dims("b") + ") AS priced_cost_usd,"
         " " + active_seconds("wk.t0", "wk.t1") + " AS active_seconds FROM wk WHERE NOT " + NO_DIMS + "),"
         " fw2 AS (SELECT week, week_start, sessions, requests, CASE WHEN unpriced = 0 THEN priced_cost_usd END AS cost_usd, priced_cost_usd,"
         " active_seconds FROM fw),"
         " w AS (SELECT week, week_start, sessions, requests, cost_usd, priced_cost_usd, active_seconds, cost_delta_usd, sessions_delta"
         " FROM weekly_summary WHERE " + NO_DIMS +
         " UNION ALL SELECT a.week, a.week_start, a.sessions, a.requests, a.cost_usd, a.priced_cost_usd, a.active_seconds,"
         " CASE WHEN a.week = 'this' THEN a.cost_usd - l.cost_usd END, CASE WHEN a.week = 'this' THEN a.sessions - l.sessions END"
         " FROM fw2 a, fw2 l WHERE l.week = 'last')")

TREND_AT = "CASE WHEN rng.hourly THEN printf('%02d:00', b.hour) ELSE b.day END"

CHARTS = {
    "cost-trend": {
        "title": "Cost by model (priced requests; hourly for today)", "library": "vega-lite",
        # the buckets summed per time and model first, then joined to the series (joined
        # bucket by bucket, SQLite read the period's buckets once per model)
        "query": period_panel(", " + MODEL_RANK +
                              ", d AS MATERIALIZED (SELECT " + TREND_AT + " AS at, coalesce(b.model, '(unknown)') AS model,"
                              " total(b.priced_cost_usd) AS cost FROM " + B + " GROUP BY 1, 2)"
                              " SELECT d.at, s.series AS model, s.rank, p.hex AS color, round(total(d.cost), 6) AS cost"
                              " FROM d CROSS JOIN series s ON s.model = d.model CROSS JOIN palette p ON p.rank = s.rank GROUP BY 1, 2 ORDER BY 1, s.rank"),
        "display": {"mark": {"type": "bar", "tooltip": True},
                    "encoding": {"x": {"field": "at", "type": "ordinal", "title": None},
                                 "y": {"field": "cost", "type": "quantitative", "title": "USD", "aggregate": "sum"},
                                 "color": {"field": "color", "type": "nominal", "scale": None, "legend": None},
                                 "order": {"field": "rank"},
                                 "tooltip": [{"field": "at"}, {"field": "model"}, {"field": "cost", "format": "$.4f"}]}}},
    "cache-trend": {
        "title": "Cache hit rate (cache reads / prompt tokens)", "library": "vega-lite",
        "query": period_panel("SELECT " + TREND_AT + " AS at,"
                              " round(100.0 * total(b.cache_read_tokens) / nullif(total(b.input_tokens + b.cache_read_tokens + b.cache_write_tokens), 0), 2)"
                              " AS cache_hit_percent FROM " + B + " GROUP BY 1 ORDER BY 1"),
        "display": {"mark": {"type": "line", "point": True, "tooltip": True},
                    "encoding": {"x": {"field": "at", "type": "ordinal", "title": None},
                                 "y": {"field": "cache_hit_percent", "type": "quantitative", "title": "%",
                                       "scale": {"domain": [0, 100]}}}}},
    "models": {
        "title": "Models (by cost)", "library": "table",
        "query": period_panel(", " + MODEL_RANK +
                              " SELECT '<span style=\"color:' || p.hex || '\">&#9632;</span> <span data-lumo=\"model\">' || "
                              + link("model", "model", "s.series", esc("s.series")) + " || '</span>' AS model,"
                              " '<span data-lumo=\"model_cost\">' || CASE WHEN sum(mr.priced) = 0 THEN 'unpriced' ELSE "
                              + money("sum(mr.usd)") + " || CASE WHEN sum(mr.priced) < sum(mr.requests) THEN ' + unpriced' ELSE '' END END"
                              " || '</span>' AS cost,"
                              " '<span data-lumo=\"model_requests\">' || CAST(sum(mr.requests) AS INTEGER) || '</span>' AS requests,"
                              " '<span data-lumo=\"model_tokens\">' || printf('%,d', CAST(sum(mr.tokens) AS INTEGER)) || '</span>' AS tokens"
                              " FROM mr JOIN series s ON s.model = mr.model JOIN palette p ON p.rank = s.rank"
                              " GROUP BY s.series ORDER BY min(s.rank)")},
    "model-share": {
        "title": "Cost share by model (priced requests)", "library": "vega-lite",
        "query": period_panel(", " + MODEL_RANK +
                              " SELECT s.series AS model, s.rank, p.hex AS color, round(sum(mr.usd), 6) AS cost"
                              " FROM mr JOIN series s ON s.model = mr.model JOIN palette p ON p.rank = s.rank"
                              " GROUP BY s.series HAVING sum(mr.usd) > 0 ORDER BY min(s.rank)"),
        "display": {"mark": {"type": "arc", "tooltip": True},
                    "encoding": {"theta": {"field": "cost", "type": "quantitative"},
                                 "color": {"field": "color", "type": "nominal", "scale": None, "legend": None},
                                 "order": {"field": "rank"},
                                 "tooltip": [{"field": "model"}, {"field": "cost", "format": "$.4f"}]}}},
    "peak-hour": {
        "title": "Peak hour", "library": "metric",
        "query": period_panel("SELECT '<div style=\"' || " + CARD_STYLE + " || '\"><span data-lumo=\"peak_hour\">' || CASE WHEN h.hour IS NULL THEN 'none' ELSE printf('%02d:00', h.hour) END || '</span>'"
                              " || '<br><small style=\"font-size:0.8rem;font-weight:400\">' || coalesce(CAST(h.n AS INTEGER) || ' requests', 'no requests') || '</small></div>' AS html"
                              " FROM (SELECT 1) LEFT JOIN (SELECT b.hour, total(b.requests) AS n FROM " + B +
                              " GROUP BY b.hour ORDER BY n DESC, b.hour LIMIT 1) h"),
        "display": {"field": "html"}},
    "hourly": {
        "title": "Requests per local hour", "library": "vega-lite",
        "query": period_panel("SELECT b.hour, CAST(total(b.requests) AS INTEGER) AS requests FROM " + B + " GROUP BY b.hour ORDER BY b.hour"),
        "display": {"mark": {"type": "bar", "tooltip": True},
                    "encoding": {"x": {"field": "hour", "type": "ordinal", "scale": {"domain": list(range(24))}},
                                 "y": {"field": "requests", "type": "quantitative"}}}},
    "session-lengths": {
        "title": "Session lengths (sessions started in the range)", "library": "table",
        "query": period_panel(", lens(ord, length, lo, hi) AS (VALUES (1, '<5m', 0, 300), (2, '5-15m', 300, 900), (3, '15-30m', 900, 1800),"
                              " (4, '30-60m', 1800, 3600), (5, '1h+', 3600, 1e18))"
                              " SELECT lens.length, '<span data-lumo=\"length_' || lens.ord || '\">' || count(s.session_id) || '</span>' AS sessions"
                              " FROM lens LEFT JOIN (SELECT s.session_id, s.duration_seconds FROM sessions s, rng"
                              " WHERE s.started_at >= rng.t0 AND s.started_at < rng.t1 AND " + dims("s") + ") s"
                              " ON s.duration_seconds >= lens.lo AND s.duration_seconds < lens.hi GROUP BY lens.ord ORDER BY lens.ord")},
    "heatmap": {
        "title": "Requests per day, last 365 days (filters apply; range does not)", "library": "vega-lite",
        "query": ("WITH d AS (SELECT date('now', 'localtime', '-364 days') AS d0),"
                  " days AS (SELECT b.day, total(b.requests) AS requests FROM period_buckets b, d"
                  " WHERE b.bucket >= strftime('%Y-%m-%dT%H:%M:00Z', d.d0, 'utc') AND " + dims("b") + " GROUP BY b.day)"
                  " SELECT day, CAST(strftime('%w', day) AS INTEGER) AS weekday,"
                  " CAST((julianday(day) - julianday((SELECT d0 FROM d))) / 7 AS INTEGER) AS week, CAST(requests AS INTEGER) AS requests"
                  " FROM days WHERE day >= (SELECT d0 FROM d) ORDER BY day"),
        "display": {"mark": {"type": "rect", "tooltip": True},
                    "encoding": {"x": {"field": "week", "type": "ordinal", "axis": None, "scale": {"domain": list(range(53))}},
                                 "y": {"field": "weekday", "type": "ordinal", "title": "weekday (0 = Sunday)"},
                                 "color": {"field": "requests", "type": "quantitative", "scale": {"scheme": "greens"}},
                                 "tooltip": [{"field": "day"}, {"field": "requests"}]}}},
    "tools": {
        "title": "Top tools (calls in the range, by outcome)", "library": "table",
        "query": period_panel("SELECT '<span data-lumo=\"tool\">' || " + esc("w.tool_name") + " || '</span>' AS tool,"
                              " '<span data-lumo=\"tool_calls\">' || sum(w.calls) || '</span>' AS calls,"
                              " '<span data-lumo=\"tool_ok\">' || sum(w.succeeded) || '</span>' AS succeeded,"
                              " '<span data-lumo=\"tool_failed\">' || sum(w.failed) || '</span>' AS failed,"
                              " sum(w.calls - w.succeeded - w.failed) AS unknown"
                              " FROM " + rollup("tool_buckets", "b0", "b1") + " GROUP BY w.tool_name ORDER BY sum(w.calls) DESC, w.tool_name LIMIT 15")},
    "tool-trend": {
        "title": "Tool calls by outcome", "library": "vega-lite",
        "query": period_panel(", tt AS MATERIALIZED (SELECT CASE WHEN rng.hourly THEN strftime('%H:00', w.bucket, 'localtime') ELSE date(w.bucket, 'localtime') END AS at,"
                              " sum(w.succeeded) AS ok, sum(w.failed) AS bad, sum(w.calls - w.succeeded - w.failed) AS unknown"
                              " FROM " + rollup("tool_buckets", "b0", "b1") + " GROUP BY 1)"
                              " SELECT at, 'succeeded' AS outcome, ok AS calls FROM tt WHERE ok > 0 UNION ALL SELECT at, 'failed', bad FROM tt WHERE bad > 0"
                              " UNION ALL SELECT at, 'unknown', unknown FROM tt WHERE unknown > 0 ORDER BY 1, 2"),
        "display": {"mark": {"type": "bar", "tooltip": True},
                    "encoding": {"x": {"field": "at", "type": "ordinal", "title": None},
                                 "y": {"field": "calls", "type": "quantitative"},
                                 "color": {"field": "outcome", "type": "nominal",
                                           "scale": {"domain": ["succeeded", "failed", "unknown"],
                                                     "range": ["#2ca02c", "#d62728", "#9e9e9e"]}}}}},
    "accept-rate": {
        # Claude Code's telemetry carries no project or machine: under those filters the
        # panel says so in its one row instead of showing every project's figures
        "title": "Code-edit accept rate by language (telemetry: agent filter only)", "library": "table",
        "query": period_panel("SELECT language, accepts, rejects, accept_rate FROM ("
                              "SELECT 0 AS o, total(a.accepts) + total(a.rejects) AS n, " + esc("coalesce(a.language, '(not said)')") + " AS language,"
                              " '<span data-lumo=\"accepts\">' || CAST(total(a.accepts) AS INTEGER) || '</span>' AS accepts,"
                              " '<span data-lumo=\"rejects\">' || CAST(total(a.rejects) AS INTEGER) || '</span>' AS rejects,"
                              " '<span data-lumo=\"accept_rate\">' || coalesce(printf('%.1f%%', 100.0 * total(a.accepts) / nullif(total(a.accepts) + total(a.rejects), 0)), 'n/a') || '</span>' AS accept_rate"
                              " FROM accept_rate a, rng WHERE a.day BETWEEN rng.d0 AND rng.d1 AND (:agent = '' OR a.agent = :agent)"
                              " AND :project = '' AND :machine = '' GROUP BY a.language"
                              " UNION ALL SELECT 1, 0, '<span data-lumo=\"accept_note\">Not shown: telemetry has no project or machine, and a '"
                              " || CASE WHEN :project <> '' THEN 'project' ELSE 'machine' END || ' filter is set (clear it to see the accept rate)</span>', '', '', ''"
                              " WHERE :project <> '' OR :machine <> '') ORDER BY o, n DESC")},
    "sessions-table": {
        "title": "Sessions in the range (by cost; open one)", "library": "table",
        "query": period_panel("SELECT " + link("session", "session_id", "s.session_id", "substr(" + esc("s.session_id") + ", 1, 8)") + " AS session, s.agent,"
                              " " + link("project", "project", "s.project", esc("s.project")) + " AS project,"
                              " datetime(s.started_at, 'localtime') AS started, s.requests,"
                              " CASE WHEN s.cost_usd IS NULL THEN " + money("s.priced_cost_usd") + " || ' + unpriced' ELSE " + money("s.cost_usd") + " END AS cost"
                              " FROM sessions s, rng WHERE s.started_at >= rng.t0 AND s.started_at < rng.t1 AND " + dims("s") +
                              " ORDER BY s.priced_cost_usd DESC LIMIT 20")},
    "projects-table": {
        "title": "Projects in the range (open one)", "library": "table",
        "query": period_panel("SELECT " + link("project", "project", "b.project", esc("coalesce(b.project, '(unknown)')")) + " AS project,"
                              " CAST(total(b.requests) AS INTEGER) AS requests,"
                              " CASE WHEN total(b.priced_requests) = 0 THEN 'unpriced' ELSE " + money("total(b.priced_cost_usd)") +
                              " || CASE WHEN total(b.priced_requests) < total(b.requests) THEN ' + unpriced' ELSE '' END END AS cost"
                              " FROM " + B + " GROUP BY b.project ORDER BY total(b.priced_cost_usd) DESC LIMIT 20")},
    "rest": {
        "title": "Rest (you, now: all agents)", "library": "metric",
        "query": ("SELECT '<div style=\"' || " + CARD_STYLE + " || '\"><span data-lumo=\"rest_level\">' || r.level || '</span><br><small style=\"font-size:0.8rem;font-weight:400\"><span data-lumo=\"rest_minutes\">'"
                  " || r.continuous_minutes || '</span> min without a break (' || r.progress_percent || '%), next level in '"
                  " || r.minutes_to_next_level || ' min<br><span data-lumo=\"rest_hints\">' || replace(r.hints, ',', ', ')"
                  " || '</span></small></div>' AS html FROM rest_status r"),
        "display": {"field": "html"}},
    "weekly": {
        "title": "This week vs last week (ISO weeks by default; the filters apply)", "library": "table",
        "query": WEEKS + " SELECT w.week, w.week_start, '<span data-lumo=\"week_sessions_' || w.week || '\">' || w.sessions || '</span>' AS sessions,"
                 " '<span data-lumo=\"week_requests_' || w.week || '\">' || CAST(w.requests AS INTEGER) || '</span>' AS requests,"
                 " '<span data-lumo=\"week_cost_' || w.week || '\">' || CASE WHEN w.cost_usd IS NULL AND w.requests > 0 THEN "
                 + money("w.priced_cost_usd") + " || ' + unpriced' ELSE " + money("coalesce(w.cost_usd, 0)") + " END || '</span>' AS cost,"
                 " printf('%.1f h', w.active_seconds / 3600.0) AS active,"
                 " CASE WHEN w.week = 'last' THEN '' ELSE coalesce(" + money("w.cost_delta_usd") + ", 'unknown (unpriced requests)') END AS cost_change,"
                 " coalesce(w.sessions_delta, '') AS sessions_change FROM w ORDER BY w.week = 'last'"},
    "wrapped": {
        "title": "Wrapped (all time, all agents)", "library": "metric",
        "query": ("SELECT '<div style=\"' || " + CARD_STYLE + " || '\"><span data-lumo=\"wrapped_hours\">' || printf('%.1f', a.active_seconds / 3600.0) || '</span> active hours'"
                  " || '<br><small style=\"font-size:0.8rem;font-weight:400\">longest streak <span data-lumo=\"wrapped_streak\">' || coalesce(s.longest_days, 0) || '</span> days, '"
                  " || 'peak hour <span data-lumo=\"wrapped_peak\">' || CASE WHEN h.hour IS NULL THEN 'none' ELSE printf('%02d:00', h.hour) END || '</span>: '"
                  " || CASE WHEN h.hour IS NULL THEN 'no activity yet' WHEN h.hour BETWEEN 5 AND 11 THEN 'early bird'"
                  " WHEN h.hour BETWEEN 12 AND 17 THEN 'daytime coder' WHEN h.hour BETWEEN 18 AND 22 THEN 'evening coder' ELSE 'night owl' END"
                  " || '</small></div>' AS html FROM active_time a, streaks s"
                  " LEFT JOIN (SELECT CAST(strftime('%H', datetime(q * 900, 'unixepoch', 'localtime')) AS INTEGER) AS hour, sum(n) AS m"
                  " FROM (SELECT minute / 15 AS q, count(*) AS n FROM active_minutes GROUP BY 1) GROUP BY 1 ORDER BY m DESC, hour LIMIT 1) h"),
        "display": {"field": "html"}},
    "notifications": {
        "title": "Notifications (Claude Code hooks; newest first)", "library": "table",
        "query": period_panel("SELECT datetime(n.received_at, 'localtime') AS received, n.event,"
                              " " + esc("n.message") + " AS message, " + link("session", "session_id", "n.session_id", "substr(" + esc("n.session_id") + ", 1, 8)") + " AS session,"
                              " " + esc("n.project") + " AS project"
                              " FROM notifications n, rng WHERE n.received_at >= rng.t0 AND n.received_at < rng.t1"
                              " AND (:agent = '' OR n.agent = :agent) AND (:project = '' OR n.project = :project)"
                              " AND (:machine = '' OR n.machine = :machine) ORDER BY n.received_at DESC LIMIT 20")},
}

FILTERS = {
    "range": {"name": "Range", "type": "select", "options": ["today", "week", "month", "custom"], "default": "week"},
    "date_from": {"name": "From (custom)", "type": "date"},
    "date_to": {"name": "To (custom)", "type": "date"},
    "agent": {"name": "Agent", "type": "select", "db": "lumo", "query": "SELECT DISTINCT agent FROM usage_buckets ORDER BY 1"},
    "project": {"name": "Project", "type": "select", "db": "lumo",
                "query": "SELECT DISTINCT project FROM usage_buckets WHERE project <> '' ORDER BY 1"},
    "machine": {"name": "Machine", "type": "select", "db": "lumo", "query": "SELECT DISTINCT machine FROM usage_buckets ORDER BY 1"},
}


def _main():
    charts = {}
    for key, (title, q) in CARDS.items():
        charts[key] = {"title": title, "db": "lumo", "library": "metric", "query": q, "display": {"field": "html"}}
    for key, c in CHARTS.items():
        c = dict(c, db="lumo")
        if c["library"] == "vega-lite":  # SVG, so the values are in the page (aria labels)
            c["display"] = dict(c["display"], usermeta={"embedOptions": {"renderer": "svg", "actions": False}})
        charts[key] = c
    layout = [["cost", "tokens", "sessions", "active"],
              ["lines", "commits", "prs", "errors"],
              ["cost-trend", "cost-trend", "cost-trend", "model-share"],
              ["models", "models", "cache-trend", "cache-trend"],
              ["peak-hour", "hourly", "hourly", "session-lengths"],
              ["heatmap", "heatmap", "heatmap", "heatmap"],
              ["tools", "tools", "tool-trend", "tool-trend"],
              ["accept-rate", "accept-rate", "rest", "wrapped"],
              ["weekly", "weekly", "weekly", "weekly"],
              ["sessions-table", "sessions-table", "sessions-table", "sessions-table"],
              ["projects-table", "projects-table", "notifications", "notifications"]]
    return {"title": "lumo", "description": "AI coding-agent usage from the lumo database. Range: today, this week, this month "
                     "or custom dates (local days, up to today); each card compares with the same number of days just before. "
                     "Agent, project and machine filters apply to every period panel and the weekly one; rest and wrapped are about you (all agents).",
            "filters": FILTERS, "layout": layout, "charts": charts}


def _session():
    sid = "s.session_id = :session_id"
    charts = {
        "summary": {"title": "Session", "library": "table",
                    "query": "SELECT s.agent, " + link("project", "project", "s.project", esc("s.project")) + " AS project, s.machine,"
                             " datetime(s.started_at, 'localtime') AS started, CASE WHEN s.duration_seconds IS NULL THEN 'unknown' ELSE printf('%d min', s.duration_seconds / 60) END AS length,"
                             " '<span data-lumo=\"session_requests\">' || s.requests || '</span>' AS requests,"
                             " '<span data-lumo=\"session_cost\">' || CASE WHEN s.cost_usd IS NULL THEN " + money("s.priced_cost_usd") +
                             " || ' + ' || s.unpriced_tokens || ' unpriced tokens' ELSE " + money("s.cost_usd") + " END || '</span>' AS cost,"
                             " s.messages AS records, '<a href=\"/-/dashboards/lumo?range=custom&amp;date_from=' || date(s.started_at, 'localtime')"
                             " || '&amp;date_to=' || date(s.ended_at, 'localtime') || '&amp;project=' || " + urlq("s.project") +
                             " || '\">its days on the dashboard</a>' AS back FROM sessions s WHERE " + sid},
        "models": {"title": "Models", "library": "table",
                   "query": "SELECT " + link("model", "model", "sm.model", esc("sm.model")) + " AS model,"
                            " '<span data-lumo=\"session_model_requests\">' || sm.requests || '</span>' AS requests"
                            " FROM session_models sm WHERE sm.session_id = :session_id ORDER BY sm.requests DESC"},
        "tools": {"title": "Tools", "library": "table",
                  "query": "SELECT " + esc("w.name") + " AS tool, '<span data-lumo=\"session_tool_calls\">' || count(*) || '</span>' AS calls,"
                           " count(CASE WHEN w.is_error = 1 THEN 1 END) AS failed FROM work_events w"
                           " WHERE w.session_id = :session_id AND w.kind = 'tool_call' GROUP BY w.name ORDER BY count(*) DESC"},
        "files": {"title": "Files changed", "library": "table",
                  "query": "SELECT " + esc("w.name") + " AS file, count(*) AS changes, CAST(total(w.lines_added) AS INTEGER) AS added,"
                           " CAST(total(w.lines_removed) AS INTEGER) AS removed FROM work_events w"
                           " WHERE w.session_id = :session_id AND w.kind = 'file_change' GROUP BY w.name ORDER BY count(*) DESC"},
        "messages": {"title": "Messages in order (tool calls and results folded)", "library": "table",
                     "query": "SELECT '<span data-lumo=\"seq\">' || t.seq || '</span>' AS n, coalesce(datetime(t.timestamp, 'localtime'), '(no time)') AS time,"
                              " t.kind, coalesce(t.model, '') AS model,"
                              " CASE WHEN t.tool_details IS NOT NULL THEN '<details><summary data-lumo=\"shows\">' || " + esc("substr(t.shows, 1, 200)") +
                              " || '</summary>' || (SELECT group_concat('<b>' || " + esc("json_extract(j.value, '$.name')") + " || '</b>'"
                              " || CASE json_extract(j.value, '$.is_error') WHEN 1 THEN ' (failed)' ELSE '' END"
                              " || '<pre>' || " + esc("substr(json_extract(j.value, '$.input'), 1, 2000)") + " || '</pre><pre>' || "
                              + esc("json_extract(j.value, '$.result')") + " || '</pre>', '') FROM json_each(t.tool_details) j) || '</details>'"
                              " WHEN t.kind IN ('tool_result', 'tool_use') OR length(t.shows) > 600 THEN '<details><summary data-lumo=\"shows\">' || "
                              + esc("substr(t.shows, 1, 120)") + " || '</summary><pre>' || " + esc("t.shows") + " || '</pre></details>'"
                              " ELSE '<span data-lumo=\"shows\">' || " + esc("t.shows") + " || '</span>' END AS message"
                              " FROM session_timeline t WHERE t.session_id = :session_id ORDER BY t.seq"},
    }
    return {"title": "Session", "description": "One session: its requests, cost, models, tools, files and messages in order. "
                                               "Open one from the lumo dashboard's sessions or a project's page.",
            "filters": {"session_id": {"name": "Session id", "type": "text"}},
            "layout": [["summary", "summary", "summary", "summary"], ["models", "tools", "files", "files"],
                       ["messages", "messages", "messages", "messages"]],
            "charts": {k: dict(v, db="lumo") for k, v in charts.items()}}


def _project():
    charts = {
        "sessions": {"title": "The project's sessions (newest first)", "library": "table",
                     "query": "SELECT " + link("session", "session_id", "s.session_id", "substr(" + esc("s.session_id") + ", 1, 8)") + " AS session,"
                              " s.agent, s.machine, datetime(s.started_at, 'localtime') AS started,"
                              " '<span data-lumo=\"project_session_requests\">' || s.requests || '</span>' AS requests,"
                              " CASE WHEN s.cost_usd IS NULL THEN " + money("s.priced_cost_usd") + " || ' + unpriced' ELSE " + money("s.cost_usd") + " END AS cost"
                              " FROM sessions s WHERE s.project = :project ORDER BY s.started_at DESC"},
        "days": {"title": "The project's days", "library": "table",
                 "query": "SELECT '<a href=\"/-/dashboards/lumo?range=custom&amp;date_from=' || b.day || '&amp;date_to=' || b.day"
                          " || '&amp;project=' || " + urlq(":project") + " || '\">' || b.day || '</a>' AS day,"
                          " '<span data-lumo=\"project_day_requests\">' || CAST(total(b.requests) AS INTEGER) || '</span>' AS requests,"
                          " CASE WHEN total(b.priced_requests) = 0 THEN 'unpriced' ELSE " + money("total(b.priced_cost_usd)") +
                          " || CASE WHEN total(b.priced_requests) < total(b.requests) THEN ' + unpriced' ELSE '' END END AS cost"
                          " FROM period_buckets b WHERE b.project = :project GROUP BY b.day ORDER BY b.day DESC"},
    }
    return {"title": "Project", "description": "A project's sessions and days; each day opens the lumo dashboard for that day and project.",
            "filters": {"project": {"name": "Project", "type": "select", "db": "lumo",
                                    "query": "SELECT DISTINCT project FROM usage_buckets WHERE project <> '' ORDER BY 1"}},
            "layout": [["sessions", "days"]], "charts": {k: dict(v, db="lumo") for k, v in charts.items()}}


def _model():
    charts = {
        "days": {"title": "The model's days", "library": "table",
                 "query": "SELECT '<a href=\"/-/dashboards/lumo?range=custom&amp;date_from=' || d.day || '&amp;date_to=' || d.day || '\">' || d.day || '</a>' AS day,"
                          " d.agent, '<span data-lumo=\"model_day_requests\">' || d.requests || '</span>' AS requests,"
                          " printf('%,d', d.total_tokens) AS tokens,"
                          " CASE WHEN d.cost_usd IS NULL THEN " + money("d.priced_cost_usd") + " || ' + ' || d.unpriced_tokens || ' unpriced tokens'"
                          " ELSE " + money("d.cost_usd") + " END AS cost FROM daily d WHERE d.model = :model ORDER BY d.day DESC"},
        "sessions": {"title": "Sessions that used it", "library": "table",
                     "query": "SELECT " + link("session", "session_id", "sm.session_id", "substr(" + esc("sm.session_id") + ", 1, 8)") + " AS session,"
                              " sm.agent, sm.requests FROM session_models sm WHERE sm.model = :model ORDER BY sm.requests DESC LIMIT 50"},
    }
    return {"title": "Model", "description": "A model's days (each opens the lumo dashboard for that day) and its sessions.",
            "filters": {"model": {"name": "Model", "type": "select", "db": "lumo",
                                  "query": "SELECT DISTINCT model FROM usage_buckets WHERE model <> '' ORDER BY 1"}},
            "layout": [["days", "sessions"]], "charts": {k: dict(v, db="lumo") for k, v in charts.items()}}


def dashboards():
    return {"lumo": _main(), "session": _session(), "project": _project(), "model": _model()}
