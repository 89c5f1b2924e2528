"""check_dashboard_browser: the Datasette dashboards as a person sees them. Two databases
are served by scripts/lumo-datasette (restricted nofs entry point) with TZ=Asia/Kolkata
(+05:30, so local days are not UTC days): the demo (examples/demo-home, what `make demo`
syncs) and a generated one (tests/bench/gen_corpus.py, plus requests, tool calls, file
changes, git operations and notifications written here around the current time: 25
models, one of them unpriced, two projects, two machines, two agents). Headless Chromium
opens every dashboard page and each drill-down page after the charts have rendered
(--virtual-time-budget, then --dump-dom); the numbers are read from the page (the
data-lumo elements of the cards and tables, and the charts' SVG aria labels) and compared
with figures computed here: Python over the base tables' rows (local days and hours by
zoneinfo, runs of active minutes, ranks of models), or this test's own SQL over the views
where a view is the report (accept rate). Also: the file-reading tables are not reachable
(nofs), and the pages link to each other both ways.
Screenshots go to tests/out/dashboard/ (LUMO_SCREENSHOTS=examples writes the README's
examples/datasette-*.png instead). Chromium is installed by `make deps-test` (Debian's
chromium), or by this check through scripts/deps.sh when missing; it is skipped (77) only
when that install cannot be done (not root, no apt)."""
import datetime
import html.parser
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from lumo_sql import ROOT, Checker, demo_env, fresh_db, query

TZNAME = "Asia/Kolkata"
TZ = zoneinfo.ZoneInfo(TZNAME)
c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "dashboard")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
SHOTS = os.path.join(ROOT, "examples") if os.environ.get("LUMO_SCREENSHOTS") == "examples" else OUT
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:  # make deps-test installs it; a run without it tries once (apt-get as root)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "deps.sh"), "build"], env=dict(os.environ, DEPS_EXTRA="chromium"))
    CHROMIUM = shutil.which("chromium")
    if not CHROMIUM:
        print("SKIP: Debian's chromium cannot be installed here (scripts/deps.sh said why above)")
        sys.exit(77)


# ---- the two databases ----------------------------------------------------------------

def utc(ts):
    return datetime.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def iso(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


demo = os.path.join(OUT, "demo", "lumo.db")
os.makedirs(os.path.dirname(demo))
saved = dict(os.environ)
demo_env()
fresh_db(demo)
query("SELECT lumo_sync()", db=demo)
os.environ.clear()
os.environ.update(saved)

gen = os.path.join(OUT, "gen", "lumo.db")
os.makedirs(os.path.dirname(gen))
corpus = os.path.join(OUT, "gen", "corpus")
subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "bench", "gen_corpus.py"), "--out", corpus, "--size", "2M",
                "--seed", "21"], check=True, capture_output=True)
