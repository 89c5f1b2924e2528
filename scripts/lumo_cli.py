"""lumo_cli: the lumo command (scripts/lumo is its launcher, so that this module's bytecode
is cached: compiling it costs more than a report). The command line over the lumo database. Thin: every number comes from the
views (SQL); this script picks the view, builds the WHERE clause and formats the rows.

  lumo daily|weekly|monthly [--since DAY] [--until DAY] [--breakdown] [--json|--csv] ...
  lumo session | blocks [--active] | today | watch [--interval N] | dashboard
  lumo report VIEW [--json|--csv|--table] ...     any view of the lumo database
  lumo sync [--claude DIR] [--codex DIR] [--gemini DIR] [--opencode DIR] [--otlp DIR]
  lumo views | doctor

`lumo COMMAND --help` describes every option with an example. The database is --db,
else $LUMO_DB, else ~/.lumo/lumo.db. The extension (needed by `sync` only: the reports
read the views with plain SQLite) is $LUMO_EXTENSION, else dist/lumo beside this
script's repository, else ../lib/lumo beside an installed `lumo` (make install).
Python 3 standard library only. Imports are lazy: a report costs one interpreter start.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))  # scripts/, or PREFIX/lib/lumo when installed
REPO = os.path.dirname(HERE)

VERBS = {
    "daily": "usage per local day (ccusage daily)",
    "weekly": "usage per local week (ccusage weekly)",
    "monthly": "usage per local month (ccusage monthly)",
    "session": "usage per agent session (ccusage session)",
    "blocks": "5-hour billing blocks (ccusage blocks)",
    "today": "today: cost, tokens, sessions, active time, rest level, models",
    "watch": "today, refreshed every N seconds, with a notice when the rest level changes",
    "dashboard": "totals, last 7 days, models, projects, rest, streaks, sessions, telemetry",
    "report": "any view of the lumo database, as a table, CSV or JSON",
    "sync": "import what is new from the agents' transcripts",
    "views": "list the views (and tables) `lumo report` can show",
    "doctor": "check the extension, the database, the agent homes, the time zone and Claude Code's cleanup",
    "statusline": "one line for Claude Code's statusLine: model, session, today, 5-hour block, rest level",
    "prices": "the database's own rates: list them, set one (USD per million tokens), load a LiteLLM map",
    "reprice": "price every stored request again at the prices in force (built-in table and your overrides)",
    "export": "the ledger tables as NDJSON or CSV files, only what is new since the last export (team reports);"
              " --format json: one JSON document of a period",
    "push": "the ledger tables into ClickHouse over HTTP, only what is new since the last push",
    "search": "full-text search of the stored messages and tool calls: session, time, role, snippet",
}
READ_VERBS = ("daily", "weekly", "monthly", "session", "blocks", "today", "watch", "dashboard", "report")
# --since/--until: the column of a view they compare with, as a local date. 'instant' columns
# hold UTC instants and are converted to the local date first.
TIME_COLUMN = {"daily": ("day", "day"), "weekly": ("week_start", "day"), "monthly": ("month", "month"),
               "usage_local": ("day", "day"), "buckets_local": ("day", "day"), "activity": ("day", "day"),
               "sessions": ("started_at", "instant"), "session_messages": ("timestamp", "instant"),
               "blocks": ("start_at", "instant"), "work_stretches": ("started_at", "instant"),
               "api_requests": ("timestamp", "instant"), "diagnostics": ("synced_at", "instant")}
EXAMPLES = {
    "daily": "lumo daily --since -7d --breakdown\n  lumo daily --since 20261101 --until 20261130 --project lumo --csv",
    "weekly": "lumo weekly --since 2026-10-01 --agent codex",
    "monthly": "lumo monthly --json --timezone Europe/Berlin",
    "session": "lumo session --since yesterday --order desc",
    "blocks": "lumo blocks --active\n  lumo blocks --since -3d --json\n  lumo blocks --active --token-limit max",
    "today": "lumo today --timezone Asia/Kathmandu",
    "watch": "lumo watch --interval 30",
    "dashboard": "lumo dashboard --timezone Europe/Berlin",
    "report": "lumo report daily --csv --since 2026-11-01 --project lumo\n  lumo report sessions --json --machine laptop\n"
              "  lumo report diagnostics --since today      # what the syncs of today skipped",
    "sync": "lumo sync                      # every agent home (variables or defaults)\n"
            "  lumo sync --claude ~/work/.claude --codex ~/.codex   # exactly these two",
    "views": "lumo views",
    "doctor": "lumo doctor",
    "statusline": "echo '{\"session_id\": \"...\", \"model\": {\"display_name\": \"Opus\"}}' | lumo statusline\n"
                  "  ~/.claude/settings.json: {\"statusLine\": {\"type\": \"command\", \"command\": \"lumo statusline\"}}",
    "prices": "lumo prices list\n  lumo prices set acme-coder-1 --input 2 --output 8 --cache-read 0.2\n"
              "  lumo prices set claude-sonnet-4-5 --input 2.7 --output 13.5 --from 2026-12-01T00:00:00Z\n"
              "  lumo prices set acme-coder-1 --remove\n  lumo prices load model_prices_and_context_window.json",
    "reprice": "lumo reprice",
    "export": "lumo export --format ndjson --out /srv/drop/$(hostname)\n"
              "  lumo export --format csv --tables usage --since -30d --project-map hash --out ~/lumo-export\n"
              "  lumo export --format json --since 2026-11-01 --until 2026-11-30 --out november.json",
    "push": "CLICKHOUSE_USER=lumo CLICKHOUSE_PASSWORD=... lumo push --clickhouse http://clickhouse:8123",
    "search": "lumo search 'rate limit'\n  lumo search '\"git push\" OR rebase' --since -30d --agent claude --json",
}


class Fail(Exception):
    """A user error: printed as `lumo: MESSAGE`, exit status `code`."""
    def __init__(self, msg, code=2):
        Exception.__init__(self, msg)
        self.code = code


def warn(msg):
    sys.stderr.write("lumo: warning: %s\n" % msg)


def closest(word, choices):
    import difflib
    m = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return "; did you mean %r?" % m[0] if m else ""


# ---------------------------------------------------------------- options

# Every option: (flags, dest, kind, metavar, help, verbs). kind: "flag" (no value), "value",
# "append" (repeatable), "float", "int", or a tuple of choices. verbs: the commands that take
# it ("*" every command; "top" also before the command). A table rather than argparse: the
# import and the parser cost 8 ms of a 30 ms report; the same table writes --help and the
# README's command reference (scripts/gendoc.py).
PERIODS = ("daily", "weekly", "monthly")
DATED = PERIODS + ("session", "blocks", "report")
TEAM = ("export", "push")
OPTIONS = [
    (("--db",), "db", "value", "PATH", "the lumo database (default $LUMO_DB, else ~/.lumo/lumo.db); e.g. --db ~/lumo.db",
     "top*"),
    (("-z", "--timezone"), "timezone", "value", "ZONE", "time zone of local days, a zone database name (default $TZ,"
     " else the system's); e.g. --timezone Europe/Berlin", "top*"),
    (("--no-sync",), "no_sync", "flag", None, "answer from the database as it is, without the incremental sync first",
     ("top",) + DATED + ("today", "watch", "dashboard", "doctor", "statusline", "search") + TEAM),
    (("-s", "--since"), "since", "value", "DAY", "first local day, inclusive: YYYYMMDD, YYYY-MM-DD, today, yesterday"
     " or -Nd (N days ago); e.g. --since -7d", DATED + TEAM + ("search",)),
    (("-u", "--until"), "until", "value", "DAY", "last local day, inclusive, same forms; e.g. --until yesterday",
     DATED + ("export", "search")),
    (("--agent",), "agent", "value", "NAME", "only this agent: claude, codex, gemini or opencode; e.g. --agent codex",
     PERIODS + ("session", "report", "today", "watch", "search")),
    (("-p", "--project"), "project", "value", "NAME", "only this project (as the project column shows it);"
     " e.g. --project lumo", PERIODS + ("session", "report")),
    (("--machine",), "machine", "value", "ID", "only this machine's rows (lumo_merge'd databases); e.g. --machine laptop",
     PERIODS + ("session", "report")),
    (("-j", "--json"), "json", "flag", None, "JSON output, e.g. --json | jq .",
     DATED + ("today", "dashboard", "prices", "reprice", "search")),
    (("--csv",), "csv", "flag", None, "CSV output with a header row, e.g. --csv > out.csv", DATED + ("search",)),
    (("--limit",), "limit", "int", "N", "at most N results, newest first (default 20); e.g. --limit 50", ("search",)),
    (("--table",), "table", "flag", None, "a table (the default)", ("report",)),
    (("-o", "--order"), "order", ("asc", "desc"), "{asc,desc}", "oldest first (asc, the default) or newest first"
     " (desc); e.g. --order desc", DATED),
    (("-b", "--breakdown"), "breakdown", "flag", None, "one row per agent and model under each period;"
     " e.g. daily --breakdown", PERIODS),
    (("-a", "--active"), "active", "flag", None, "only the block still open now, with its burn rate and projection",
     ("blocks",)),
    (("-t", "--token-limit"), "token_limit", "value", "N", "show each block's tokens as a share of N, and the active"
     " block's remaining and projected tokens against it (ok, warning above 80%, exceeds); max: the largest"
     " completed block of the period (ccusage's rule); e.g. --token-limit max", ("blocks",)),
    (("--cost-limit",), "cost_limit", "value", "USD", "the same against a cost in USD (priced cost); e.g."
     " --cost-limit 25", ("blocks",)),
    (("-n", "--interval"), "interval", "float", "SECONDS", "seconds between refreshes (default 60); e.g. --interval 30",
     ("watch",)),
    (("--count",), "count", "int", "N", "stop after N refreshes (default: until Ctrl-C); e.g. --count 1", ("watch",)),
] + [(("--" + agent,), agent, "append", "DIR", "sync %s from DIR instead of %s; naming any root syncs only the named"
      " agents; e.g. --%s %s" % (agent, var, agent, example), ("sync",))
     for agent, var, example in (("claude", "$CLAUDE_CONFIG_DIR", "~/.claude"), ("codex", "$CODEX_HOME", "~/.codex"),
                                 ("gemini", "$GEMINI_DATA_DIR or $GEMINI_CLI_HOME", "~/.gemini"),
                                 ("opencode", "$XDG_DATA_HOME/opencode", "~/.local/share/opencode"),
                                 ("otlp", "$LUMO_OTLP_DIR", "~/.lumo/otlp"))] + [
    (("--root",), "root", "append", "DIR", "same as --claude (kept for older scripts)", ("sync",)),
    (("-q", "--quiet"), "quiet", "flag", None, "no progress and no summary", ("sync",)),
    # export and push (scripts/lumo_export.py)
    (("--format",), "format", ("ndjson", "csv", "json"), "{ndjson,csv,json}", "file format: NDJSON (one JSON object a"
     " line) or CSV with a header, NULL as \\N; or json: one JSON document of the period (--since, --until: totals,"
     " usage, sessions, tools, files, git, prompts), not incremental; e.g. --format csv", ("export",)),
    (("--out",), "out", "value", "DIR", "the export's folder: DIR/TABLE/UTC-DAY/RUN.FORMAT; what DIR has is"
     " remembered in the database (--format json: the file to write, default standard output); e.g. --out"
     " /srv/drop/laptop", ("export",)),
    (("--tables",), "tables", "value", "LIST", "tables to send, comma-separated, of usage, messages, tool_uses,"
     " rate_limits (default usage,messages,tool_uses); e.g. --tables usage", TEAM),
    (("--with-paths",), "with_paths", "flag", None, "also send file paths and working directories (left out by"
     " default)", TEAM),
    (("--project-map",), "project_map", "value", "FILE", "project names as a JSON file maps them"
     " ({\"name\": \"shown as\"}), or 'hash' for a hash of each name; e.g. --project-map hash", TEAM),
    (("--full",), "full", "flag", None, "send every row again, not only what is new since the last run", TEAM),
    (("--clickhouse",), "clickhouse", "value", "URL", "ClickHouse's HTTP interface; user and password from"
     " $CLICKHOUSE_USER and $CLICKHOUSE_PASSWORD; e.g. --clickhouse http://clickhouse:8123", ("push",)),
    (("--database",), "database", "value", "NAME", "the ClickHouse database of views/clickhouse/ (default lumo);"
     " e.g. --database lumo", ("push",)),
    # statusline's own (lumo_statusline.py parses them, without this module's parser)
    (("--wait",), "wait", "float", "MS", "how long the line waits for its sync (default 10); the sync goes on in the"
     " background and the next line shows it; e.g. --wait 100", ("statusline",)),
    (("--timeout",), "timeout", "float", "MS", "answer within MS milliseconds of starting (default 500): past it, or"
     " when the database cannot be read, the last line printed, marked (cached); e.g. --timeout 200", ("statusline",)),
] + [  # prices set's rates (lumo_prices.py)
    (("--" + r.replace("_", "-"),), r, "float", "USD", "%s, USD per million tokens; e.g. --%s %s"
     % (what, r.replace("_", "-"), eg), ("prices",))
    for r, what, eg in (("input", "uncached input rate", "3"), ("output", "output rate (reasoning included)", "15"),
                        ("cache_read", "cache-read rate (default: the built-in table's for the model, else unpriced)",
                         "0.3"),
                        ("cache_write_5m", "5-minute cache-write rate (same default)", "3.75"),
                        ("cache_write_1h", "1-hour cache-write rate (same default)", "6"))] + [
    (("--from",), "valid_from", "value", "TIME", "prices set: first instant (UTC, ISO-8601) the rate is in force"
     " (default: since ever); e.g. --from 2026-12-01T00:00:00Z", ("prices",)),
    (("--to",), "valid_to", "value", "TIME", "prices set: instant it stops being in force, exclusive (default: still in"
     " force); e.g. --to 2027-01-01T00:00:00Z", ("prices",)),
    (("--remove",), "remove", "flag", None, "prices set: remove the model's override (with --from/--to: that range's)",
     ("prices",)),
]
POSITIONAL = {"report": ("view", "VIEW", "a view of the lumo database (`lumo views` lists them), or diagnostics"
                                         " (what lumo_sync skipped); e.g. daily"),
              "search": ("query", "QUERY", "words to find (all of them, each taken literally), or an FTS5 expression"
                         " with \"phrases\", OR, NOT, prefix*; e.g. 'rate limit'"),
              "prices": ("action", "ACTION [MODEL|FILE]", "list, set MODEL or load FILE (a LiteLLM price map);"
                         " e.g. set acme-coder-1")}
MORE_POSITIONAL = ("prices",)  # commands whose action takes one more word (prices set MODEL)


class Args:
    """Parsed options: an attribute only for what was given (opt() supplies defaults)."""
    def __init__(self):
        self.cmd = None


def takes(verb, verbs):
    if verbs == "top*":
        return True
    return verb in verbs if verb else "top" in verbs


def options_of(verb):
    return [o for o in OPTIONS if takes(verb, o[5])]


def help_text(verb=None):
    """--help of a command (or of lumo itself): usage, what it does, every option, an example."""
    import textwrap
    cols = min(width(), 100)
    out = []
    if verb:
        pos = POSITIONAL.get(verb)
        out += ["usage: lumo %s [options]%s" % (verb, " " + pos[1] if pos else ""), "", "lumo %s: %s" % (verb, VERBS[verb])]
    else:
        out += ["usage: lumo [--db PATH] [-z ZONE] [--no-sync] COMMAND [options]", "",
                "lumo: what AI coding agents cost you, from their transcripts, as SQL views.", "", "commands:"]
        out += ["  %-12s%s" % (v, what) for v, what in VERBS.items()]
    rows = [("-h, --help", "show this help message and exit")]
    if verb and POSITIONAL.get(verb):
        rows.append((POSITIONAL[verb][0], POSITIONAL[verb][2]))
    for flags, dest, kind, metavar, what, verbs in options_of(verb):
        rows.append((", ".join(f + (" " + metavar if metavar else "") for f in flags), what))
    out += ["", "options:"]
    for sig, what in rows:
        lines = textwrap.wrap(what, max(30, cols - 24))
        if len(sig) <= 20:
            out.append("  %-22s%s" % (sig, lines[0]))
        else:
            out += ["  " + sig, " " * 24 + lines[0]]
        out += [" " * 24 + x for x in lines[1:]]
    if verb:
        out += ["", "example:", "  " + EXAMPLES[verb]]
    else:
        out += ["", "examples:", "  lumo daily --since -7d", "  lumo today", "  lumo --db ~/lumo.db report daily --json", "",
                "`lumo COMMAND --help` describes each command's options. Reports sync first (--no-sync to skip)."]
    return "\n".join(out) + "\n"


def parse(argv):
    """argv -> Args. Options before the command are lumo's own (--db, --timezone, --no-sync);
    after it, the command's. A value is the next word whatever it looks like (--since -7d)."""
    args = Args()
    verb, positional, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a in ("-h", "--help"):
            sys.stdout.write(help_text(verb))
            raise SystemExit(0)
        if not a.startswith("-") or a == "-":
            if verb is None:
                if a not in VERBS:
                    raise Fail("unknown command %r%s (commands: %s)" % (a, closest(a, VERBS), ", ".join(VERBS)))
                verb = args.cmd = a
            else:
                positional.append(a)
            continue
        name, value = (a.split("=", 1) + [None])[:2] if a.startswith("--") else (a[:2], a[2:] or None)
        known = [o for o in options_of(verb) if name in o[0]]
        if not known:
            everyone = [f for o in options_of(verb) for f in o[0]]
            anywhere = [o for o in OPTIONS if name in o[0]]
            where = ""
            if anywhere and verb is None:
                where = " before a command (it is an option of %s: put it after the command)" % (
                    ", ".join(v for v in VERBS if v in anywhere[0][5]) or "every command")
            raise Fail("unrecognized arguments: %s%s%s" % (a, where, closest(name, everyone) if not where else ""))
        flags, dest, kind, metavar, what, _ = known[0]
        if kind == "flag":
            if value is not None:
                raise Fail("%s takes no value (%s)" % (name, a))
            setattr(args, dest, True)
            continue
        if value is None:
            # the next word, even -7d; but not another of lumo's options (--since --json)
            if i >= len(argv) or argv[i].split("=", 1)[0] in {f for o in OPTIONS for f in o[0] if f.startswith("--")}:
                raise Fail("%s needs a value: %s" % (name, what))
            value = argv[i]
            i += 1
        if kind == "append":
            setattr(args, dest, getattr(args, dest, []) + [value])
        elif kind in ("float", "int"):
            try:
                setattr(args, dest, float(value) if kind == "float" else int(value))
            except ValueError:
                raise Fail("%s %s: not %s" % (name, value, "a number" if kind == "float" else "a whole number"))
        elif isinstance(kind, tuple) and value not in kind:
            raise Fail("%s %s: choose %s" % (name, value, " or ".join(kind)))
        else:
            setattr(args, dest, value)
    if verb is None:
        sys.stdout.write(help_text())
        raise Fail("no command given", 2)
    pos = POSITIONAL.get(verb)
    if pos and not positional:
        raise Fail("%s: which %s? (%s)" % (verb, pos[0], pos[2]))
    extra = positional[1:] if pos else positional
    if verb in MORE_POSITIONAL:
        args.more, extra = extra, []
    if extra:
        raise Fail("unrecognized arguments: %s" % " ".join(extra))
    if pos:
        setattr(args, pos[0], positional[0])
    return args


