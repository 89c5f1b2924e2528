"""lumo_export: `lumo export` and `lumo push`, the ledger tables of a lumo database as files
(NDJSON or CSV) that any engine can load, and the same rows posted to ClickHouse's HTTP
interface. The team's ClickHouse schema and reports are views/clickhouse/*.sql.

Each exported row carries `machine` (the machine that stored it), `key` (the same stable key
as in the lumo database) and `version`: the order of the winner rule lumo_sync and
lumo_merge apply (ext/dedup.c), packed into one 128-bit number, so that a table keyed by
(machine, key) keeps a row's latest state (ReplacingMergeTree(version)) and the reports pick
the same copy of a response as lumo_merge when machines hold copies of one session.

Incremental: what a destination (an --out directory or a --clickhouse URL) already has is
kept in the lumo database (lumo_export_rows: one fingerprint of the exported form of each
row; lumo_exports: one row per run), so a repeated export writes only new or changed rows.
Private by default: no message text, prompt, tool input or result is ever exported; file
paths and working directories only with --with-paths; project names mapped or hashed with
--project-map. Python 3 standard library only; imported by lumo_cli for these two commands."""
import hashlib
import json
import os
import re
import sys
import time

# The exported columns of each table, in file order, after machine, key and version.
# Never: messages.text, tool_uses.input (prompts, code, tool output). PRIVATE ones (paths)
# only with --with-paths; project is mapped with --project-map.
TABLES = {
    "usage": ("agent", "session_id", "project", "git_branch", "timestamp", "model", "input_tokens",
              "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
              "reasoning_tokens", "web_search_requests", "service_tier", "speed", "inference_geo", "is_sidechain",
              "confidence", "cost_usd", "price_source", "message_id", "request_id", "line", "rank_total",
              "rank_has_speed", "rank_mtime_ns", "rank_prefer", "content_bytes", "stored_cost_usd", "cwd", "file"),
    "messages": ("agent", "session_id", "uuid", "parent_uuid", "timestamp", "type", "role", "model", "message_id",
                 "is_sidechain", "content_bytes", "is_rewound", "line", "file"),
    "tool_uses": ("agent", "session_id", "timestamp", "message_id", "tool_name", "is_error", "result_bytes", "line",
                  "file", "project", "mcp_server", "mcp_tool", "duration_ms"),
    "rate_limits": ("agent", "session_id", "timestamp", "limit_id", "plan_type", "window", "window_minutes",
                    "used_percent", "resets_at", "line", "file"),
}
DEFAULT_TABLES = ("usage", "messages", "tool_uses")
PRIVATE = ("cwd", "file")
TOTAL_BITS = 45  # a response's token total (five counts of at most 10^12 each) fits in 43 bits

STATE_SQL = """
CREATE TABLE IF NOT EXISTS lumo_export_rows (
  destination TEXT NOT NULL,     -- an --out directory (absolute) or a ClickHouse URL without credentials
  tbl         TEXT NOT NULL,     -- usage, messages, tool_uses, rate_limits
  machine     TEXT NOT NULL,     -- the row's machine
  key         TEXT NOT NULL,     -- the row's key
  fingerprint INTEGER NOT NULL,  -- hash of the row as exported: a changed row differs
  PRIMARY KEY (destination, tbl, machine, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lumo_exports (
  destination TEXT NOT NULL,     -- where the rows went
  started_at  TEXT NOT NULL,     -- UTC
  finished_at TEXT,              -- UTC; NULL: the run stopped before its end
  format      TEXT NOT NULL,     -- ndjson, csv, clickhouse
  tables      TEXT NOT NULL,     -- tables exported, comma-separated
  rows        INTEGER,           -- rows written (new or changed since the last run)
  files       INTEGER            -- files written (or batches posted)
);
"""


class ExportError(Exception):
    """A user error or a failed write; lumo_cli prints it and exits non-zero."""
    def __init__(self, msg, code=2):
        Exception.__init__(self, msg)
        self.code = code


