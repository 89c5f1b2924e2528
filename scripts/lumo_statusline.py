"""lumo_statusline: `lumo statusline`, the command Claude Code runs as its statusLine.

Claude Code runs it after each assistant message with a JSON object on stdin
(session_id, transcript_path, model {id, display_name}, workspace {current_dir}, cost ...)
and shows the first line it prints. One line here: model, this session's cost, today's
cost, the active 5-hour block (cost, time left, burn rate), the latest plan-limit windows
(Codex's: share used and time to reset; a window past its reset says reset) and the rest
level.

It must answer in tens of milliseconds and never hold Claude Code up, so:
- scripts/lumo imports it without lumo_cli's parser, and it imports little beyond sqlite3
  (Python with -I -S and sqlite3 is 11.5 ms of the ~35);
- the sync runs in a forked child, detached, that syncs this session's transcript only
  (lumo_sync given the file: it and its subagents' files, as a sync of the root reads
  them; the whole Claude root when there is no database yet); the line waits for it
  --wait milliseconds (default 10) and else answers from the database as it is, while the
  child finishes for the next call;
- every query runs under a deadline (--timeout, default 500 ms, from the start): past it,
  or when the database cannot be read, it prints the last line it printed (cached in
  statusline.txt beside the database), marked as such;
- the JSON is read with SQLite's json_extract (the json module costs 4 ms to import).
Costs come from the views (sessions, blocks, rest_status) and usage_buckets, the table the
period views sum (the local day as its UTC quarter-hour range: buckets_local would put
every bucket in local time first). An unpriced cost is never $0.00."""
import os
import sys
import time

T0 = time.monotonic()
LOCK_WAIT_S = 20  # how long a sync child waits for another's to end (it is detached: nobody waits on it)
LEVEL = {"rested": ("Rested", "32"), "heads_up": ("Heads Up", "33"), "take_a_break": ("Take a Break", "31")}


class Args:
    """What lumo_cli's helpers read of parsed options (db, timezone)."""


def parse(argv):
    import lumo_cli
    a = Args()
    a.no_sync, a.wait, a.timeout = False, 10.0, 500.0
    i = 0
    while i < len(argv):
        k, v = argv[i], None
        if k in ("-h", "--help"):  # written from lumo_cli.OPTIONS, as every command's
            sys.stdout.write(lumo_cli.help_text("statusline"))
            sys.exit(0)
        if k.startswith("--") and "=" in k:
            k, v = k.split("=", 1)
        if k == "--no-sync" and v is None:
            a.no_sync = True
            i += 1
            continue
        if k not in ("--db", "-z", "--timezone", "--wait", "--timeout"):
            raise lumo_cli.Fail("statusline: unknown option %r (options: --db, --timezone, --no-sync, --wait,"
                                " --timeout; lumo statusline --help)" % argv[i])
        if v is None:
            if i + 1 >= len(argv):
                raise lumo_cli.Fail("statusline: %s needs a value" % k)
            v = argv[i + 1]
            i += 1
        i += 1
        if k == "--db":
            a.db = v
        elif k in ("-z", "--timezone"):
            a.timezone = v
        else:
            try:
                ms = float(v)
            except ValueError:
                ms = -1
            if not ms >= 0:
                raise lumo_cli.Fail("statusline: %s %s: not a number of milliseconds (e.g. %s 100)" % (k, v, k))
            setattr(a, k[2:], ms)
    return a


def read_input():
    """Claude Code's JSON, or b'' when there is none (a terminal, or nothing within 0.2 s)."""
    try:
        if os.isatty(0):
            return b""
    except OSError:
        return b""
    import select
    data, end = [], time.monotonic() + 0.2
    while True:
        left = end - time.monotonic()
        try:
            if left <= 0 or not select.select([0], [], [], left)[0]:
                break
            chunk = os.read(0, 65536)
        except OSError:
            break
        if not chunk:
            break
        data.append(chunk)
    return b"".join(data)


def fields(con, raw):
    """(session_id, transcript_path, model display name, model id) from the input JSON."""
    if not raw.strip():
        return None, None, None, None
    import sqlite3
    try:
        return con.execute("SELECT json_extract(?1, '$.session_id'), json_extract(?1, '$.transcript_path'),"
                           " json_extract(?1, '$.model.display_name'), json_extract(?1, '$.model.id')",
                           (raw.decode("utf-8", "replace"),)).fetchone()
    except sqlite3.Error:
        sys.stderr.write("lumo: statusline: the input is not JSON (Claude Code's statusLine object expected)\n")
        return None, None, None, None


def claude_root(transcript):
    """The Claude root to sync, spelt as `lumo sync` spells it (lumo_files keys a file by
    its path: another spelling of the same root would read every file again)."""
    import lumo_cli
    paths, _, _ = lumo_cli.agent_homes()["claude"]
    mine = None
    if transcript:
        parts = os.path.abspath(transcript).split(os.sep)
        if "projects" in parts:
            mine = os.sep.join(parts[:len(parts) - 1 - parts[::-1].index("projects")])
    if mine:
        real = os.path.realpath(mine)
        for p in paths:
            if os.path.realpath(p) == real:
                return os.path.abspath(p)
        return mine
    good = [os.path.abspath(p) for p in paths if lumo_cli.has_transcripts("claude", p)]
    return ",".join(good)