def opt(args, name, default=None):
    return getattr(args, name, default)


# ---------------------------------------------------------------- time zone and dates

def zone_file(name):
    tzdir = os.environ.get("TZDIR") or "/usr/share/zoneinfo"
    if name.startswith("/") or ".." in name.split("/"):
        return name if name.startswith("/") and os.path.isfile(name) else None
    path = os.path.join(tzdir, name)
    return path if os.path.isfile(path) else None


def check_zone(name, source):
    n = name[1:] if name.startswith(":") else name
    if n and zone_file(n):
        return
    import re
    # a POSIX TZ rule (EST5EDT, <+0545>-5:45): the C library reads it without the database
    if re.match(r"^([A-Za-z]{3,}|<[+-]?[A-Za-z0-9]+>)[+-]?\d", n):
        return
    names = []
    try:
        import zoneinfo
        names = zoneinfo.available_timezones()
    except Exception:
        pass
    raise Fail("unknown time zone %r (from %s; not in the zone database)%s" % (name, source, closest(n, names)))


def setup_zone(args):
    tz = opt(args, "timezone")
    if tz is not None:
        check_zone(tz, "--timezone")
        os.environ["TZ"] = tz
    elif os.environ.get("TZ"):
        check_zone(os.environ["TZ"], "$TZ")
    import time
    time.tzset()