fresh_db(gen)
query("SELECT lumo_sync('%s')" % os.path.join(corpus, "claude"), db=gen)
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
rnd = random.Random(21)
MODELS = ["gen-model-%02d" % i for i in range(1, 25)] + ["mystery-model"]
rows, tools, changes, gits = [], [], [], []
for i in range(400):
    # requests over the last 40 days; the last 75 minutes densely (a work stretch now)
    if i < 30:
        t = NOW - datetime.timedelta(minutes=75 - 2.5 * i + 1)
    else:
        t = NOW - datetime.timedelta(minutes=rnd.randrange(80, 40 * 1440))
    model = MODELS[i % 25]
    agent = "codex" if i % 7 == 0 else "claude"
    sess = "g-%s-%d" % (agent, i // 9)
    project = ["alpha", "beta"][(i // 9) % 2]
    machine = ["box-1", "box-2"][(i // 18) % 2]
    tok = (100 + i, 50 + i % 13, 1000 * (i % 5), 30, 0)
    cost = None if model == "mystery-model" else round(0.001 * (25 - MODELS.index(model)) * (1 + i % 3), 6)
    rows.append(("gen:%d" % i, agent, machine, sess, project, iso(t), model) + tok + (cost, sum(tok)))
    if i % 3 == 0:
        key = "%s:toolu_%d" % (agent, i)
        tools.append((key, agent, machine, sess, iso(t), ["Bash", "Read", "Edit", "Grep"][i % 4], "{}",
                      [0, 0, 1, None][i % 4], project))
        if i % 4 == 2 or i % 4 == 0:
            changes.append((key + ":0", key, agent, machine, sess, project, iso(t), "Edit", "src/f%d.py" % i, "Python",
                            "edit", i % 11, i % 4))
        if i % 9 == 0:
            gits.append((key + ":0", key, agent, machine, sess, project, iso(t), ["commit", "gh pr create", "push"][i % 27 // 9]))
con = sqlite3.connect(gen)
con.executemany("INSERT INTO usage (key, agent, machine, session_id, project, timestamp, model, input_tokens, output_tokens,"
                " cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost_usd, rank_total, rank_has_speed,"
                " rank_mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)", rows)
con.executemany("INSERT INTO tool_uses (key, agent, machine, session_id, timestamp, tool_name, input, is_error, project)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", tools)
con.executemany("INSERT INTO file_changes (key, tool_key, agent, machine, session_id, project, timestamp, tool_name, path,"
                " language, operation, lines_added, lines_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", changes)
con.executemany("INSERT INTO git_ops (key, tool_key, agent, machine, session_id, project, timestamp, operation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", gits)
con.executemany("INSERT INTO hook_events (received_at, agent, machine, event, session_id, project, message, body)"
                " VALUES (?, 'claude', 'box-1', ?, ?, 'alpha', ?, '{}')",
                [(iso(NOW - datetime.timedelta(minutes=3)), "Notification", "g-claude-1", "Claude needs your <permission>"),
                 (iso(NOW - datetime.timedelta(minutes=2)), "Stop", "g-claude-1", None)])
con.commit()
con.close()


# ---- what the pages should show, computed here ---------------------------------------

def load(db):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    d = {"usage": [dict(r) for r in con.execute("SELECT * FROM usage WHERE timestamp IS NOT NULL")],
         "tools": [dict(r) for r in con.execute("SELECT * FROM tool_uses WHERE timestamp IS NOT NULL")],
         "changes": [dict(r) for r in con.execute("SELECT f.*, t.is_error FROM file_changes f LEFT JOIN tool_uses t ON t.key = f.tool_key"
                                                  " WHERE f.timestamp IS NOT NULL")],
         "gits": [dict(r) for r in con.execute("SELECT g.*, t.is_error FROM git_ops g LEFT JOIN tool_uses t ON t.key = g.tool_key")],
         "minutes": [r[0] for r in con.execute("SELECT minute FROM active_minutes ORDER BY minute")],
         "messages": [dict(r) for r in con.execute("SELECT agent, session_id, timestamp FROM messages")],
         "otel_active": con.execute("SELECT count(*) FROM otel_points WHERE metric = 'claude_code.active_time.total'").fetchone()[0]}
    for r in d["usage"]:
        r["t"] = utc(r["timestamp"])
        r["tokens"] = r["input_tokens"] + r["output_tokens"] + r["cache_read_tokens"] + r["cache_write_5m_tokens"] + r["cache_write_1h_tokens"]
    con.close()
    return d


def period(rng, d0=None, d1=None):
    today = datetime.datetime.now(TZ).date()
    if rng == "today":
        d0, d1 = today, today
    elif rng == "week":
        d0, d1 = today - datetime.timedelta(days=today.weekday()), today
    elif rng == "month":
        d0, d1 = today.replace(day=1), today
    n = (d1 - d0).days + 1
    start = lambda d: datetime.datetime.combine(d, datetime.time(), TZ).astimezone(datetime.timezone.utc)  # noqa: E731
    return {"n": n, "t0": start(d0), "t1": start(d1 + datetime.timedelta(days=1)), "pt0": start(d0 - datetime.timedelta(days=n)),
            "hourly": rng == "today"}


def keep(r, f):
    return all(not f.get(k) or r.get(k) == f[k] for k in ("agent", "project", "machine"))


def change(cur, prev):
    if not prev:
        return "no change" if not cur else "new"
    return "%+.1f%%" % (100.0 * (cur - prev) / prev)


def money(x):
    return "$%.2f" % x


def runs_seconds(minutes, t0, t1, gap=5):
    """Active seconds of the runs that start in [t0, t1): minutes no more than gap apart
    are one run, a run counts its span, at least 60 s (the activity view's rule)."""
    total, run = 0, None
    a, b = t0.timestamp() // 60, t1.timestamp() // 60
    for m in sorted(set(minutes)) + [None]:
        if run and (m is None or m - run[1] > gap):
            if a <= run[0] < b:
                total += max(60, (run[1] - run[0]) * 60)
            run = None
        if m is not None:
            run = [m, m] if run is None else [run[0], m]
    return total


def expect(d, rng, f, d0=None, d1=None):
    p = period(rng, d0, d1)
    cur = [r for r in d["usage"] if p["t0"] <= r["t"] < p["t1"] and keep(r, f)]
    prev = [r for r in d["usage"] if p["pt0"] <= r["t"] < p["t0"] and keep(r, f)]
    e = {}
    priced = lambda rs: sum(r["cost_usd"] for r in rs if r["cost_usd"] is not None)  # noqa: E731
    n_priced = sum(1 for r in cur if r["cost_usd"] is not None)
    e["cost"] = "unpriced" if cur and n_priced == 0 else money(priced(cur))
    e["cost_change"] = change(priced(cur), priced(prev))
    unpriced = sum(r["tokens"] for r in cur if r["cost_usd"] is None)
    if 0 < n_priced < len(cur):
        e["cost_unpriced"] = "+ %d unpriced tokens" % unpriced
    e["tokens"] = "{:,}".format(sum(r["tokens"] for r in cur))
    e["tokens_change"] = change(sum(r["tokens"] for r in cur), sum(r["tokens"] for r in prev))
    ses = lambda rs: len({(r["agent"], r["session_id"]) for r in rs if r["session_id"]})  # noqa: E731  (a known id)
    e["sessions"], e["sessions_change"] = str(ses(cur)), change(ses(cur), ses(prev))
    if not d["otel_active"]:
        if any(f.values()):
            mins = lambda a, b: [int(r["t"].timestamp()) // 60 for r in d["usage"] if a <= r["t"] < b and keep(r, f)]  # noqa: E731
            ca, pa = runs_seconds(mins(p["t0"], p["t1"]), p["t0"], p["t1"]), runs_seconds(mins(p["pt0"], p["t0"]), p["pt0"], p["t0"])
        else:
            allm = sorted({int(r["t"].timestamp()) // 60 for r in d["usage"]} |
                          {int(utc(m["timestamp"]).timestamp()) // 60 for m in d["messages"] if m["timestamp"]})
            ca, pa = runs_seconds(allm, p["t0"], p["t1"]), runs_seconds(allm, p["pt0"], p["t0"])
        e["active"], e["active_change"] = "%.1f h" % (ca / 3600), change(ca, pa)
    inr = lambda r, a, b: r["timestamp"] and a <= utc(r["timestamp"]) < b and keep(r, f)  # noqa: E731
    ch = [r for r in d["changes"] if inr(r, p["t0"], p["t1"]) and not r["is_error"]]
    chp = [r for r in d["changes"] if inr(r, p["pt0"], p["t0"]) and not r["is_error"]]
    add = lambda rs, k: sum(r[k] or 0 for r in rs)  # noqa: E731
    e["lines"] = "+%d / -%d" % (add(ch, "lines_added"), add(ch, "lines_removed"))
    e["lines_change"] = change(add(ch, "lines_added") + add(ch, "lines_removed"), add(chp, "lines_added") + add(chp, "lines_removed"))
    for key, op in (("commits", "commit"), ("prs", "gh pr create")):
        cnt = lambda a, b: sum(1 for r in d["gits"] if r["operation"] == op and inr(r, a, b) and not r["is_error"])  # noqa: E731
        e[key], e[key + "_change"] = str(cnt(p["t0"], p["t1"])), change(cnt(p["t0"], p["t1"]), cnt(p["pt0"], p["t0"]))
    tl = [r for r in d["tools"] if inr(r, p["t0"], p["t1"])]
    known = [r for r in tl if r["is_error"] is not None]
    e["errors"] = "%.1f%%" % (100.0 * sum(r["is_error"] for r in known) / len(known)) if known else "no outcomes"
    e["errors_failed"] = str(sum(r["is_error"] for r in known))
    # hours and peak hour (local)
    hours = {}
    for r in cur:
        h = r["t"].astimezone(TZ).hour
        hours[h] = hours.get(h, 0) + 1
    e["peak_hour"] = "%02d:00" % min(hours, key=lambda h: (-hours[h], h)) if hours else "none"
    e["hourly"] = {str(h): str(n) for h, n in hours.items()}
    # models: ranked by priced cost, then tokens, then name; past 19 'other'
    ms = {}
    for r in cur:
        m = ms.setdefault(r["model"] or "(unknown)", {"usd": 0.0, "tokens": 0, "requests": 0, "priced": 0})
        m["usd"] += r["cost_usd"] or 0
        m["tokens"] += r["tokens"]
        m["requests"] += 1
        m["priced"] += r["cost_usd"] is not None
    ranked = sorted(ms, key=lambda k: (-ms[k]["usd"], -ms[k]["tokens"], k))
    series = {}
    for i, k in enumerate(ranked):
        s = series.setdefault(k if i < 19 else "other", {"usd": 0.0, "tokens": 0, "requests": 0, "priced": 0})
        for x in s:
            s[x] += ms[k][x]
    e["models"] = [[k, "unpriced" if not s["priced"] else money(s["usd"]) + (" + unpriced" if s["priced"] < s["requests"] else ""),
                    str(s["requests"]), "{:,}".format(s["tokens"])] for k, s in series.items()]
    e["models_usd"] = [s["usd"] for s in series.values()]
    at = lambda r: "%02d:00" % r["t"].astimezone(TZ).hour if p["hourly"] else r["t"].astimezone(TZ).date().isoformat()  # noqa: E731
    trend = {}
    for i, k in enumerate(ranked):
        for r in cur:
            if (r["model"] or "(unknown)") == k:
                key = (at(r), k if i < 19 else "other")
                trend[key] = trend.get(key, 0.0) + (r["cost_usd"] or 0)
    e["trend"] = trend
    # session lengths: sessions that started in the range, by the span of all their requests
    spans = {}
    for r in d["usage"]:
        s = spans.setdefault((r["agent"], r["session_id"]), [r["t"], r["t"], r])
        s[0], s[1] = min(s[0], r["t"]), max(s[1], r["t"])
        if r["t"] < s[2]["t"]:
            s[2] = r
    lens = [0] * 5
    for (agent, sid), (a, b, first) in spans.items():
        if p["t0"] <= a < p["t1"] and keep(first, f) and sid:
            secs = round((b - a).total_seconds())
            lens[0 if secs < 300 else 1 if secs < 900 else 2 if secs < 1800 else 3 if secs < 3600 else 4] += 1
    e["lengths"] = [str(x) for x in lens]
    # tools
    tc = {}
    for r in tl:
        t = tc.setdefault(r["tool_name"], [0, 0, 0])
        t[0] += 1
        t[1] += r["is_error"] == 0
        t[2] += r["is_error"] == 1
    e["tools"] = sorted([[k] + [str(x) for x in v] for k, v in tc.items()], key=lambda x: (-int(x[1]), x[0]))[:15]
    # heatmap: requests per local day of the last 365 days (filters apply)
    today = datetime.datetime.now(TZ).date()
    heat = {}
    for r in d["usage"]:
        day = r["t"].astimezone(TZ).date()
        if keep(r, f) and (today - day).days <= 364 and day <= today:
            heat[day.isoformat()] = heat.get(day.isoformat(), 0) + 1
    e["heatmap"] = {k: str(v) for k, v in heat.items()}
    return e


# ---- serving and reading pages -------------------------------------------------------

class Lumo(html.parser.HTMLParser):
    """Text of every element with a data-lumo attribute (in page order), aria labels,
    and links."""

    def __init__(self):
        super().__init__()
        self.open, self.values, self.aria, self.links = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("aria-label"):
            self.aria.append(a["aria-label"])
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        for o in self.open:
            o[2] += 1
        if a.get("data-lumo"):
            self.open.append([a["data-lumo"], [], 0])

    def handle_endtag(self, tag):
        for o in list(self.open):
            o[2] -= 1
            if o[2] < 0:
                self.values.append((o[0], "".join(o[1]).strip()))
                self.open.remove(o)

    def handle_data(self, data):
        for o in self.open:
            o[1].append(data)


def serve(db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, TZ=TZNAME, LUMO_VENV=os.environ.get("LUMO_VENV", os.path.join(ROOT, "dist", "venv")))
    log = open(db + ".log", "w")
    p = subprocess.Popen(["sh", "scripts/lumo-datasette", "--db", db, "--port", str(port)], cwd=ROOT, env=env,
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    for _ in range(600):  # the first run installs Datasette into the venv
        if p.poll() is not None:
            break
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
            return p, base
        except OSError:
            time.sleep(0.5)
    print(open(db + ".log").read()[-2000:])
    raise SystemExit("Datasette did not start")


def browse(base, path, shot=None, height=1400):
    profile = tempfile.mkdtemp(prefix="lumo-chromium-")
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
            "--window-size=1400,%d" % height, "--virtual-time-budget=20000"]
    try:
        dom = subprocess.run(args + ["--dump-dom", base + path], capture_output=True, text=True, timeout=180).stdout
        if shot:
            subprocess.run(args + ["--screenshot=" + shot, base + path], capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    p = Lumo()
    p.feed(dom)
    return p, dom


def values(page, name):
    return [v for k, v in page.values if k == name]


def one(page, name):
    v = values(page, name)
    return v[0] if len(v) == 1 else v


def qs(**kw):
    return "?" + urllib.parse.urlencode({k: v for k, v in kw.items() if v is not None})


NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def same(want, got):
    """Equal, or equal but for the last printed digit of a rounded figure: SQLite sums
    floats in another order than Python, so a figure that falls on a half (0.115) can
    round either way. Each number may differ by half a unit of its last decimal place."""
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(want) == len(got) and all(same(a, b) for a, b in zip(want, got))
    if isinstance(want, dict) and isinstance(got, dict):
        return want.keys() == got.keys() and all(same(want[k], got[k]) for k in want)
    if want == got:
        return True
    if not isinstance(want, str) or not isinstance(got, str) or NUM.sub("#", want) != NUM.sub("#", got):
        return False
    for a, b in zip(NUM.findall(want), NUM.findall(got)):
        places = len(a.split(".")[1]) if "." in a else None
        if places is None or a.count(".") != b.count("."):
            if a != b:
                return False
        elif abs(float(a.replace(",", "")) - float(b.replace(",", ""))) > 10 ** -places + 1e-9:
            return False
    return True


def eq(what, want, got):
    c.eq(what, want, want if same(want, got) else got)


def check_main(tag, base, d, rng, f, d0=None, d1=None, shot=None):
    e = expect(d, rng, f, d0, d1)
    params = dict(range=rng, date_from=d0 and d0.isoformat(), date_to=d1 and d1.isoformat(), **f)
    page, dom = browse(base, "/-/dashboards/lumo" + qs(**params), shot, height=4200)
    what = "%s %s %s" % (tag, rng, json.dumps(f)) + (" %s..%s" % (d0, d1) if d0 else "")
    cards = ["cost", "cost_change", "tokens", "tokens_change", "sessions", "sessions_change", "lines", "lines_change",
             "commits", "commits_change", "prs", "prs_change", "errors", "errors_failed"]
    if "active" in e:
        cards += ["active", "active_change"]
    eq(what + ": cards", {k: e[k] for k in cards}, {k: (lambda v: v.split(" vs ")[0] if k.endswith("_change") and isinstance(v, str) else v)(one(page, k)) for k in cards})
    if "cost_unpriced" in e:
        c.eq(what + ": unpriced tokens beside the cost", e["cost_unpriced"], one(page, "cost_unpriced"))
    c.eq(what + ": peak hour", e["peak_hour"], one(page, "peak_hour"))
    hourly = dict(re.findall(r"^hour: (\d+); requests: (\d+)$", "\n".join(page.aria), re.M))
    c.eq(what + ": hourly chart (SVG labels)", e["hourly"], hourly)
    got_models = [list(x) for x in zip(values(page, "model"), values(page, "model_cost"), values(page, "model_requests"),
                                       values(page, "model_tokens"))]
    # a sum on a half cent rounds either way with the order of the float additions (the page
    # sums the stored rollup), and models whose sums differ only there may come in either
    # order: either rounding is right, and rows are compared by shown cost, then name
    want_models = [list(r) for r in e["models"]]
    page_cost = {r[0]: r[1] for r in got_models}
    for r, usd in zip(want_models, e["models_usd"]):
        x = usd * 100
        if abs(x - int(x) - 0.5) < 1e-6 and r[0] in page_cost:
            tail = r[1][len(money(usd)):]
            if page_cost[r[0]] in ("$%.2f" % (int(x) / 100) + tail, "$%.2f" % ((int(x) + 1) / 100) + tail):
                r[1] = page_cost[r[0]]
    by_cost = lambda rows: sorted(rows, key=lambda r: (-float(r[1][1:].split(" ")[0]) if r[1].startswith("$") else 1, r[0] == "other", r[0]))  # noqa: E731
    eq(what + ": models table (rank, cost or unpriced, requests, tokens)", by_cost(want_models), by_cost(got_models))
    trend = {}
    for a in page.aria:
        m = re.match(r"^at: ([^;]+); USD: ([0-9.e-]+); color: [^;]+; rank: \d+; model: ([^;]+);", a)
        if m:
            trend[(m.group(1), m.group(3))] = float(m.group(2))
    want = {k: v for k, v in e["trend"].items() if v > 0}
    c.eq(what + ": cost trend bars (SVG labels) per bucket and model", sorted(want),
         sorted(k for k, v in trend.items() if v > 0))
    c.eq(what + ": cost trend values", True, all(abs(trend.get(k, -1) - v) < 1e-5 for k, v in want.items()))
    colours = re.findall(r'<span style="color:(#[0-9a-f]{6})">', dom)
    c.eq(what + ": one distinct palette colour per model row", len(e["models"]), len(set(colours)))
    c.eq(what + ": session lengths", e["lengths"], [one(page, "length_%d" % i) for i in range(1, 6)])
    tools = [list(x) for x in zip(values(page, "tool"), values(page, "tool_calls"), values(page, "tool_ok"), values(page, "tool_failed"))]
    c.eq(what + ": top tools", e["tools"], tools)
    # accept rate: telemetry has no project or machine, so under those filters the panel
    # says so in place of figures (never every project's figures as if filtered)
    note = values(page, "accept_note")
    if f.get("project") or f.get("machine"):
        c.eq(what + ": accept rate says it cannot follow the filter, and shows no figures",
             [1, True, [], []], [len(note), "telemetry has no project or machine" in "".join(note), values(page, "accepts"),
                                 values(page, "accept_rate")])
    else:
        c.eq(what + ": no accept-rate note without a project or machine filter", [], note)
    heat = {day: n for n, day in re.findall(r"^week: \d+; weekday \(0 = Sunday\): \d; requests: (\d+); day: ([0-9-]+)$",
                                          "\n".join(page.aria), re.M)}
    c.eq(what + ": 365-day heatmap (SVG labels)", e["heatmap"], heat)
    return page, dom


def check_common(tag, base, db, d):
    """Rest, weekly, wrapped and accept rate: the same views queried here (rest: at the
    same minute, re-read), and Python for the weeks and the streak."""
    page, _ = browse(base, "/-/dashboards/lumo?range=week")
    env = dict(os.environ, TZ=TZNAME)
    rest = json.loads(subprocess.run(["sqlite3", "-json", db, "SELECT level, hints FROM rest_status"], capture_output=True,
                                     text=True, env=env).stdout)[0]
    c.eq(tag + ": rest status (computed at view time)", [rest["level"], rest["hints"].replace(",", ", ")],
         [one(page, "rest_level"), one(page, "rest_hints")])
    today = datetime.datetime.now(TZ).date()
    monday = today - datetime.timedelta(days=today.weekday())
    filtered, _ = browse(base, "/-/dashboards/lumo?range=week&agent=claude&project=alpha")
    for f, pg in (({}, page), ({"agent": "claude", "project": "alpha"}, filtered)):
        for week, start in (("this", monday), ("last", monday - datetime.timedelta(days=7))):
            p = period("custom", start, start + datetime.timedelta(days=6))
            rs = [r for r in d["usage"] if p["t0"] <= r["t"] < p["t1"] and keep(r, f)]
            priced = [r["cost_usd"] for r in rs if r["cost_usd"] is not None]
            eq("%s: weekly %s ISO week (from %s) %s: sessions, requests, cost" % (tag, week, start, json.dumps(f)),
               [str(len({(r["agent"], r["session_id"]) for r in rs if r["session_id"]})), str(len(rs)),
                money(sum(priced)) + (" + unpriced" if len(priced) < len(rs) else "")],
               [one(pg, "week_sessions_" + week), one(pg, "week_requests_" + week), one(pg, "week_cost_" + week)])
    days = sorted({datetime.datetime.fromtimestamp(m * 60, TZ).date() for m in d["minutes"]})
    best = run = 0
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        best = max(best, run)
    c.eq(tag + ": wrapped longest streak (local days with activity)", str(best), one(page, "wrapped_streak"))
    acc = json.loads(subprocess.run(["sqlite3", "-json", db, "SELECT language, total(accepts) a, total(rejects) r FROM accept_rate"
                                     " WHERE day >= date('now', 'localtime', 'weekday 0', '-6 days') GROUP BY language"],
                                    capture_output=True, text=True, env=env).stdout or "[]")
    c.eq(tag + ": accept rate panel rows (accept_rate view, this week)", sorted(str(int(r["a"])) for r in acc),
         sorted(values(page, "accepts")))


def check_pages(tag, base, d, session, project, model, shot=None):
    page, dom = browse(base, "/-/dashboards/session" + qs(session_id=session), shot and shot("session"), height=2400)
    rs = [r for r in d["usage"] if r["session_id"] == session]
    priced = [r["cost_usd"] for r in rs if r["cost_usd"] is not None]
    shown = one(page, "session_cost") if len(priced) == len(rs) else None
    want = money(sum(priced)) if len(priced) == len(rs) else None
    # a sum on a half cent rounds either way with the order of the float additions (the
    # page sums the stored rollup): either rounding of that exact value is right
    x = sum(priced) * 100
    if want and shown != want and abs(x - int(x) - 0.5) < 1e-6 and shown in ("$%.2f" % (int(x) / 100), "$%.2f" % ((int(x) + 1) / 100)):
        print("%s: session cost %r on a half cent, page %s" % (tag, sum(priced), shown))
        want = shown
    c.eq(tag + ": session page requests and cost", [str(len(rs)), want], [one(page, "session_requests"), shown])
    bym = {}
    for r in rs:
        bym[r["model"]] = bym.get(r["model"], 0) + 1
    c.eq(tag + ": session page models", sorted(str(v) for v in bym.values()), sorted(values(page, "session_model_requests")))
    c.eq(tag + ": session page tool calls", sum(1 for t in d["tools"] if t["session_id"] == session),
         sum(int(v) for v in values(page, "session_tool_calls")))
    seq, shows = values(page, "seq"), values(page, "shows")
    con = sqlite3.connect(d["db"])
    n = con.execute("SELECT count(*) FROM session_messages WHERE session_id = ?", (session,)).fetchone()[0]
    c.eq(tag + ": session page lists every message in order, none empty", [[str(i) for i in range(1, n + 1)], n, 0],
         [seq, len(shows), sum(1 for s in shows if not s.strip())])
    c.eq(tag + ": session page links to its project and models", [True, True],
         ["/-/dashboards/project?project=" in dom, "/-/dashboards/model?model=" in dom])
    page, dom = browse(base, "/-/dashboards/project" + qs(project=project), shot and shot("project"))
    pr = [r for r in d["usage"] if r["project"] == project]
    c.eq(tag + ": project page: its days' requests and its sessions' requests",
         [len(pr), len(pr)],
         [sum(int(v) for v in values(page, "project_day_requests")), sum(int(v) for v in values(page, "project_session_requests"))])
    c.eq(tag + ": project page links to sessions and back to the dashboard", [True, True],
         ["/-/dashboards/session?session_id=" in dom, "/-/dashboards/lumo?range=custom" in dom])
    page, dom = browse(base, "/-/dashboards/model" + qs(model=model), shot and shot("model"))
    c.eq(tag + ": model page: its days' requests", sum(1 for r in d["usage"] if r["model"] == model),
         sum(int(v) for v in values(page, "model_day_requests")))
    c.eq(tag + ": model page links to its sessions and back to the dashboard", [True, True],
         ["/-/dashboards/session?session_id=" in dom, "/-/dashboards/lumo?range=custom" in dom])


def shot_name(tag):
    return lambda page: os.path.join(SHOTS, "datasette-%s.png" % page) if tag == "demo" else os.path.join(OUT, "%s-%s.png" % (tag, page))


for tag, db in (("demo", demo), ("generated", gen)):
    d = load(db)
    d["db"] = db
    server, base = serve(db)
    try:
        t0 = time.time()
        if tag == "demo":
            first = min(r["t"] for r in d["usage"]).astimezone(TZ).date()
            last = max(r["t"] for r in d["usage"]).astimezone(TZ).date()
            page, _ = check_main(tag, base, d, "custom", {}, first, last, shot=shot_name(tag)("dashboard"))
            check_main(tag, base, d, "custom", {"agent": "codex"}, last - datetime.timedelta(days=12), last)
            # the demo's telemetry has accept-rate figures in this range: under the project
            # filter (check_main) the panel must show the note instead of them
            c.eq(tag + ": the whole span without filters shows accept-rate figures", True, len(values(page, "accepts")) > 0)
            check_main(tag, base, d, "custom", {"project": "page_column"}, first, last)
            check_main(tag, base, d, "week", {})
            top = sqlite3.connect(db).execute("SELECT session_id, project FROM session_totals ORDER BY priced_cost_usd DESC LIMIT 1").fetchone()
            check_pages(tag, base, d, top[0], top[1], "claude-opus-4-1-20250805", shot=shot_name(tag))
            # nofs: file-reading tables and lumo_sync are not there; pricing works
            try:
                urllib.request.urlopen(base + "/lumo.json?sql=" + urllib.parse.quote("select count(*) from claude_usage"), timeout=10)
                nofs = "reachable"
            except urllib.error.HTTPError as e:
                nofs = "no such table: claude_usage" in e.read().decode()
            c.eq("nofs entry point: claude_usage is not reachable", True, nofs)
        else:
            page, dom = check_main(tag, base, d, "week", {}, shot=shot_name(tag)("dashboard"))
            c.eq(tag + ": 25 models: 19 named, then 'other' in the 20th colour", ["other", "#9e9e9e", 20],
                 [values(page, "model")[-1], re.findall(r'<span style="color:(#[0-9a-f]{6})">', dom)[-1], len(values(page, "model"))])
            c.eq(tag + ": the unpriced model (ranked last, so in 'other') makes other's cost say so", True,
                 values(page, "model_cost")[-1].endswith(" + unpriced"))
            check_main(tag, base, d, "today", {})
            check_main(tag, base, d, "month", {"agent": "claude"})
            today = datetime.datetime.now(TZ).date()
            page, _ = check_main(tag, base, d, "custom", {"project": "alpha", "machine": "box-2"}, today - datetime.timedelta(days=1), today)
            c.eq(tag + ": an unpriced model's own row says unpriced (never $0)", True,
                 any(m == "mystery-model" and cost == "unpriced" for m, cost in zip(values(page, "model"), values(page, "model_cost"))))
            today = datetime.datetime.now(TZ).date()
            check_main(tag, base, d, "custom", {"machine": "box-1"}, today - datetime.timedelta(days=20), today - datetime.timedelta(days=3))
            check_common(tag, base, db, d)
            page, dom = browse(base, "/-/dashboards/lumo?range=today")
            c.eq(tag + ": notifications panel shows the day's hook events, escaped", [True, True],
                 ["Claude needs your &lt;permission&gt;" in dom, ">Stop<" in dom])
            sess = max({r["session_id"] for r in d["usage"] if r["session_id"].startswith("g-claude")},
                       key=lambda s: sum(1 for r in d["usage"] if r["session_id"] == s))
            check_pages(tag, base, d, sess, "alpha", "gen-model-01", shot=shot_name(tag))
        print("%s: pages checked in %.0f s" % (tag, time.time() - t0))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
c.done()