def version(row, agent):
    """The winner rule of ext/dedup.c (lumo_dedup_beats) as one number: a larger version is
    a better copy of the same response. Fields in the rule's order: an authoritative copy
    (rank_prefer), a parent copy over a sidechain copy, the larger token total, a copy with
    a speed field, then the older file (Codex: the newer). The rule's last tie-breaks (the
    smaller file name, the earlier line) are the file and line columns: the reports order
    by them after the version."""
    mtime = max(0, min(int(row["rank_mtime_ns"] or 0), (1 << 64) - 1))
    mtime_key = mtime if agent == "codex" else (1 << 64) - 1 - mtime
    total = max(0, min(int(row["rank_total"] or 0), (1 << TOTAL_BITS) - 1))
    return ((int(bool(row["rank_prefer"])) << (TOTAL_BITS + 66)) | (int(not row["is_sidechain"]) << (TOTAL_BITS + 65))
            | (total << 65) | (int(bool(row["rank_has_speed"])) << 64) | mtime_key)


def load_project_map(spec):
    """--project-map: 'hash' (every name hashed) or a JSON file {"name": "shown as"}; a name
    the file does not list is exported as it is."""
    if spec is None:
        return None
    if spec == "hash":
        return lambda p: None if p is None else "p-" + hashlib.sha256(p.encode()).hexdigest()[:12]
    try:
        with open(os.path.expanduser(spec), encoding="utf-8") as f:
            m = json.load(f)
    except OSError as e:
        raise ExportError("--project-map %s: %s" % (spec, e.strerror or e))
    except ValueError as e:
        raise ExportError("--project-map %s: not JSON (%s); write {\"project\": \"shown as\", ...} or use 'hash'"
                          % (spec, e))
    if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in m.items()):
        raise ExportError("--project-map %s: want a JSON object of project name to name shown" % spec)
    return lambda p: m.get(p, p)


def parse_tables(text):
    if not text:
        return list(DEFAULT_TABLES)
    out = []
    for t in text.split(","):
        t = t.strip()
        if t not in TABLES:
            import difflib
            near = difflib.get_close_matches(t, list(TABLES), n=1, cutoff=0.5)
            raise ExportError("--tables: no table %r%s (tables: %s)" % (
                t, "; did you mean %r?" % near[0] if near else "", ", ".join(TABLES)))
        if t not in out:
            out.append(t)
    return out


def day_of(ts):
    """The UTC day of a row (its file's name), 'undated' for a row without a time."""
    if isinstance(ts, str) and re.match(r"^\d{4}-\d{2}-\d{2}", ts):
        return ts[:10]
    return "undated"