def today():
    import time
    t = time.localtime()
    return "%04d-%02d-%02d" % (t.tm_year, t.tm_mon, t.tm_mday)


def parse_day(text, name):
    import datetime
    import re
    t = text.strip().lower()
    base = datetime.date(*map(int, today().split("-")))
    if t == "today":
        return base.isoformat()
    if t == "yesterday":
        return (base - datetime.timedelta(days=1)).isoformat()
    m = re.match(r"^-(\d{1,5})d$", t)
    if m:
        return (base - datetime.timedelta(days=int(m.group(1)))).isoformat()
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})$", t)
    if m and (len(t) == 8 or t[4] == t[7] == "-"):
        try:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError as e:
            raise Fail("%s %s: %s" % (name, text, e))
    raise Fail("%s %s: not a date; use YYYYMMDD, YYYY-MM-DD, today, yesterday or -Nd (e.g. -7d)" % (name, text))


def date_range(args):
    since = opt(args, "since")
    until = opt(args, "until")
    since = parse_day(since, "--since") if since else None
    until = parse_day(until, "--until") if until else None
    if since and until and since > until:
        raise Fail("--since %s is after --until %s" % (since, until))
    return since, until


def period_text(since, until):
    if since and until:
        return since if since == until else "%s to %s" % (since, until)
    if since:
        return "since %s" % since
    if until:
        return "until %s" % until
    return "all time"


def zone_name():
    tz = os.environ.get("TZ", "")
    if tz:
        return tz.lstrip(":")
    try:
        return os.path.relpath(os.path.realpath("/etc/localtime"), "/usr/share/zoneinfo")
    except OSError:
        return "local time"


# ---------------------------------------------------------------- the database

def db_path(args):
    if opt(args, "db"):
        return os.path.expanduser(args.db), "--db"
    if os.environ.get("LUMO_DB"):
        return os.path.expanduser(os.environ["LUMO_DB"]), "$LUMO_DB"
    return os.path.expanduser("~/.lumo/lumo.db"), "default"


def uri(path):
    p = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return "file:" + p


# How long a reader waits for a writer that holds the database (a sync commits a batch;
# another program may hold it longer). A WAL reader waits only for an exclusive lock (a
# writer in exclusive locking mode, a rollback-journal database's commit, recovery). Set
# explicitly (Python's default is 5 s, the sqlite3 shell's none); past it the database
# is said to be locked.
BUSY_TIMEOUT_S = 10.0
SYNC_BUSY_TIMEOUT_S = 30.0  # a sync waits longer (lumo_sync raises its connection's to 30 s anyway)


def locked(path, e):
    """The error of a database another process holds past BUSY_TIMEOUT_S."""
    return Fail("%s is locked by another process (%s; waited %g s): a sync or another writer holds it, try again"
                % (path, e, BUSY_TIMEOUT_S), 1)


def is_locked(e):
    return "locked" in str(e) or "busy" in str(e)