def sync_target(transcript, root, db_exists):
    """What the sync child syncs: the session's transcript alone (lumo_sync reads it, and
    its subagents' files, as a sync of its root would: same paths, so the root's next
    sync reads them not again), spelt under the root's spelling. The whole root when there
    is no database yet (the first sync brings every session) or no transcript in it."""
    if not (transcript and db_exists and root and "," not in root) or not os.path.isfile(transcript):
        return root
    parts = os.path.abspath(transcript).split(os.sep)
    if "projects" not in parts or not parts[-1].endswith((".jsonl", ".jsonl.gz")):
        return root
    k = len(parts) - 1 - parts[::-1].index("projects")
    return root + os.sep + os.sep.join(parts[k:])


def start_sync(args, root):
    """Forks the sync; returns the read end of a pipe that reaches EOF when it is done."""
    import lumo_cli
    path, _ = lumo_cli.db_path(args)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    r, w = os.pipe()
    null = os.open(os.devnull, os.O_RDWR)
    pid = os.fork()
    if pid:
        os.close(w)
        os.close(null)
        return r, pid
    # the child: first of all lets go of stdout (Claude Code reads the line until every
    # holder of the pipe has closed it), then detaches
    code = 0
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(r)
        os.setsid()
        os.nice(10)  # on a busy machine the line, not the sync, gets the CPU first
        import fcntl
        lock = os.open(os.path.join(d, "statusline.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        # one sync at a time: another statusline's (another session's transcript, or this
        # one's before its latest line) is waited for, up to LOCK_WAIT_S, then this one runs
        end = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > end:
                    os._exit(0)  # a sync stuck that long: the next line's will try again
                time.sleep(0.05)
        err = os.path.join(d, "statusline-sync.err")
        try:
            import sqlite3
            ext = lumo_cli.extension()
            if hasattr(sqlite3.Connection, "enable_load_extension"):
                con = sqlite3.connect(path, timeout=30)
                con.enable_load_extension(True)
                con.load_extension(ext)
                con.execute("SELECT lumo_sync(?)", (root,)).fetchone()
                con.close()
            else:  # this python cannot load extensions: the sqlite3 shell syncs
                import subprocess
                r2 = subprocess.run(["sqlite3", "-bail", "-cmd", ".timeout 30000", "-cmd", ".load " + ext, path,
                                     "SELECT lumo_sync('%s')" % root.replace("'", "''")],
                                    capture_output=True, text=True)
                if r2.returncode:
                    raise RuntimeError(r2.stderr.strip())
            if os.path.exists(err):
                os.unlink(err)
        except Exception as e:  # the next line says so
            with open(err, "w") as f:
                f.write(str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
            code = 1
    finally:
        os._exit(code)


def wait_sync(pipe, pid, until):
    import select
    try:
        done = bool(select.select([pipe], [], [], max(0.0, until - time.monotonic()))[0])
    except OSError:
        done = True
    os.close(pipe)
    if done:
        try:
            os.waitpid(pid, os.WNOHANG)
        except OSError:
            pass
    return done


def paint(text, code, color):
    return "\033[%sm%s\033[0m" % (code, text) if color and code else text


def usd(v):
    return "$" + format(v, ",.2f")


def cost_text(cost, priced, unpriced):
    """A cost, never $0.00 for what has no price: '$1.23 + unpriced'."""
    if cost is not None and not unpriced:
        return usd(cost)
    return usd(priced or 0) + " + unpriced"


def local_day_bounds():
    """Today's local day as UTC quarter-hour bucket bounds [start, end)."""
    t = time.localtime()
    start = time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))
    end = time.mktime((t.tm_year, t.tm_mon, t.tm_mday + 1, 0, 0, 0, 0, 0, -1))
    f = "%Y-%m-%dT%H:%M"
    return time.strftime(f, time.gmtime(start)), time.strftime(f, time.gmtime(end))


def numbers(con, session_id):
    """The line's numbers, each from one query."""
    out = {}
    if session_id:
        out["session"] = con.execute(
            "SELECT s.cost_usd, t.priced_cost_usd, t.requests - t.priced_requests FROM sessions s"
            " JOIN session_totals t ON t.agent = s.agent AND t.session_id = s.session_id"
            " WHERE s.agent = 'claude' AND s.session_id = ?", (session_id,)).fetchone()
    start, end = local_day_bounds()
    out["today"] = con.execute(
        "SELECT CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END, sum(priced_cost_usd),"
        " sum(requests) - sum(priced_requests), sum(requests) FROM usage_buckets WHERE bucket >= ? AND bucket < ?",
        (start, end)).fetchone()
    out["block"] = con.execute(
        "SELECT cost_usd, (SELECT sum(requests) - sum(priced_requests) FROM usage_buckets"
        "                   WHERE bucket >= substr(b.start_at, 1, 16) AND bucket < substr(b.end_at, 1, 16)),"
        " (julianday(end_at) - julianday('now')) * 1440, cost_per_hour, priced_cost_usd"
        " FROM blocks b WHERE is_gap = 0 AND is_active = 1 ORDER BY start_at DESC LIMIT 1").fetchone()
    out["rest"] = con.execute("SELECT level, continuous_minutes, minutes_since_activity FROM rest_status").fetchone()
    import lumo_limits
    out["limits"] = lumo_limits.windows(con)
    return out


def render(model, n, color):
    parts = [paint(model, "1", color)] if model else []
    s = n.get("session")
    if s:
        parts.append("session " + cost_text(s[0], s[1], s[2]))
    elif "session" in n:
        parts.append("session: no request synced yet")
    t = n["today"]
    parts.append("today " + (cost_text(t[0], t[1], t[2]) if t and t[3] else usd(0)))
    b = n["block"]
    if b:
        left = max(0, int(b[2] or 0))
        # the burn rate of a block with unpriced requests is unknown, not the priced part's
        rate = ", %s/h" % usd(b[3]) if b[3] is not None else ", $?/h" if b[1] else ""
        parts.append("block %s, %dh %02dm left%s" % (cost_text(b[0], b[4], b[1]), left // 60, left % 60, rate))
    else:
        parts.append("no active block")
    import lumo_limits  # Codex's plan-limit windows, when it has written any
    parts += lumo_limits.window_lines(n.get("limits") or [], compact=True)
    r = n["rest"]
    if r and r[0] in LEVEL:
        name, code = LEVEL[r[0]]
        mins = r[1] or 0
        parts.append(paint(name, code, color) + (" %d min without a break" % mins if mins else ""))
    return " | ".join(parts)


def main(argv):
    import lumo_cli
    args = parse(argv)
    lumo_cli.setup_zone(args)
    color = not os.environ.get("NO_COLOR")
    deadline = T0 + args.timeout / 1000.0
    raw = read_input()
    import sqlite3
    mem = sqlite3.connect(":memory:")
    session_id, transcript, display, model_id = fields(mem, raw)
    mem.close()
    model = display or model_id
    path = lumo_cli.db_path(args)[0]
    cache = os.path.join(os.path.dirname(os.path.abspath(path)), "statusline.txt")
    err_file = os.path.join(os.path.dirname(os.path.abspath(path)), "statusline-sync.err")
    con, sync_problem, pipe = None, None, None

    def connect():
        c = sqlite3.connect(lumo_cli.uri(path) + "?mode=ro", uri=True, timeout=max(0.0, deadline - time.monotonic()))
        c.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        c.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # reads the schema (2-3 ms at 1 GB)
        return c
    if not args.no_sync:
        root = sync_target(transcript, claude_root(transcript), os.path.isfile(path))
        try:
            pipe, pid = start_sync(args, root) if root else (None, None)
        except OSError as e:  # no directory for the database, no fork: the line says so
            pipe, sync_problem = None, "lumo: cannot sync: %s" % e
        if pipe is not None:
            if os.path.isfile(path):  # meanwhile: each query reads the database as the sync left it
                try:
                    con = connect()
                except sqlite3.Error:
                    con = None
            wait_sync(pipe, pid, min(deadline, T0 + args.wait / 1000.0))

    def fallback(why):
        try:
            with open(cache, encoding="utf-8") as f:
                line = f.read().strip()
        except OSError:
            line = ""
        if line:
            return line + " (cached: %s)" % why
        return " | ".join(([paint(model, "1", color)] if model else []) + ["lumo: " + why])

    if not os.path.isfile(path):
        line = fallback("first sync running" if pipe is not None else sync_problem[len("lumo: "):] if sync_problem
                        else "no database yet (lumo sync creates it)")
    else:
        try:
            con = con or connect()
            n = numbers(con, session_id)
            con.close()
            line = render(model, n, color)
            try:
                with open(err_file, encoding="utf-8") as f:
                    line += " | lumo: sync failed: " + f.read().strip()
            except OSError:
                pass
            if sync_problem:
                line += " | " + sync_problem
            try:
                with open(cache + ".tmp", "w", encoding="utf-8") as f:
                    f.write(line + "\n")
                os.replace(cache + ".tmp", cache)
            except OSError:
                pass
        except sqlite3.Error as e:
            # the connection's busy timeout is the time left before --timeout: a writer that
            # holds the database longer (an exclusive lock) gives "locked", said as such
            line = fallback("timed out" if "interrupt" in str(e) else
                            "first sync running" if "no such table" in str(e) else
                            "database locked by another process" if "locked" in str(e) else
                            "cannot read %s: %s" % (path, e))
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


def run(argv):
    import lumo_cli
    try:
        code = main(argv)
    except lumo_cli.Fail as e:
        sys.stderr.write("lumo: %s\n" % e)
        code = e.code
    except BrokenPipeError:
        code = 0
    sys.exit(code)