def fingerprint(rec):
    h = hashlib.blake2b(json.dumps(rec, separators=(",", ":")).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big", signed=True)


def export_key(key, path):
    """The row's key, with the source file's path in it (the key of a row without an id:
    agent:machine:file:line, or machine:file:line:window) replaced by a hash of the path:
    the path may name a project. Always, so that a key does not change with --with-paths."""
    if path and ":%s:" % path in key:
        return key.replace(":%s:" % path, ":file-%s:" % hashlib.sha256(path.encode()).hexdigest()[:16], 1)
    return key


def rows_of(con, table, since, with_paths, project_map):
    """(machine, key, record) of every row of table, in its exported form."""
    have = {r[1] for r in con.execute("PRAGMA table_info(%s)" % table)}
    if not have:
        return
    cols = [c for c in TABLES[table] if with_paths or c not in PRIVATE]
    sel = ["machine", "key", "file AS source_file"] + [c if c in have else "NULL AS " + c for c in cols]
    sql = "SELECT %s FROM %s" % (", ".join(sel), table)
    params = ()
    if since:
        sql += " WHERE timestamp >= ?"
        params = (since,)
    cur = con.execute(sql + " ORDER BY timestamp, key", params)
    names = [d[0] for d in cur.description]
    for t in cur:
        row = dict(zip(names, t))
        key = export_key(row["key"], row["source_file"])
        rec = {"machine": row["machine"], "key": key}
        if table == "usage":
            rec["version"] = str(version(row, row["agent"]))
        elif table == "tool_uses":
            rec["version"] = "1" if row["is_error"] is not None else "0"  # a call with its result beats one without
        else:
            rec["version"] = "0"  # the last exported state wins
        for c in cols:
            rec[c] = row[c]
        if project_map and "project" in rec:
            rec["project"] = project_map(rec["project"])
        yield row["machine"], key, rec


def csv_field(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return '"' + str(v).replace('"', '""') + '"'


def encode(fmt, recs):
    """The bytes of one file: NDJSON lines, or CSV with a header (NULL as \\N, strings quoted)."""
    if fmt == "ndjson":
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in recs).encode()
    head = list(recs[0].keys())
    lines = [",".join(head)] + [",".join(csv_field(r[c]) for c in head) for r in recs]
    return ("\n".join(lines) + "\n").encode()


def open_rw(path):
    """The lumo database, writable: what the destinations have is recorded in it."""
    import sqlite3
    if not os.path.isfile(path):
        raise ExportError("no lumo database at %s; `lumo sync` creates it" % path)
    try:
        con = sqlite3.connect(path, timeout=30)
        if not con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'usage'").fetchone():
            raise ExportError("%s is not a lumo database (no usage table)" % path)
        con.executescript(STATE_SQL)
    except sqlite3.Error as e:
        raise ExportError("cannot record the export in %s: %s (the database must be writable)" % (path, e), 1)
    return con


def db_errors(fn):
    """A database error during a run (locked, disk full) is an error message, not a traceback."""
    def run(*a, **k):
        import sqlite3
        try:
            return fn(*a, **k)
        except sqlite3.Error as e:
            raise ExportError("%s: database error: %s" % (fn.__name__, e), 1)
    run.__name__, run.__doc__ = fn.__name__, fn.__doc__
    return run


def changes(con, destination, tables, since, with_paths, project_map, full):
    """{(table, day): ([records], [fingerprint rows])}: the rows the destination lacks or
    holds in another state, and what to record in lumo_export_rows once they are sent."""
    batches = {}
    for table in tables:
        known = {} if full else {(m, k): f for m, k, f in con.execute(
            "SELECT machine, key, fingerprint FROM lumo_export_rows WHERE destination = ? AND tbl = ?",
            (destination, table))}
        for machine, key, rec in rows_of(con, table, since, with_paths, project_map):
            fp = fingerprint(rec)
            if known.get((machine, key)) == fp:
                continue
            recs, marks = batches.setdefault((table, day_of(rec.get("timestamp"))), ([], []))
            recs.append(rec)
            marks.append((destination, table, machine, key, fp))
    return batches


def now_utc():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def run_name(con):
    """Files of one run: <UTC start>-<machine of the last sync>, so that several machines
    can write into one drop folder."""
    r = con.execute("SELECT machine FROM lumo_sync_runs WHERE machine IS NOT NULL ORDER BY rowid DESC LIMIT 1"
                    ).fetchone() if con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'lumo_sync_runs'"
                                                ).fetchone() else None
    import socket
    machine = re.sub(r"[^A-Za-z0-9._-]", "_", (r[0] if r else None) or socket.gethostname() or "unknown")
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + machine


def record_run(con, destination, fmt, tables, batches, files, started):
    """The destination has the rows: their fingerprints and the run, in one transaction."""
    with con:
        rows = 0
        for _, marks in batches.values():
            con.executemany("INSERT OR REPLACE INTO lumo_export_rows VALUES (?, ?, ?, ?, ?)", marks)
            rows += len(marks)
        con.execute("INSERT INTO lumo_exports VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (destination, started, now_utc(), fmt, ",".join(tables), rows, files))
    return rows


@db_errors
def export(db, out, fmt, tables, since=None, with_paths=False, project_map=None, full=False, quiet=False):
    """Writes OUT/<table>/<UTC day>/<run>.<fmt>: the rows new or changed since the last
    export to OUT. Returns (rows, files)."""
    if fmt not in ("ndjson", "csv"):
        raise ExportError("--format %s: choose ndjson or csv" % fmt)
    tables = parse_tables(tables)
    pmap = load_project_map(project_map)
    con = open_rw(db)
    out = os.path.abspath(os.path.expanduser(out))
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise ExportError("--out %s: %s" % (out, e.strerror), 1)
    started = now_utc()
    batches = changes(con, "file:" + out, tables, since, with_paths, pmap, full)
    name = run_name(con)
    written = []
    try:
        for (table, day), (recs, _) in sorted(batches.items()):
            d = os.path.join(out, table, day)
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, "%s.%s" % (name, fmt))
            n = 1
            while os.path.exists(path):  # two runs in one second
                n += 1
                path = os.path.join(d, "%s-%d.%s" % (name, n, fmt))
            tmp = path + ".tmp"
            with open(tmp, "wb") as f:  # a reader of the folder never sees half a file
                f.write(encode(fmt, recs))
            os.replace(tmp, path)
            written.append(path)
    except OSError as e:
        raise ExportError("cannot write %s: %s (the rows stay unexported: the next run writes them)"
                          % (e.filename or out, e.strerror), 1)
    rows = record_run(con, "file:" + out, fmt, tables, batches, len(written), started)
    con.close()
    if not quiet:
        per = {}
        for (table, _), (recs, _) in batches.items():
            per[table] = per.get(table, 0) + len(recs)
        sys.stderr.write("lumo export: %d rows (%s) in %d files under %s\n" % (
            rows, ", ".join("%s %d" % (t, per.get(t, 0)) for t in tables), len(written), out))
    return rows, len(written)


