#!/usr/bin/env python3
"""bench.py: `make bench`. Times lumo next to the peer users would pick (ccusage) on
the same synthetic corpora, in one run, and writes tests/bench/results.md.

- corpora: tests/bench/corpus/{100M,1G}, made once by tests/bench/gen_corpus.py with fixed
  seeds and kept between runs (with their ground truth, expected.json);
- peers: ccusage@20.0.24 (native binary) and ccusage@17 (JavaScript), installed with npm
  into tests/bench/peers/ on first use; HOME points at an empty folder so they read
  nothing else, CLAUDE_CONFIG_DIR at the corpus, TZ=UTC;
- each task: one untimed warm-up, then REPS timed runs (min and median wall time,
  peak RSS from /usr/bin/time); cold runs drop the page cache first where permitted;
- the lumo command as people type it (daily with and without its sync, statusline, today)
  beside ccusage's daily on the same home, median of BENCH_CLI_REPS (20) runs;
- correctness: lumo's totals must equal the generator's truth, and lumo's and ccusage's
  token totals are compared (differences are printed with their reason);
- re-pricing a million stored rows (tests/bench/reprice.py, BENCH_REPRICE_ROWS);
- the search index: build time, share of the database, search times (tests/bench/search.py).
Not part of `make test`: timings depend on the machine.
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from gen_corpus import GENERATOR  # noqa: E402  (a corpus of another version is made again)
CORPUS = os.path.join(HERE, "corpus")
PEERS = os.path.join(HERE, "peers")
SO = os.environ.get("BENCH_LUMO", os.path.join(ROOT, "dist", "lumo"))  # the extension, without .so
REPS = int(os.environ.get("BENCH_REPS", "3"))
SIZES = os.environ.get("BENCH_SIZES", "100M:1,1G:2").split(",")
EMPTY_HOME = tempfile.mkdtemp(prefix="lumo-bench-home-")


def sh(cmd, env=None, check=True):
    return subprocess.run(cmd, shell=True, env=env, capture_output=True, text=True, check=check)


def tree_bytes(d):
    return sum(os.path.getsize(os.path.join(a, f)) for a, _, fs in os.walk(d) for f in fs)


def corpus(size, seed):
    d = os.path.join(CORPUS, size)
    exp = os.path.join(d, "expected.json")
    stale = not os.path.exists(exp) or json.load(open(exp)).get("generator") != GENERATOR
    if stale:
        shutil.rmtree(d, ignore_errors=True)
        print("generating %s corpus (seed %s) ..." % (size, seed), flush=True)
        sh("%s %s/gen_corpus.py --out %s --size %s --seed %s" % (sys.executable, HERE, d, size, seed))
    return d


def peer(name, spec):
    d = os.path.join(PEERS, name)
    if not os.path.exists(os.path.join(d, "node_modules", ".bin", "ccusage")):
        print("installing %s with npm ..." % spec, flush=True)
        os.makedirs(d, exist_ok=True)
        r = sh("cd %s && npm install --no-audit --no-fund --silent %s" % (d, spec), check=False)
        if r.returncode:
            print("  npm install %s failed: %s" % (spec, r.stderr[-300:]))
            return None
    native = os.path.join(d, "node_modules", "@ccusage", "ccusage-linux-x64", "bin", "ccusage")
    if os.path.exists(native):
        os.chmod(native, 0o755)  # npm leaves it without its execute bit
        return native
    return os.path.join(d, "node_modules", ".bin", "ccusage")


def drop_caches():
    try:
        subprocess.run(["sync"], check=False)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def timed(cmd, env, cold=False, setup=None):
    """(seconds, peak RSS KiB, stdout) of one run; setup runs first, untimed."""
    if setup:
        sh(setup, env=env)
    if cold:
        drop_caches()
    tf = tempfile.NamedTemporaryFile(delete=False)
    tf.close()
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name, "sh", "-c", cmd], env=env,
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    rss = int(open(tf.name).read().split()[-1])
    os.unlink(tf.name)
    if r.returncode:
        raise SystemExit("failed: %s\n%s" % (cmd, r.stderr[-2000:]))
    return dt, rss, r.stdout


def measure(cmd, env, cold=False, setup=None, reps=None):
    timed(cmd, env, setup=setup)  # warm-up (and the page cache for warm runs)
    runs = [timed(cmd, env, cold, setup) for _ in range(reps or REPS)]
    secs = sorted(t for t, _, _ in runs)
    return {"min": secs[0], "median": statistics.median(secs), "rss": max(m for _, m, _ in runs), "out": runs[0][2]}


def lumo_sql(sql):
    return "sqlite3 -json -cmd '.load %s' :memory: \"%s\"" % (SO, sql)


def main():
    cold_ok = drop_caches()
    rows, notes = [], []
    peers = {"ccusage 20.0.24 (native)": peer("ccusage20", "ccusage@20.0.24"),
             "ccusage 17 (JavaScript)": peer("ccusage17", "ccusage@17")}
    for spec in SIZES:
        size, seed = spec.split(":")
        d = corpus(size, seed)
        exp = json.load(open(os.path.join(d, "expected.json")))
        root = os.path.join(d, "claude")
        mb = exp["bytes"] / 1e6
        env = dict(os.environ, HOME=EMPTY_HOME, CLAUDE_CONFIG_DIR=root, TZ="UTC", LC_ALL="C",
                   CODEX_HOME=os.path.join(d, "codex"), GEMINI_DATA_DIR=os.path.join(d, "gemini", "tmp"))
        agent_mb = {"codex": tree_bytes(os.path.join(d, "codex")) / 1e6, "gemini": tree_bytes(os.path.join(d, "gemini")) / 1e6,
                    "claude": tree_bytes(root) / 1e6}
        tasks = [
            ("cat all files to /dev/null (floor)", "cat", "find %s -type f -name '*.jsonl' -print0 | xargs -0 cat > /dev/null" % root),
            ("claude_usage full scan: sum of tokens", "lumo",
             lumo_sql("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr, "
                      "sum(cache_write_5m_tokens + cache_write_1h_tokens) cc FROM claude_usage('%s')" % root)),
            ("claude_usage full scan, one thread", "lumo (LUMO_THREADS=1)",
             "LUMO_THREADS=1 " + lumo_sql("SELECT sum(input_tokens + output_tokens + cache_read_tokens) FROM claude_usage('%s')" % root)),
            ("claude_usage per day and model", "lumo",
             lumo_sql("SELECT substr(timestamp,1,10), model, sum(input_tokens), sum(output_tokens), sum(cost_usd) FROM claude_usage('%s') GROUP BY 1, 2" % root)),
            ("claude_messages count(*)", "lumo", lumo_sql("SELECT count(*) FROM claude_messages('%s')" % root)),
            ("codex_usage full scan (Codex files only)", "lumo",
             lumo_sql("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr"
                      " FROM codex_usage('%s/codex')" % d)),
            ("gemini_usage full scan (Gemini files only)", "lumo",
             lumo_sql("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) cr"
                      " FROM gemini_usage('%s/gemini')" % d)),
        ]
        # Pushdown: one session's messages, and usage since the corpus's last day.
        one = sorted(f for f in os.listdir(os.path.join(root, "projects", sorted(os.listdir(os.path.join(root, "projects")))[0]))
                     if f.endswith(".jsonl"))[0][:-6]
        last_day = exp["daily"][-1]["date"]
        tasks += [
            ("claude_messages WHERE session_id = one session", "lumo",
             lumo_sql("SELECT count(*) FROM claude_messages('%s') WHERE session_id = '%s'" % (root, one))),
            ("claude_usage WHERE timestamp >= last day", "lumo",
             lumo_sql("SELECT count(*) FROM claude_usage('%s') WHERE timestamp >= '%s'" % (root, last_day))),
            # issue 16.9: a join of two source tables costs about their two scans (the
            # usage side answers from its finished scan), against the sum of the two rows above
            ("claude_messages JOIN claude_usage ON message_id", "lumo",
             lumo_sql("SELECT count(*), sum(u.output_tokens) FROM claude_messages('%s') m"
                      " JOIN claude_usage('%s') u ON u.message_id = m.message_id" % (root, root))),
        ]
        # The lumo database: first sync, re-sync, re-sync after one appended message, views.
        dbdir = os.path.join(CORPUS, "db-" + size)
        os.makedirs(dbdir, exist_ok=True)
        db = os.path.join(dbdir, "lumo.db")
        extra = os.path.join(dbdir, "extra", "projects", "-bench-append")
        os.makedirs(extra, exist_ok=True)
        target = os.path.join(extra, "append.jsonl")
        open(target, "w").close()
        roots = "%s,%s" % (root, os.path.join(dbdir, "extra"))
        sync_sql = "SELECT lumo_sync('%s')" % roots
        append_sh = os.path.join(dbdir, "append.sh")
        with open(append_sh, "w") as fh:  # one new streamed response with a fresh id, written now
            fh.write('n=$(date +%%s%%N)\nt=$(date -u +%%Y-%%m-%%dT%%H:%%M:%%S.000Z)\nprintf \'{"type":"assistant","timestamp":"%%s",'
                     '"requestId":"req_%%s","message":{"id":"msg_%%s","model":"claude-sonnet-4-5",'
                     '"usage":{"input_tokens":1,"output_tokens":2}}}\\n\' "$t" "$n" "$n" >> %s\n' % target)
        append = "sh " + append_sh
        tasks += [
            ("first sync of the Claude files into a new database", "lumo",
             "rm -f %s %s-wal %s-shm && sqlite3 -cmd '.load %s' %s \"%s\"" % (db, db, db, SO, db, sync_sql)),
            ("re-sync of the Claude files, nothing changed", "lumo", "sqlite3 -cmd '.load %s' %s \"%s\"" % (SO, db, sync_sql)),
            # the append is the agent's write: it runs before each timed run, untimed
            ("re-sync of the Claude files after appending one message", "lumo",
             "sqlite3 -cmd '.load %s' %s \"%s\"" % (SO, db, sync_sql), append),
        ]
        view_names = sorted(f[3:-4] for f in os.listdir(os.path.join(ROOT, "views")) if f.endswith(".sql"))
        tasks.append(("find + stat of every file (floor of a re-sync)", "find",
                      "find %s -name '*.jsonl' -printf '%%s %%T@ %%i\\n' > /dev/null" % root))
        # Report views in full; the two per-row detail views as they are used (by
        # `scripts/lumo report --since/--until` and Datasette facets: with literal
        # values): one session's history, one day's requests. The session id and the
        # day are looked up by a first sqlite3 call, included in the time.
        detail = {"session_messages": " WHERE session_id = '$(sqlite3 %s \"SELECT session_id FROM usage ORDER BY timestamp DESC LIMIT 1\")'" % db,
                  "usage_local": " WHERE day = '$(sqlite3 %s \"SELECT max(day) FROM daily\")'" % db}
        for v in view_names:
            where = detail.get(v, "")
            tasks.append(("view %s%s (synced database, no extension)" % (v, " for one session" if v == "session_messages" else
                                                                          " for one day" if v == "usage_local" else ""), "lumo",
                          "sqlite3 %s \"SELECT * FROM %s%s\" > /dev/null" % (db, v, where)))
        for name, path in peers.items():
            if not path:
                notes.append("%s could not be installed; its rows are missing." % name)
                continue
            if "17" in name and size != SIZES[0].split(":")[0]:
                continue  # the JavaScript baseline only on the small corpus (tens of seconds per GB)
            sub = "claude daily" if "20" in name else "daily"
            tasks.append(("daily report, JSON, offline", name, "%s %s --json --offline" % (path, sub)))
            if "20" in name:
                tasks.append(("daily report, all agents, JSON, offline", name, "%s daily --json --offline" % path))
            if "20" in name:
                tasks.append(("session report, JSON, offline", name, "%s claude session --json --offline" % path))
        results = {}
        for task, tool, cmd, *setup in tasks:
            print("%s | %s | %s ..." % (size, task, tool), flush=True)
            m = measure(cmd, env, setup=setup[0] if setup else None)
            results[(task, tool)] = m
            tmb = agent_mb["codex"] if task.startswith("codex") else agent_mb["gemini"] if task.startswith("gemini") else mb
            rows.append((size, "warm", task, tool, m, tmb))
            if cold_ok and task.startswith(("cat", "claude_usage full scan: ")):
                c = measure(cmd, env, cold=True)
                rows.append((size, "cold", task, tool, c, tmb))
        # issue 19.10: the lumo command as people use it, whole process, warm, median of
        # CLI_REPS, beside ccusage's daily on the same home, in this run
        cli_latencies(size, d, root, db, peers, env, rows, notes, mb)
        # issue 20 point 5: the search index (built on a copy of the synced database)
        import search as search_bench
        notes += search_bench.measure(db, size)
        # issue 16.9: the join against its two scans, in this run (target <= 3x)
        join = results[("claude_messages JOIN claude_usage ON message_id", "lumo")]["median"]
        two = (results[("claude_usage full scan: sum of tokens", "lumo")]["median"]
               + results[("claude_messages count(*)", "lumo")]["median"])
        notes.append("%s: claude_messages JOIN claude_usage on message_id took %.3f s, %.2fx the two scans (%.3f s)"
                     " (target <= 3x)." % (size, join, join / two, two))
        # correctness: lumo equals the truth; lumo vs ccusage
        got = json.loads(results[("claude_usage full scan: sum of tokens", "lumo")]["out"])[0]
        t = exp["totals"]
        truth = {"n": t["messages"], "i": t["input"], "o": t["output"], "cr": t["cache_read"],
                 "cc": t["cache_write_5m"] + t["cache_write_1h"]}
        notes.append("%s: lumo totals %s the generator's truth %s." % (size, "equal" if got == truth else "DIFFER FROM", truth))
        for agent, task in (("codex", "codex_usage full scan (Codex files only)"), ("gemini", "gemini_usage full scan (Gemini files only)")):
            g = json.loads(results[(task, "lumo")]["out"])[0]
            t = exp["other_totals"][agent]
            truth = [t["messages"], t["input"], t["output"], t["cache_read"]]
            notes.append("%s: lumo %s totals %s the generator's truth %s." % (
                size, agent, "equal" if [g["n"], g["i"], g["o"], g["cr"]] == truth else "DIFFER FROM", truth))
        key_all = ("daily report, all agents, JSON, offline", "ccusage 20.0.24 (native)")
        if key_all in results:
            cc = json.loads(results[key_all]["out"])["totals"]
            mine = {"input": got["i"], "output": got["o"], "cache_read": got["cr"]}
            for agent, task in (("codex", "codex_usage full scan (Codex files only)"), ("gemini", "gemini_usage full scan (Gemini files only)")):
                g = json.loads(results[(task, "lumo")]["out"])[0]
                mine["input"] += g["i"]
                mine["output"] += g["o"]
                mine["cache_read"] += g["cr"]
            theirs = {"input": cc["inputTokens"], "output": cc["outputTokens"], "cache_read": cc["cacheReadTokens"]}
            why = ""
            if theirs != mine:
                thoughts = exp["other_totals"]["gemini"]["reasoning"]
                gap = mine["output"] - theirs["output"]
                why = (" (lumo equals the generator's truth for every agent; the output gap, %d, %s the Gemini thoughts"
                       " (%d): ccusage leaves thoughts out of outputTokens although it prices them as output)"
                       % (gap, "equals" if gap == thoughts and theirs["input"] == mine["input"] else "is not", thoughts))
            notes.append("%s: all agents, ccusage 20.0.24 %s lumo: ccusage %s, lumo %s%s." % (
                size, "equals" if theirs == mine else "differs from", theirs, mine, why))
        key = ("daily report, JSON, offline", "ccusage 20.0.24 (native)")
        if key in results:
            daily = json.loads(results[key]["out"])["daily"]
            cc = {"i": sum(x["inputTokens"] for x in daily), "o": sum(x["outputTokens"] for x in daily),
                  "cr": sum(x["cacheReadTokens"] for x in daily), "cc": sum(x["cacheCreationTokens"] for x in daily)}
            mine = {k: got[k] for k in cc}
            if cc == mine:
                notes.append("%s: ccusage 20.0.24 token totals equal lumo's %s." % (size, mine))
            else:
                diff = {k: cc[k] - mine[k] for k in cc}
                notes.append("%s: ccusage 20.0.24 differs from lumo by %s (ccusage minus lumo). lumo equals the "
                             "generator's truth; ccusage drops lines it cannot parse whole and keeps replays "
                             "differently (see README)." % (size, diff))
    # issue 17 point 4: re-pricing a million stored rows (tests/bench/reprice.py)
    import reprice
    notes += reprice.measure()[1]
    write(rows, notes, cold_ok)


CLI_REPS = int(os.environ.get("BENCH_CLI_REPS", "20"))


def cli_latencies(size, d, root, db, peers, env, rows, notes, mb):
    """`lumo daily` with its incremental sync, `lumo daily --no-sync`, `lumo statusline` (the
    JSON Claude Code passes, for one of the corpus's sessions) and `lumo today`, against the
    synced database, and ccusage 20's `daily` on the same home. lumo runs as its #! line
    runs it (python3 -I -S), with Debian's python3 (one that can load the extension).
    Targets (issue 19.10): daily 80 ms, daily --no-sync 40 ms, statusline 50 ms."""
    lumo = "/usr/bin/python3 -I -S %s" % os.path.join(ROOT, "scripts", "lumo")
    cenv = dict(env, LUMO_DB=db, LUMO_EXTENSION=SO + ".so", NO_COLOR="1",
                XDG_DATA_HOME=os.path.join(EMPTY_HOME, "data"), LUMO_OTLP_DIR=os.path.join(EMPTY_HOME, "otlp"))
    cenv.pop("GEMINI_CLI_HOME", None)
    proj = sorted(os.listdir(os.path.join(root, "projects")))[0]
    sid = sorted(f for f in os.listdir(os.path.join(root, "projects", proj)) if f.endswith(".jsonl"))[0][:-6]
    status_in = os.path.join(os.path.dirname(db), "statusline-input.json")
    with open(status_in, "w") as f:
        json.dump({"hook_event_name": "Status", "session_id": sid,
                   "transcript_path": os.path.join(root, "projects", proj, sid + ".jsonl"),
                   "cwd": "/bench", "model": {"id": "claude-opus-4-6", "display_name": "Opus"},
                   "workspace": {"current_dir": "/bench", "project_dir": "/bench"},
                   "cost": {"total_cost_usd": 1.0}}, f)
    # the statusline's sync goes on after it answers: the next run starts when it is done
    wait_sync = "flock %s true" % os.path.join(os.path.dirname(db), "statusline.lock")
    tasks = [("lumo daily (incremental sync first)", "%s daily" % lumo, None, 0.080),
             ("lumo daily --no-sync", "%s daily --no-sync" % lumo, None, 0.040),
             ("lumo statusline (Claude Code's JSON on stdin)", "%s statusline < %s" % (lumo, status_in), wait_sync, 0.050),
             ("lumo today", "%s today" % lumo, None, None)]
    cc = peers.get("ccusage 20.0.24 (native)")
    if cc:
        tasks.append(("ccusage daily (all agents, table)", "%s daily --offline" % cc, None, None))
    got = []
    for task, cmd, setup, target in tasks:
        print("%s | %s ..." % (size, task), flush=True)
        m = measure(cmd, cenv, setup=setup, reps=CLI_REPS)
        tool = task.split()[0]
        rows.append((size, "warm", "command: " + task + " (median of %d)" % CLI_REPS, tool, m, mb))
        got.append("%s %.0f ms%s" % (task, m["median"] * 1000, " (target %.0f)" % (target * 1000) if target else ""))
    notes.append("%s: the lumo command, whole process, warm, median of %d, in one run: %s." % (size, CLI_REPS, "; ".join(got)))


def write(rows, notes, cold_ok):
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    out = ["# lumo benchmark results", "",
           "Written by `make bench` (tests/bench/bench.py) on %s: %d cores (%s), %.0f GiB RAM, %s, SQLite %s. "
           "Corpora from tests/bench/gen_corpus.py %s (fixed seeds). Times are wall-clock seconds of the whole "
           "command (process start included), %d runs after one warm-up; MB/s uses the median. "
           "The re-sync after an appended message times the sync alone: the message is appended (as the "
           "agent would) before each run. "
           "`x cat` = cat's time / the tool's time (1.00 = as fast as reading the files with cat); "
           "`vs fastest peer` = ccusage 20's daily report time / lumo's time for the same totals "
           "(above 1: lumo is faster)."
           % (time.strftime("%Y-%m-%d"), os.cpu_count(), cpu, mem, platform.platform(),
              sh("sqlite3 --version").stdout.split()[0], GENERATOR.split()[-1], REPS), ""]
    if not cold_ok:
        out += ["Cold-cache runs were skipped: writing /proc/sys/vm/drop_caches is not permitted here.", ""]
    out += ["| corpus | cache | task | tool | min s | median s | MB/s | x cat | vs fastest peer | peak RSS MiB |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for size, cache, task, tool, m, mb in rows:
        cat = [r[4] for r in rows if r[0] == size and r[1] == cache and r[3] == "cat"]
        peer = [r[4]["median"] for r in rows if r[0] == size and r[1] == cache and r[3].startswith("ccusage 20")
                and "daily" in r[2]]
        xcat = "%.2f" % (cat[0]["median"] / m["median"]) if cat else ""
        peer_all = [r[4]["median"] for r in rows if r[0] == size and r[1] == cache and r[3].startswith("ccusage 20")
                    and "all agents" in r[2]]
        vs = "%.1fx" % (peer[0] / m["median"]) if peer and tool.startswith("lumo") and task.startswith("claude_usage") else ""
        if peer_all and tool.startswith("lumo") and task.startswith(("codex_usage", "gemini_usage")):
            vs = "(ccusage all agents: %.3f s)" % peer_all[0]
        out.append("| %s | %s | %s | %s | %.3f | %.3f | %.0f | %s | %s | %.1f |" % (
            size, cache, task, tool, m["min"], m["median"], mb / m["median"], xcat, vs, m["rss"] / 1024))
    out += ["", "## Notes", ""] + ["- " + n for n in notes] + [""]
    path = os.path.join(HERE, "results.md")
    # the sections other scripts write stay as they were: from the first marked one (the
    # dashboard's, <!-- name:start -->) or the growth table of `make bench-scale` on
    old = open(path).read() if os.path.exists(path) else ""
    mark = "## Growth (make bench-scale)"
    at = min([i for i in (old.find("\n<!-- "), old.find("\n" + mark)) if i >= 0], default=-1)
    keep = old[at:] if at >= 0 else ""
    open(path, "w").write("\n".join(out) + keep)
    print("\n".join(out))


if __name__ == "__main__":
    main()