def open_ro(args):
    """The lumo database, read-only: a missing file is an error, never created."""
    import sqlite3
    path, src = db_path(args)
    if not os.path.isfile(path):
        raise Fail("no lumo database at %s (%s); `lumo sync` creates it" % (path, src if src != "default" else "the default"))
    try:
        con = sqlite3.connect(uri(path) + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        con.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as e:
        if is_locked(e):  # not a reason to read the file as immutable: that skips the WAL's commits
            raise locked(path, e)
        try:  # a read-only file in WAL mode without its -shm: read it as immutable
            con = sqlite3.connect(uri(path) + "?mode=ro&immutable=1", uri=True)
            con.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.Error as e:
            raise Fail("cannot read %s: %s" % (path, e), 1)
    if not con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'usage_buckets'").fetchone():
        raise Fail("%s is not a lumo database (no lumo tables); `lumo sync --db %s` makes one" % (path, path))
    return con


def query(con, sql, params=()):
    """(column names, rows as tuples)."""
    import sqlite3
    try:
        cur = con.execute(sql, params)
        return [d[0] for d in cur.description], cur.fetchall()
    except sqlite3.Error as e:
        if is_locked(e):
            raise locked(con.execute("PRAGMA database_list").fetchone()[2], e)
        raise Fail("SQL error: %s\n  in: %s" % (e, sql), 1)


def view_names(con):
    return [r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name")]


def extension():
    """$LUMO_EXTENSION, else dist/lumo of this repository, else PREFIX/lib/lumo.so (make install)."""
    if os.environ.get("LUMO_EXTENSION"):
        return os.environ["LUMO_EXTENSION"]
    for p in (os.path.join(REPO, "dist", "lumo"), os.path.join(REPO, "lumo")):
        for suffix in (".so", ".dylib"):
            if os.path.isfile(p + suffix):
                return p + suffix
    return os.path.join(REPO, "dist", "lumo")


# ---------------------------------------------------------------- agent homes and sync

def _nonempty(path):
    try:
        with os.scandir(path) as it:
            return any(True for _ in it)
    except OSError:
        return False


def has_transcripts(agent, root):
    if agent == "claude":
        return _nonempty(os.path.join(root, "projects"))
    if agent == "codex":
        return _nonempty(os.path.join(root, "sessions")) or _nonempty(os.path.join(root, "archived_sessions"))
    if agent == "gemini":
        return _nonempty(os.path.join(root, "tmp"))
    if agent == "opencode":
        return _nonempty(os.path.join(root, "storage")) or any(
            n.startswith("opencode") and n.endswith(".db") for n in (os.listdir(root) if os.path.isdir(root) else ()))
    return os.path.isfile(root) or _nonempty(root)  # otlp: a dump file or a directory of them


WHAT = {"claude": "projects/", "codex": "sessions/ or archived_sessions/", "gemini": "tmp/",
        "opencode": "storage/ or opencode.db", "otlp": "OTLP dump files"}
AGENT_ORDER = ("claude", "gemini", "codex", "opencode", "otlp")  # lumo_sync's argument order


def agent_homes(explicit=None):
    """{agent: (roots, source, is_set)}: the roots lumo_sync gets for each agent and where
    they came from (an option, a variable, or the default). is_set: the user named them."""
    e = os.environ.get
    homes = {}
    if explicit:
        for agent in AGENT_ORDER:
            if explicit.get(agent):
                homes[agent] = ([os.path.expanduser(d) for d in explicit[agent]], "--" + agent, True)
        return homes
    if e("CLAUDE_CONFIG_DIR"):
        homes["claude"] = ([os.path.expanduser(p) for p in e("CLAUDE_CONFIG_DIR").split(",") if p], "$CLAUDE_CONFIG_DIR", True)
    else:
        homes["claude"] = ([os.path.expanduser("~/.config/claude"), os.path.expanduser("~/.claude")], "default", False)
    if e("GEMINI_DATA_DIR"):
        # ccusage's variable names gemini's tmp/ directory; lumo_sync takes the directory above it
        homes["gemini"] = ([os.path.dirname(os.path.abspath(os.path.expanduser(p)).rstrip("/"))
                            for p in e("GEMINI_DATA_DIR").split(",") if p], "$GEMINI_DATA_DIR", True)
        for p in e("GEMINI_DATA_DIR").split(","):
            if p and os.path.basename(os.path.abspath(os.path.expanduser(p))) != "tmp":
                warn("GEMINI_DATA_DIR=%s: lumo reads Gemini chats from a directory named tmp/ (the one"
                     " Gemini CLI writes); this one is called %r" % (p, os.path.basename(os.path.abspath(p))))
    elif e("GEMINI_CLI_HOME"):
        homes["gemini"] = ([os.path.join(os.path.expanduser(p), ".gemini") for p in e("GEMINI_CLI_HOME").split(",") if p],
                           "$GEMINI_CLI_HOME", True)
    else:
        homes["gemini"] = ([os.path.expanduser("~/.gemini")], "default", False)
    if e("CODEX_HOME"):
        homes["codex"] = ([os.path.expanduser(p) for p in e("CODEX_HOME").split(",") if p], "$CODEX_HOME", True)
    else:
        homes["codex"] = ([os.path.expanduser("~/.codex")], "default", False)
    if e("XDG_DATA_HOME"):
        homes["opencode"] = ([os.path.join(os.path.expanduser(e("XDG_DATA_HOME")), "opencode")], "$XDG_DATA_HOME", False)
    else:
        homes["opencode"] = ([os.path.expanduser("~/.local/share/opencode")], "default", False)
    if e("LUMO_OTLP_DIR"):
        homes["otlp"] = ([os.path.expanduser(p) for p in e("LUMO_OTLP_DIR").split(",") if p], "$LUMO_OTLP_DIR", True)
    else:
        homes["otlp"] = ([os.path.expanduser("~/.lumo/otlp")], "default", False)
    return homes


def check_homes(homes):
    """(lumo_sync's five arguments, problems): a root the user named that does not exist or
    holds no transcripts is a problem naming the path and where it came from."""
    roots, problems = {}, []
    for agent, (paths, source, is_set) in homes.items():
        good = []
        for p in paths:
            if agent == "otlp" and any(c in p for c in "*?["):
                good.append(p)
            elif not os.path.exists(p):
                if is_set:
                    problems.append("%s %s: no such directory (from %s)" % (agent, p, source))
            elif not has_transcripts(agent, p):
                if is_set:
                    problems.append("%s %s: no transcripts there (no %s; from %s)" % (agent, p, WHAT[agent], source))
            else:
                good.append(os.path.abspath(p))
        roots[agent] = ",".join(good)
    return [roots.get(a, "") for a in AGENT_ORDER], problems


def run_sync(args, explicit=None, quiet=True):
    """Incremental sync into the database. Returns the summary (a JSON text) or None when
    the database cannot be written."""
    path, src = db_path(args)
    if os.path.exists(path) and not os.access(path, os.W_OK):
        if explicit is not None:
            raise Fail("%s is read-only: cannot sync into it" % path, 1)
        warn("%s is read-only: showing it without syncing (--no-sync skips the sync)" % path)
        return None
    sync_args, problems = check_homes(agent_homes(explicit))
    if explicit:
        if problems:
            raise Fail("nothing synced:\n  " + "\n  ".join(problems))
    else:
        for p in problems:
            warn(p)
    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        os.makedirs(d, exist_ok=True)
    ext = extension()
    env_progress = os.environ.get("LUMO_PROGRESS")
    if not quiet:
        os.environ["LUMO_PROGRESS"] = "1"  # the extension reports files, MB, rows and rate on stderr
    try:
        import sqlite3
        if hasattr(sqlite3.Connection, "enable_load_extension"):
            con = sqlite3.connect(path, timeout=SYNC_BUSY_TIMEOUT_S)
            try:
                con.enable_load_extension(True)
                con.load_extension(ext)
                summary = con.execute("SELECT lumo_sync(?, ?, ?, ?, ?)", sync_args).fetchone()[0]
                skipped = con.execute(SKIPPED_SQL).fetchone()[0]
            except sqlite3.Error as e:
                if is_locked(e):
                    if explicit is None:  # a report's sync: the report, from the database as it is
                        warn("%s is locked by another process (%s; waited %g s): showing it without syncing"
                             % (path, e, SYNC_BUSY_TIMEOUT_S))
                        return None
                    raise Fail("sync into %s failed: it is locked by another process (%s; waited %g s): a sync or"
                               " another writer holds it, try again" % (path, e, SYNC_BUSY_TIMEOUT_S), 1)
                raise Fail("sync into %s failed: %s (extension %s)" % (path, e, ext), 1)
            finally:
                con.close()
        else:  # this python's sqlite3 cannot load extensions: the sqlite3 shell does it
            import subprocess
            sql = "SELECT lumo_sync(%s); %s" % (", ".join("'" + a.replace("'", "''") + "'" for a in sync_args),
                                                SKIPPED_SQL)
            try:
                r = subprocess.run(["sqlite3", "-bail", "-cmd", ".timeout %d" % (SYNC_BUSY_TIMEOUT_S * 1000),
                                    "-cmd", ".load " + ext, path, sql],
                                   capture_output=True, text=True)
            except OSError as e:
                raise Fail("this python cannot load SQLite extensions and the sqlite3 shell is missing (%s);"
                           " run lumo with /usr/bin/python3" % e, 1)
            if r.returncode:
                raise Fail("sync into %s failed: %s" % (path, r.stderr.strip()), 1)
            sys.stderr.write(r.stderr)
            summary, skipped = (r.stdout.strip().split("\n") + ["{}"])[:2]
    finally:
        if env_progress is None:
            os.environ.pop("LUMO_PROGRESS", None)
        else:
            os.environ["LUMO_PROGRESS"] = env_progress
    return summary, problems, skipped


# What this sync skipped or flagged, from the connection that ran it (lumo_diagnostics
# holds exactly this sync's; the diagnostics table also keeps older syncs' rows of files
# not read again): {"kinds": {kind: count}, "files": n}. A 'dropped' row counts the
# diagnostics past the ones kept, in its detail ("N more ...").
SKIPPED_SQL = ("SELECT json_object('kinds', (SELECT json_group_object(kind, n) FROM"
               " (SELECT kind, sum(CASE WHEN kind = 'dropped' THEN CAST(detail AS INTEGER) ELSE 1 END) AS n"
               "  FROM lumo_diagnostics WHERE source = 'lumo_sync' GROUP BY kind ORDER BY n DESC, kind)),"
               " 'files', (SELECT count(DISTINCT file) FROM lumo_diagnostics WHERE source = 'lumo_sync'"
               " AND kind <> 'dropped'), 'stored', (SELECT count(*) FROM diagnostics))")


def skipped_line(skipped):
    """sync's one line about what it skipped: the count of each kind and where to see them."""
    import json
    d = json.loads(skipped or "{}")
    kinds, stored = d.get("kinds") or {}, d.get("stored") or 0
    if not kinds:
        return "lumo: nothing skipped" + (
            "; %s diagnostic%s kept from earlier syncs (files not read again): `lumo report diagnostics` lists them"
            % (num(stored), "" if stored == 1 else "s") if stored else "")
    total, files = sum(kinds.values()), d.get("files") or 0
    return ("lumo: %s line%s or entr%s skipped or flagged this sync (%s; in %s %s): `lumo report diagnostics` lists"
            " them with file, line and why" % (num(total), "" if total == 1 else "s", "y" if total == 1 else "ies",
                                               ", ".join("%s %s" % (num(n), k) for k, n in kinds.items()),
                                               num(files), "file" if files == 1 else "files"))


def fresh(args):
    """Reports sync incrementally first (--no-sync skips it), then read the database read-only."""
    if not opt(args, "no_sync"):
        path, src = db_path(args)
        if os.path.isfile(path) or src == "default":
            run_sync(args)
    return open_ro(args)


# ---------------------------------------------------------------- formatting

def num(v):
    return "" if v is None else format(int(round(v)), ",")


def short(n):
    n = float(n or 0)
    for unit, div in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= div:
            return "%.1f%s" % (n / div, unit)
    return "%d" % n


def usd(v):
    return "$" + format(v, ",.2f")


def money(cost, priced=None, unpriced_tokens=0):
    """A cost that is never $0.00 by accident: unpriced tokens are named, NULL is 'unpriced'."""
    if unpriced_tokens:
        return "%s + unpriced (%s tokens)" % (usd(priced or 0), short(unpriced_tokens))
    if cost is None:
        return usd(priced) + " + unpriced" if priced else "unpriced"
    return usd(cost)


def duration(seconds):
    s = int(seconds or 0)
    return "%dh %02dm" % (s // 3600, s % 3600 // 60) if s >= 3600 else "%dm" % (s // 60)


def width():
    """$COLUMNS, else the terminal's width, else 80 (shutil.get_terminal_size's rule, without
    importing shutil on every report)."""
    try:
        cols = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        cols = 0
    if cols <= 0:
        try:
            cols = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            cols = 0
    return max(40, cols or 80)


def table(headers, rows, right=(), total=None, drop=()):
    """An ASCII table that fits the terminal (80 columns when not one: a pipe, cron's mail):
    while it is too wide, the columns of `drop` are left out, in that order."""
    cols = list(range(len(headers)))
    allrows = rows + ([total] if total else [])
    w = {i: max([len(headers[i])] + [len(r[i]) for r in allrows]) for i in cols}
    limit = width()
    drop = list(drop)
    while sum(w[i] + 3 for i in cols) + 1 > limit and drop:
        cols.remove(drop.pop(0))
    if sum(w[i] + 3 for i in cols) + 1 > limit:  # still too wide: the compact form of costs
        import re

        def compact(r):
            return [re.sub(r" \+ unpriced \((\S+) tokens\)", r" +\1 unpr.", x) for x in r]
        headers, rows, total = headers, [compact(r) for r in rows], total and compact(total)
        allrows = rows + ([total] if total else [])
        w = {i: max([len(headers[i])] + [len(r[i]) for r in allrows]) for i in cols}
    line = "+" + "+".join("-" * (w[i] + 2) for i in cols) + "+"

    def fmt(r):
        return "| " + " | ".join((r[i].rjust(w[i]) if i in right else r[i].ljust(w[i])) for i in cols) + " |"
    out = [line, fmt(headers), line] + [fmt(r) for r in rows]
    if total:
        out += [line, fmt(total)]
    out.append(line)
    sys.stdout.write("\n".join(out) + "\n")


def emit_json(obj):
    import json
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def emit_csv(headers, rows):
    import csv
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)


def round6(v):
    return round(v, 6) if isinstance(v, float) else v


def emit_rows(con, args, headers, rows):
    """--json or --csv output of rows (costs rounded to 6 decimals); True when done."""
    if not rows and (opt(args, "json") or opt(args, "csv")):
        explain_empty(con, args)
    if opt(args, "json"):
        emit_json(records(headers, rows))
    elif opt(args, "csv"):
        emit_csv(headers, [[round6(v) for v in r] for r in rows])
    else:
        return False
    return True


def records(headers, rows):
    return [{h: round6(v) for h, v in zip(headers, r)} for r in rows]


def label(title, agents, since, until):
    who = ", ".join(agents) if agents else "all agents"
    return "%s: %s; %s (%s)" % (title, who, period_text(since, until), zone_name())


def filters(args, cols, since, until, day_expr):
    where, params = [], []
    if since:
        where.append("%s >= ?" % day_expr)
        params.append(since)
    if until:
        where.append("%s <= ?" % day_expr)
        params.append(until)
    for name in ("agent", "project", "machine"):
        v = opt(args, name)
        if v is not None:
            if name not in cols:
                raise Fail("--%s: this report has no %s column" % (name, name))
            where.append("%s = ?" % name)
            params.append(v)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def explain_empty(con, args):
    """When a filter matches nothing at all, say which values exist."""
    for name, sql in (("project", "SELECT DISTINCT project FROM session_totals WHERE project IS NOT NULL"),
                      ("agent", "SELECT DISTINCT agent FROM usage_buckets"),
                      ("machine", "SELECT DISTINCT machine FROM usage_buckets")):
        v = opt(args, name)
        if v is None:
            continue
        try:
            known = [r[0] for r in con.execute(sql)]
        except Exception:
            continue
        if v not in known:
            sys.stderr.write("lumo: no %s named %r in the database%s\n" % (name, v, closest(v, known)))


# ---------------------------------------------------------------- period reports

PERIOD = {"daily": ("day", "Daily usage"), "weekly": ("week_start", "Weekly usage"), "monthly": ("month", "Monthly usage")}
SUMS = ("sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
        " sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_5m_tokens) AS cache_write_5m_tokens,"
        " sum(cache_write_1h_tokens) AS cache_write_1h_tokens, sum(total_tokens) AS total_tokens,"
        # the daily view's rule: NULL when any request of the row is unpriced
        " CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,"
        " sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens")


def period_sql(period, group, where, order, agents=False):
    """daily/weekly/monthly's columns from buckets_local (the view they are built on), so that
    --project and --machine work on every period report. agents: a last column listing the
    row's agents."""
    cols = ", ".join([period] + group)
    return ("SELECT %s, %s%s FROM buckets_local%s GROUP BY %s ORDER BY %s %s%s"
            % (cols, SUMS, ", group_concat(DISTINCT agent) AS agents" if agents else "", where, cols, period, order,
               "".join(", %s" % g for g in group)))


def cmd_period(args):
    con = fresh(args)
    since, until = date_range(args)
    period, title = PERIOD[args.cmd]
    order = "DESC" if opt(args, "order") == "desc" else "ASC"
    where, params = filters(args, ("agent", "project", "machine"), since, until, "day")
    breakdown = opt(args, "breakdown")
    group = ["agent", "model"] if breakdown else []
    machine = opt(args, "json") or opt(args, "csv")
    # a table's label names the agents: from the same pass over buckets_local (a second
    # query would convert every bucket to local time again)
    headers, rows = query(con, period_sql(period, group, where, order, agents=not machine), params)
    if emit_rows(con, args, headers, rows):
        return 0
    agents = sorted({a for r in rows for a in (r[-1] or "").split(",") if a})
    headers, rows = headers[:-1], [r[:-1] for r in rows]
    print(label(title, agents, since, until))
    if not rows:
        explain_empty(con, args)
        print("no data in this period")
        return 0
    H = [period if period != "week_start" else "week", "requests", "input", "output", "cache read", "cache write",
         "total tokens", "cost"]
    ix = {h: i for i, h in enumerate(headers)}
    out = []
    if breakdown:
        # one line per period with its totals, then one per agent/model
        per = {}
        for r in rows:
            per.setdefault(r[0], []).append(r)
        for p, rs in per.items():
            out.append(period_line(p, [sum(r[ix[c]] or 0 for r in rs) for c in headers[len(group) + 1:]], headers[len(group) + 1:],
                                   cost_none=any(r[ix["cost_usd"]] is None for r in rs)))
            for r in rs:
                out.append(period_line("  %s/%s" % (r[1], r[2] or "(no model)"), r[3:], headers[3:]))
    else:
        out = [period_line(r[0], r[1:], headers[1:]) for r in rows]
    tot = [sum(r[ix[c]] or 0 for r in rows) for c in headers[len(group) + 1:]]
    total = period_line("Total", tot, headers[len(group) + 1:], cost_none=any(r[ix["cost_usd"]] is None for r in rows))
    # left out first when narrow: cache write, cache read, input, requests, output
    table(H, out, right=range(1, 8), total=total, drop=[5, 4, 2, 1, 3])
    return 0


def period_line(first, vals, names, cost_none=False):
    v = dict(zip(names, vals))
    cost = None if cost_none else v["cost_usd"]
    return [first, num(v["requests"]), num(v["input_tokens"]), num(v["output_tokens"]), num(v["cache_read_tokens"]),
            num((v["cache_write_5m_tokens"] or 0) + (v["cache_write_1h_tokens"] or 0)), num(v["total_tokens"]),
            money(cost, v["priced_cost_usd"], v["unpriced_tokens"])]


# ---------------------------------------------------------------- sessions, blocks

def cmd_session(args):
    con = fresh(args)
    since, until = date_range(args)
    order = "DESC" if opt(args, "order") == "desc" else "ASC"
    where, params = filters(args, ("agent", "project", "machine"), since, until, "date(started_at, 'localtime')")
    headers, rows = query(con, "SELECT agent, session_id, project, machine, started_at, ended_at,"
                               " datetime(started_at, 'localtime') AS local_start, duration_seconds, requests,"
                               " total_tokens, cost_usd, models, priced_cost_usd, unpriced_tokens FROM sessions%s"
                               " ORDER BY started_at %s" % (where, order), params)
    if emit_rows(con, args, headers, rows):
        return 0
    print(label("Sessions", sorted({r[0] for r in rows}), since, until))
    if not rows:
        explain_empty(con, args)
        print("no data in this period")
        return 0
    out = [[r[0], (r[1] or "")[:8], (r[2] or "")[:24], (r[6] or "")[:16], duration(r[7]), num(r[8]), num(r[9]),
            money(r[10], r[12], r[13])] for r in rows]
    unknown = sum(1 for r in rows if r[10] is None)
    # the priced part of every session, unpriced ones included (the dashboard's total)
    priced, unpriced = sum(r[12] or 0 for r in rows), sum(r[13] or 0 for r in rows)
    total = ["Total", "", "%d sessions" % len(rows), "", "", num(sum(r[8] or 0 for r in rows)),
             num(sum(r[9] or 0 for r in rows)), money(None if unpriced else priced, priced, unpriced)]
    table(["agent", "session", "project", "started", "length", "requests", "tokens", "cost"], out,
          right=(4, 5, 6, 7), total=total, drop=[4, 5, 2, 3])
    if unknown:
        print("unpriced: %d session(s) have requests without a price; their cost is not known"
              " (lumo prices set MODEL prices a model)" % unknown)
    return 0


def block_limits(con, args, where, params):
    """(token limit, cost limit) of --token-limit/--cost-limit, None when not given; max:
    the largest completed block (not a gap, not active) of the period shown, as ccusage."""
    import lumo_limits
    out = []
    for name, dest, column, whole in (("--token-limit", "token_limit", "total_tokens", True),
                                      ("--cost-limit", "cost_limit", "priced_cost_usd", False)):
        text = opt(args, dest)
        if text is None:
            out.append(None)
            continue
        try:
            v = lumo_limits.parse_limit(text, name, whole)
        except ValueError as e:
            raise Fail(str(e))
        if v == "max":
            past = (where + " AND" if where else " WHERE") + " is_gap = 0 AND is_active = 0"
            v = con.execute("SELECT max(%s) FROM blocks%s" % (column, past), params).fetchone()[0]
            if not v:
                warn("%s max: no completed block in this period to take the largest from; no limit shown" % name)
                v = None
            elif not (opt(args, "json") or opt(args, "csv")):
                print("%s max: the largest completed block of the period, %s" % (
                    name, num(v) + " tokens" if whole else usd(v)))
        out.append(v)
    return out


def cmd_blocks(args):
    import lumo_limits
    con = fresh(args)
    since, until = date_range(args)
    order = "DESC" if opt(args, "order") == "desc" else "ASC"
    where, params = filters(args, (), since, until, "date(start_at, 'localtime')")
    token_limit, cost_limit = block_limits(con, args, where, params)
    where = (where + " AND" if where else " WHERE") + " is_gap = 0" + (" AND is_active = 1" if opt(args, "active") else "")
    headers, rows = query(con, "SELECT block_id, start_at, end_at, actual_end_at, is_active, requests, total_tokens,"
                               " cost_usd, models, tokens_per_minute, cost_per_hour, projected_tokens, projected_cost_usd,"
                               " datetime(start_at, 'localtime') AS local_start, datetime(end_at, 'localtime') AS local_end,"
                               " priced_cost_usd, unpriced_tokens"
                               " FROM blocks%s ORDER BY start_at %s" % (where, order), params)
    ix = {h: i for i, h in enumerate(headers)}
    limits = [(k, lim, col, proj) for k, lim, col, proj in (("token", token_limit, "total_tokens", "projected_tokens"),
                                                             ("cost", cost_limit, "priced_cost_usd", "projected_cost_usd"))
              if lim is not None]
    if limits and (opt(args, "json") or opt(args, "csv")):
        # ccusage's tokenLimitStatus: every block's share of the limit; the active one's status
        extra = []
        for k, lim, col, proj in limits:
            extra += ["%s_limit" % k, "%s_limit_percent" % k, "%s_limit_status" % k]
        recs = []
        for r in rows:
            more = []
            for k, lim, col, proj in limits:
                st = lumo_limits.limit_status(r[ix[col]] or 0, r[ix[proj]], lim) if r[ix["is_active"]] else None
                more += [lim, round((r[ix[col]] or 0) / lim * 100, 6), st if opt(args, "json") else st and st["status"]]
            recs.append(tuple(r) + tuple(more))
        headers, rows = headers + extra, recs
    if emit_rows(con, args, headers, rows):
        return 0
    print(label("Active 5-hour block" if opt(args, "active") else "5-hour blocks", None, since, until))
    if not rows:
        print("no active block" if opt(args, "active") else "no data in this period")
    else:
        H = ["start", "end", "state", "requests", "tokens", "cost", "models"]
        out = [[r[13][:16], r[14][11:16], "active" if r[4] else "", num(r[5]), num(r[6]), money(r[7], r[15], r[16]),
                (r[8] or "")[:30]] for r in rows]
        unpriced = sum(r[16] or 0 for r in rows)
        total = ["Total", "", "", num(sum(r[5] or 0 for r in rows)), num(sum(r[6] or 0 for r in rows)),
                 money(None if unpriced else sum(r[7] or 0 for r in rows), sum(r[15] or 0 for r in rows), unpriced), ""]
        right, drop = [3, 4, 5], [6, 1, 3]
        # a share column after the tokens (and after the cost) per limit, as ccusage's %
        for k, lim, col, proj in reversed(limits):
            at = H.index("tokens" if k == "token" else "cost") + 1
            H.insert(at, "% of " + (num(lim) if k == "token" else usd(lim)))
            for o, r in zip(out, rows):
                o.insert(at, "%.1f%%" % ((r[ix[col]] or 0) / lim * 100))
            total.insert(at, "")
            right = [i + (i >= at) for i in right] + [at]
            drop = [i + (i >= at) for i in drop]
        table(H, out, right=right, total=total, drop=drop)
        for r in rows:
            if r[4]:
                print("active block: %s tokens/min, %s; projected at %s: %s tokens, %s"
                      % (num(r[9]), "cost/hour unknown (unpriced requests)" if r[16] else usd(r[10] or 0) + "/hour",
                         r[14][11:16], num(r[11]), "cost unknown (unpriced)" if r[16] else usd(r[12] or 0)))
                for k, lim, col, proj in limits:
                    st = lumo_limits.limit_status(r[ix[col]] or 0, r[ix[proj]], lim)
                    fmt = num if k == "token" else usd
                    print("%s limit %s: used %s (%.1f%%), remaining %s (%.1f%%); %s"
                          % (k, fmt(lim), fmt(st["used"]), st["percent_used"], fmt(st["remaining"]),
                             st["remaining_percent"],
                             "projected %s (%.1f%%): %s" % (fmt(st["projected_usage"]), st["projected_percent"],
                                                            st["status"].upper())
                             if st["projected_usage"] is not None else
                             "no projection yet (one request so far): %s" % st["status"].upper()))
    # the latest plan-limit windows (Codex's), a line per limit; nothing when there are none
    for text in lumo_limits.window_lines(lumo_limits.windows(con)):
        print("plan limit %s" % text)
    return 0


# ---------------------------------------------------------------- today, watch

LEVELS = {"rested": "Rested", "heads_up": "Heads Up", "take_a_break": "Take a Break"}


def today_data(con, args):
    import lumo_limits
    day = today()
    where, params = filters(args, ("agent",), day, day, "day")
    h, rows = query(con, "SELECT agent, model, %s FROM buckets_local%s GROUP BY agent, model ORDER BY priced_cost_usd DESC"
                    % (SUMS, where), params)
    models = records(h, rows)
    tot = {k: sum(m[k] or 0 for m in models) for k in ("requests", "total_tokens", "priced_cost_usd", "unpriced_tokens")}
    h2, s = query(con, "SELECT count(DISTINCT agent || ':' || session_id) FROM usage_local%s" % where, params)
    _, a = query(con, "SELECT coalesce(sum(active_seconds), 0) FROM activity WHERE day = ?", (day,))
    _, rest = query(con, "SELECT level, continuous_minutes, minutes_to_next_level, minutes_since_activity FROM rest_status")
    rest = rest[0] if rest else (None, 0, None, None)
    return {"day": day, "timezone": zone_name(), "agents": opt(args, "agent") or "all",
            "cost_usd": None if tot["unpriced_tokens"] else round(tot["priced_cost_usd"], 6),
            "priced_cost_usd": round(tot["priced_cost_usd"], 6), "unpriced_tokens": tot["unpriced_tokens"],
            "requests": tot["requests"], "total_tokens": tot["total_tokens"], "sessions": s[0][0],
            "active_seconds": a[0][0], "rest_level": rest[0], "continuous_minutes": rest[1],
            "minutes_to_next_level": rest[2], "models": models, "plan_limits": lumo_limits.windows(con, opt(args, "agent"))}


def print_today(d):
    print("Today: %s, %s; %s (%s)" % (d["agents"] if d["agents"] != "all" else "all agents", d["day"], "so far", d["timezone"]))
    if not d["requests"]:
        print("no data in this period")
    else:
        print("  cost      %s" % money(d["cost_usd"], d["priced_cost_usd"], d["unpriced_tokens"]))
        print("  tokens    %s in %s requests" % (num(d["total_tokens"]), num(d["requests"])))
        print("  sessions  %s" % num(d["sessions"]))
    print("  active    %s" % duration(d["active_seconds"]))
    lvl = LEVELS.get(d["rest_level"], d["rest_level"] or "unknown")
    extra = ""
    if d["rest_level"] and d["rest_level"] != "rested":
        extra = ", %d min without a break" % (d["continuous_minutes"] or 0)
    if d["minutes_to_next_level"] and d["rest_level"] != "take_a_break" and d["continuous_minutes"]:
        extra += ", next level in %d min" % d["minutes_to_next_level"]
    print("  rest      %s%s" % (lvl, extra))
    import lumo_limits
    for text in lumo_limits.window_lines(d["plan_limits"]):
        print("  limits    %s" % text)
    if d["models"]:
        table(["agent", "model", "requests", "tokens", "cost"],
              [[m["agent"], m["model"] or "(no model)", num(m["requests"]), num(m["total_tokens"]),
                money(m["cost_usd"], m["priced_cost_usd"], m["unpriced_tokens"])] for m in d["models"]],
              right=(2, 3, 4), drop=[2, 3])


def cmd_today(args):
    con = fresh(args)
    d = today_data(con, args)
    if opt(args, "json"):
        return emit_json(d)
    print_today(d)
    return 0


def cmd_watch(args):
    import time
    interval = opt(args, "interval", 60.0)
    if interval <= 0:
        raise Fail("--interval %s: must be more than 0 seconds" % interval)
    count = opt(args, "count")
    last, n = None, 0
    tty = sys.stdout.isatty()
    while True:
        con = fresh(args)
        d = today_data(con, args)
        con.close()
        if tty:
            sys.stdout.write("\033[H\033[2J")
        print_today(d)
        if last is not None and d["rest_level"] != last:
            print("lumo: rest level %s -> %s at %s" % (LEVELS.get(last, last), LEVELS.get(d["rest_level"], d["rest_level"]),
                                                         time.strftime("%H:%M")))
        last = d["rest_level"]
        sys.stdout.flush()
        n += 1
        if count and n >= count:
            return 0
        time.sleep(interval)


# ---------------------------------------------------------------- dashboard

def cmd_dashboard(args):
    con = fresh(args)
    day = today()
    import datetime
    week_from = (datetime.date(*map(int, day.split("-"))) - datetime.timedelta(days=6)).isoformat()
    sections = []

    def sect(title, sql, params=(), agents=None, period="all time"):
        h, rows = query(con, sql, params)
        if agents is None:
            agents = sorted({r[h.index("agent")] for r in rows}) if "agent" in h else None
        sections.append((title, agents, period, h, rows))

    sect("Totals", "SELECT cost_usd AS priced_cost_usd, unpriced_tokens, unpriced_models, requests, sessions,"
                   " total_tokens, active_seconds, active_time_source, first_at, last_at FROM dashboard"
                   " WHERE requests > 0",
         agents=sorted(r[0] for r in con.execute("SELECT DISTINCT agent FROM usage_buckets")))
    sect("Last 7 days", "SELECT day, %s FROM buckets_local WHERE day BETWEEN ? AND ? GROUP BY day ORDER BY day" % SUMS,
         (week_from, day), agents=sorted(r[0] for r in con.execute(
             "SELECT DISTINCT agent FROM buckets_local WHERE day BETWEEN ? AND ?", (week_from, day))),
         period="%s to %s" % (week_from, day))
    sect("Models", "SELECT agent, coalesce(model, '(no model)') AS model, requests, total_tokens, cost_usd,"
                   " cache_hit_rate FROM models ORDER BY cost_usd DESC")
    sect("Projects", "SELECT project, sessions, requests, total_tokens, cost_usd FROM projects ORDER BY cost_usd DESC",
         agents=[])
    sect("Rest status", "SELECT level, continuous_minutes, progress_percent, minutes_to_next_level, last_activity_at,"
                        " hints FROM rest_status WHERE last_activity_at IS NOT NULL", agents=[], period="now")
    sect("Streaks", "SELECT longest_days, longest_from, longest_to, current_days, active_days FROM streaks"
                    " WHERE active_days > 0", agents=[])
    sect("Recent sessions", "SELECT agent, substr(session_id, 1, 8) AS session, project,"
                            " datetime(started_at, 'localtime') AS started, duration_seconds, requests, cost_usd"
                            " FROM sessions ORDER BY started_at DESC LIMIT 10", period="latest 10")
    sect("Telemetry (OTLP)", "SELECT cost_usd, cost_source, sessions, active_seconds, lines_added, lines_removed,"
                             " commits, accept_rate FROM otel_dashboard WHERE sessions > 0",
         agents=["claude (Claude Code telemetry)"])
    # how much of the transcripts' cost telemetry confirms (cost_reconciliation), where any was collected
    # (a database last synced by an older lumo, read with --no-sync, has not the view yet)
    if con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'cost_confirmation'").fetchone():
        sect("Cost confirmed by telemetry", "SELECT round(total(confirmed_cost_usd), 6) AS confirmed_cost_usd,"
             " round(total(disputed_cost_usd), 6) AS disputed_cost_usd,"
             " round(total(unconfirmed_cost_usd), 6) AS unconfirmed_cost_usd,"
             " round(100.0 * total(confirmed_cost_usd) / nullif(total(priced_cost_usd), 0), 1) AS confirmed_percent,"
             " round(total(telemetry_only_cost_usd), 6) AS telemetry_only_cost_usd FROM cost_confirmation"
             " HAVING EXISTS (SELECT 1 FROM otel_events) OR EXISTS (SELECT 1 FROM otel_points)", agents=[])
    if opt(args, "json"):
        return emit_json({t.lower().replace(" ", "_").replace("(", "").replace(")", ""):
                          {"agents": a, "period": p, "rows": records(h, r)} for t, a, p, h, r in sections})
    for i, (title, agents, period, h, rows) in enumerate(sections):
        if i:
            print()
        who = ", ".join(agents) if agents else "all agents"
        print("%s: %s; %s (%s)" % (title, who, period, zone_name()))
        if not rows:
            print("no data in this period")
            continue
        x = {c: j for j, c in enumerate(h)}
        if title == "Totals":
            r = rows[0]
            print("  cost      %s" % money(None if r[x["unpriced_tokens"]] else r[0], r[0], r[x["unpriced_tokens"]]))
            if r[x["unpriced_models"]]:
                print("  unpriced  %s" % r[x["unpriced_models"]])
            print("  requests  %s in %s sessions, %s tokens" % (num(r[x["requests"]]), num(r[x["sessions"]]),
                                                              num(r[x["total_tokens"]])))
            print("  active    %s (%s)" % (duration(r[x["active_seconds"]]), r[x["active_time_source"]]))
            print("  from      %s to %s" % (r[x["first_at"]], r[x["last_at"]]))
        elif title == "Last 7 days":
            table(["day", "requests", "tokens", "cost"],
                  [[r[0], num(r[x["requests"]]), num(r[x["total_tokens"]]),
                    money(r[x["cost_usd"]], r[x["priced_cost_usd"]], r[x["unpriced_tokens"]])] for r in rows],
                  right=(1, 2, 3))
        elif title == "Models":
            table(["agent", "model", "requests", "tokens", "cost", "cache hit"],
                  [[r[0], r[1], num(r[2]), num(r[3]), money(r[4]), "%.0f%%" % (100 * (r[5] or 0))] for r in rows],
                  right=(2, 3, 4, 5), drop=[3, 5, 2])
        elif title == "Projects":
            table(["project", "sessions", "requests", "tokens", "cost"],
                  [[(r[0] or "(none)")[:40], num(r[1]), num(r[2]), num(r[3]), money(r[4])] for r in rows],
                  right=(1, 2, 3, 4), drop=[2, 3])
        elif title == "Rest status":
            r = rows[0]
            print("  %s: %d min without a break (%d%%), next level in %s min; last activity %s UTC; %s"
                  % (LEVELS.get(r[0], r[0]), r[1] or 0, r[2] or 0, r[3] if r[3] is not None else "-", r[4], r[5]))
        elif title == "Streaks":
            r = rows[0]
            print("  longest %d days (%s to %s), current %d, %d active days" % (r[0] or 0, r[1], r[2], r[3] or 0, r[4] or 0))
        elif title == "Recent sessions":
            table(["agent", "session", "project", "started", "length", "requests", "cost"],
                  [[r[0], r[1] or "", (r[2] or "")[:20], (r[3] or "")[:16], duration(r[4]), num(r[5]), money(r[6])]
                   for r in rows], right=(4, 5, 6), drop=[4, 5, 2])
        elif title == "Cost confirmed by telemetry":
            r = rows[0]
            print("  %s confirmed of the priced cost (%s), %s disputed, %s without telemetry; %s in sessions only"
                  " telemetry holds (the cost_reconciliation view says why, per session)"
                  % ("-" if r[3] is None else "%.1f%%" % r[3], usd(r[0]), usd(r[1]), usd(r[2]), usd(r[4])))
        else:
            r = rows[0]
            print("  cost %s (%s), %d sessions, active %s, +%s/-%s lines, %s commits, edits accepted %s"
                  % (usd(r[0] or 0), r[1], r[2] or 0, duration(r[3]), num(r[4]), num(r[5]), num(r[6]),
                     "-" if r[7] is None else "%.0f%%" % r[7]))
    return 0


# ---------------------------------------------------------------- report VIEW, views, sync, doctor

# Tables `lumo report` shows besides the views: what lumo_sync skipped (issue 19.7), as
# (what it lists, the SELECT it shows).
REPORT_TABLES = {
    "diagnostics": ("what lumo_sync skipped or flagged: file, line, kind, why and when",
                    "SELECT machine, file, line, kind, detail, phase, synced_at FROM diagnostics"),
}


def cmd_report(args):
    con = fresh(args)
    names = view_names(con)
    view = args.view
    source = view
    if view in REPORT_TABLES:
        if not con.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (view,)).fetchone():
            raise Fail("%s has no %s table yet (a database from before it): `lumo sync` adds it" % (db_path(args)[0], view))
        source = "(%s)" % REPORT_TABLES[view][1]
    elif view not in names:
        raise Fail("no view %r in %s%s (`lumo views` lists them)" % (view, db_path(args)[0],
                                                                    closest(view, names + list(REPORT_TABLES))))
    cols = [d[0] for d in con.execute("SELECT * FROM %s LIMIT 0" % source).description]
    since, until = date_range(args)
    tcol = TIME_COLUMN.get(view)
    if (since or until) and not tcol:
        raise Fail("--since/--until: view %s has no day or time column" % view)
    day_expr = None
    if tcol:
        day_expr = {"day": tcol[0], "month": tcol[0], "instant": "date(%s, 'localtime')" % tcol[0]}[tcol[1]]
    if tcol and tcol[1] == "month":
        since, until = since and since[:7], until and until[:7]
    if view in PERIOD and (opt(args, "project") is not None or opt(args, "machine") is not None):
        # daily/weekly/monthly have no project or machine column: the same columns, from buckets_local
        period = PERIOD[view][0]
        ds, du = date_range(args)
        where, params = filters(args, ("agent", "project", "machine"), ds, du, "day")
        sql = period_sql(period, ["agent", "model"], where, "DESC" if opt(args, "order") == "desc" else "ASC")
    else:
        where, params = filters(args, cols, since, until, day_expr)
        order = [c for c in ("day", "week_start", "month", "started_at", "start_at", "timestamp", "synced_at", "agent",
                             "model", "project", "name", "file", "line") if c in cols]
        sql = "SELECT * FROM %s%s" % (source, where)
        if order:
            desc = " DESC" if opt(args, "order") == "desc" else ""
            sql += " ORDER BY " + ", ".join(c + (desc if j == 0 else "") for j, c in enumerate(order))
    headers, rows = query(con, sql, params)
    if emit_rows(con, args, headers, rows):
        return 0
    print(label("View %s" % view, sorted({r[headers.index("agent")] for r in rows}) if "agent" in headers else None,
                since, until))
    if not rows:
        explain_empty(con, args)
        print("no data in this period")
        return 0

    def cell(v):
        if v is None:
            return "NULL"
        if isinstance(v, float):
            return "%.6g" % v if abs(v) < 1e15 else "%d" % v
        if isinstance(v, int):
            return format(v, ",")
        return str(v)
    table(headers, [[cell(v) for v in r] for r in rows],
          right=[i for i, v in enumerate(rows[0]) if isinstance(v, (int, float))],
          # narrow terminals: diagnostics keep file, line, kind, why and when
          drop=[headers.index(c) for c in ("machine", "phase") if view == "diagnostics" and c in headers])
    return 0


def cmd_views(args):
    con = open_ro(args)
    for v in view_names(con):
        print(v)
    for t in REPORT_TABLES:  # the tables report shows too
        print(t)
    return 0


def cmd_sync(args):
    explicit = {}
    for agent in AGENT_ORDER:
        explicit[agent] = (opt(args, agent) or []) + ((opt(args, "root") or []) if agent == "claude" else [])
    explicit = {k: v for k, v in explicit.items() if v}
    quiet = opt(args, "quiet")
    res = run_sync(args, explicit or None, quiet=quiet)
    if res is None:
        return 1
    summary, problems, skipped = res
    if not quiet:
        print(summary)
        print(skipped_line(skipped))
    elif not skipped_line(skipped).startswith("lumo: nothing skipped"):  # -q: said only when this sync skipped
        sys.stderr.write(skipped_line(skipped) + "\n")
    if "claude" in (explicit or {"claude": 1}):
        try:
            con = open_ro(args)
        except Fail:
            con = None
        from lumo_doctor import claude_roots_for_retention, retention
        for ok, text in retention(claude_roots_for_retention(args), con):
            if not quiet:
                print("lumo: " + text)
            elif not ok:
                warn(text)
    if problems:
        sys.stderr.write("lumo: synced the other agents; fix or unset the variables above\n")
        return 1
    return 0


def doctor_cmd(args):
    import lumo_doctor  # only doctor pays for the module
    return lumo_doctor.cmd_doctor(args)


def prices_cmd(args):
    import lumo_prices  # only these two commands pay for the module
    return lumo_prices.cmd_prices(args) if args.cmd == "prices" else lumo_prices.cmd_reprice(args)


def cmd_team(args):
    """export and push: scripts/lumo_export.py, after the usual incremental sync."""
    if args.cmd == "export" and opt(args, "format") == "json":
        return export_json(args)
    if opt(args, "until"):
        raise Fail("export: --until is for --format json (the team export sends what is new)")
    import lumo_export
    if args.cmd == "export" and not opt(args, "out"):
        raise Fail("export: where to? --out DIR (%s)" % [o for o in OPTIONS if o[1] == "out"][0][4])
    if args.cmd == "push" and not opt(args, "clickhouse"):
        raise Fail("push: where to? --clickhouse URL (e.g. http://clickhouse:8123)")
    since = None
    if opt(args, "since"):  # the start of that local day, as the UTC instant the rows are compared with
        import time
        day = parse_day(args.since, "--since")
        since = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.mktime(time.strptime(day, "%Y-%m-%d"))))
    fresh(args).close()
    path = db_path(args)[0]
    try:
        if args.cmd == "export":
            lumo_export.export(path, args.out, opt(args, "format", "ndjson"), opt(args, "tables"), since,
                               opt(args, "with_paths", False), opt(args, "project_map"), opt(args, "full", False))
        else:
            lumo_export.push(path, args.clickhouse, opt(args, "tables"), since, opt(args, "with_paths", False),
                             opt(args, "project_map"), opt(args, "full", False), opt(args, "database", "lumo"))
    except lumo_export.ExportError as e:
        raise Fail(str(e), e.code)
    return 0