# ---------------------------------------------------------------- push to ClickHouse

def redact(url):
    """The URL without user and password (the destination's name, and what is printed)."""
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    host = u.hostname or ""
    if u.port:
        host += ":%d" % u.port
    return urllib.parse.urlunsplit((u.scheme, host, u.path, "", ""))


def post(url, body, sql, user, password, retries, dedup_token):
    """One INSERT over ClickHouse's HTTP interface, retried on connection errors and 5xx
    answers (a retried batch is harmless: the table keeps one row per machine and key)."""
    import urllib.error
    import urllib.parse
    import urllib.request
    u = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qsl(u.query)
    q = [(k, v) for k, v in q if k not in ("user", "password")]
    q += [("query", sql), ("insert_deduplication_token", dedup_token)]
    host = u.hostname or ""
    if u.port:
        host += ":%d" % u.port
    target = urllib.parse.urlunsplit((u.scheme, host, u.path or "/", urllib.parse.urlencode(q), ""))
    headers = {"Content-Type": "application/x-ndjson"}
    if user:
        headers["X-ClickHouse-User"] = user
    if password:
        headers["X-ClickHouse-Key"] = password
    last = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(8.0, 0.5 * 2 ** (attempt - 1)))
        try:
            req = urllib.request.Request(target, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()
                return
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace").strip()[:500]
            last = "HTTP %d: %s" % (e.code, text)
            if e.code < 500:
                break  # a refused INSERT (bad credentials, no table) is not retried
        except (urllib.error.URLError, OSError) as e:
            last = str(getattr(e, "reason", e))
    raise ExportError("push to %s failed: %s" % (redact(url), last), 1)


@db_errors
def push(db, url, tables, since=None, with_paths=False, project_map=None, full=False, database="lumo",
         retries=3, quiet=False):
    """Posts the rows new or changed since the last push to url as INSERT INTO
    <database>.<table> FORMAT JSONEachRow, one request per table and UTC day. User and
    password come from $CLICKHOUSE_USER and $CLICKHOUSE_PASSWORD (or the URL), never printed."""
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ExportError("--clickhouse %s: want an http:// or https:// URL (ClickHouse's HTTP port, e.g."
                          " http://localhost:8123)" % redact(url) if u.hostname else "--clickhouse: want a URL")
    user = os.environ.get("CLICKHOUSE_USER") or (urllib.parse.unquote(u.username) if u.username else None)
    password = os.environ.get("CLICKHOUSE_PASSWORD") or (urllib.parse.unquote(u.password) if u.password else None)
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", database):
        raise ExportError("--database %s: not a plain identifier" % database)
    tables = parse_tables(tables)
    pmap = load_project_map(project_map)
    con = open_rw(db)
    destination = "clickhouse:" + redact(url) + "/" + database
    started = now_utc()
    batches = changes(con, destination, tables, since, with_paths, pmap, full)
    sent_rows, sent = 0, 0
    try:
        for (table, day), (recs, marks) in sorted(batches.items()):
            body = encode("ndjson", recs)
            token = hashlib.sha256(body).hexdigest()
            post(url, body, "INSERT INTO %s.%s FORMAT JSONEachRow" % (database, table), user, password, retries, token)
            # recorded batch by batch: a push that fails half-way resends only the rest
            with con:
                con.executemany("INSERT OR REPLACE INTO lumo_export_rows VALUES (?, ?, ?, ?, ?)", marks)
            sent_rows += len(recs)
            sent += 1
    finally:
        with con:
            con.execute("INSERT INTO lumo_exports VALUES (?, ?, ?, 'clickhouse', ?, ?, ?)",
                        (destination, started, now_utc() if sent == len(batches) else None, ",".join(tables),
                         sent_rows, sent))
        con.close()
    if not quiet:
        sys.stderr.write("lumo push: %d rows in %d INSERTs to %s\n" % (sent_rows, sent, redact(url)))
    return sent_rows, sent