def export_json(args):
    """lumo export --format json: one document of a period (scripts/lumo_export_json.py)."""
    for name, flag in (("tables", "--tables"), ("with_paths", "--with-paths"), ("project_map", "--project-map"),
                       ("full", "--full")):
        if opt(args, name):
            raise Fail("export: %s is for the team export (--format ndjson or csv), not --format json" % flag)
    since, until = date_range(args)
    out = opt(args, "out")
    if out and os.path.isdir(out):
        raise Fail("export: --out %s is a directory; --format json writes one file (e.g. --out %s)"
                   % (out, os.path.join(out, "lumo.json")))
    con = fresh(args)
    if not con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'user_prompts'").fetchone():
        con.close()
        raise Fail("export: the database is older than schema 10 (no user_prompts); `lumo sync` upgrades it")
    import lumo_export_json
    try:
        lumo_export_json.export_json(con, since, until, zone_name(), out)
    except OSError as e:
        raise Fail("export: cannot write %s: %s" % (out, e.strerror), 1)
    finally:
        con.close()
    return 0


def cmd_search(args):
    """lumo search QUERY: scripts/lumo_search.py over the database's FTS5 indexes."""
    import lumo_search
    since, until = date_range(args)
    limit = opt(args, "limit", 20)
    if limit < 1:
        raise Fail("--limit %d: give at least 1" % limit)
    con = fresh(args)
    state = query(con, "SELECT enabled FROM search_state")[1] if con.execute(
        "SELECT 1 FROM sqlite_schema WHERE name = 'search_state'").fetchone() else None
    if not state:
        raise Fail("search: the database is older than schema 10 (no search index); `lumo sync` upgrades it")
    if not state[0][0]:
        con.close()
        path = db_path(args)[0]
        if not os.access(path, os.W_OK):
            raise Fail("search: %s is read-only: the search index, off until the first search, cannot be built"
                       % path, 1)
        sys.stderr.write("lumo: building the search index (once; every sync keeps it up to date from now on)\n")
        try:
            lumo_search.enable(path)
        except Exception as e:  # sqlite3.Error: locked, full disk
            raise Fail("search: cannot build the index in %s: %s" % (path, e), 1)
        con = open_ro(args)
    try:
        rows = lumo_search.search(con, args.query, since, until, opt(args, "agent"), limit)
    except ValueError as e:
        raise Fail("search: %r is not a query FTS5 reads (%s); plain words match as they are, or use"
                   " \"a phrase\", OR, NOT, prefix*" % (args.query, e))
    heads = ["timestamp", "local_time", "agent", "session_id", "role", "snippet"]
    if opt(args, "json"):
        return emit_json(rows)
    if opt(args, "csv"):
        return emit_csv(heads, [[r[h] for h in heads] for r in rows])
    print("Search %r: %s; %s (%s), newest first" % (args.query, opt(args, "agent") or "all agents",
                                                   period_text(since, until), zone_name()))
    if not rows:
        print("no match")
        return 0
    table(["time", "agent", "session", "role", "snippet"],
          [[(r["local_time"] or "")[:16], r["agent"], (r["session_id"] or "")[:8], r["role"] or "",
            r["snippet"][:max(30, width() - 60)]] for r in rows], drop=[1, 2])
    return 0


def main(argv):
    verb = [a for a in argv if a in VERBS][:1]
    if verb == ["statusline"]:  # its own few options (lumo_statusline.py); --db may come first
        import lumo_statusline
        rest = list(argv)
        rest.remove("statusline")
        return lumo_statusline.main(rest)
    args = parse(argv)
    setup_zone(args)
    fn = {"daily": cmd_period, "weekly": cmd_period, "monthly": cmd_period, "session": cmd_session,
          "blocks": cmd_blocks, "today": cmd_today, "watch": cmd_watch, "dashboard": cmd_dashboard,
          "report": cmd_report, "views": cmd_views, "sync": cmd_sync, "doctor": doctor_cmd,
          "prices": prices_cmd, "reprice": prices_cmd,
          "export": cmd_team, "push": cmd_team, "search": cmd_search}[args.cmd]
    return fn(args) or 0


def run():
    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except Fail as e:
        sys.stderr.write("lumo: %s\n" % e)
        code = e.code
    except BrokenPipeError:
        code = 0
    except KeyboardInterrupt:
        code = 130
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    # a reader that went away (lumo daily | head) is not an error: no traceback at exit
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    sys.exit(code)
