#!/usr/bin/env python3
"""bench_scale.py: `make bench-scale` (issue 22). How lumo's costs grow from 100 MB to 1 GB to
10 GB of transcripts, all sizes in one run so that the ratios between them mean something on
a machine whose speed drifts from hour to hour.

- corpora: tests/bench/corpus/{100M,1G} (shared with `make bench`) and 10G (seed 3, ~50,000
  files), all from tests/bench/gen_corpus.py; the 10 GB generator run is timed on its own and
  the 10G corpus is deleted at the end (BENCH_SCALE_KEEP=1 keeps it);
- per size: cat of the Claude files (floor), claude_usage full scan (peak RSS and bytes of RSS
  per distinct request), the first `scripts/lumo sync` into a new database (whole process,
  every agent), the re-sync with nothing new, the re-sync after one appended message, every
  view on the synced database (plain sqlite3, no extension), `scripts/lumo daily`, and the
  database's bytes per byte of transcripts; cold page cache rows where /proc/sys/vm/drop_caches
  can be written;
- the growth table goes into tests/bench/results.md (its section "Growth", which `make bench`
  keeps) and examples/growth.png (gnuplot; skipped with a note when gnuplot is missing).
Sizes: BENCH_SCALE_SIZES (default 100M:1,1G:2,10G:3); repeats: BENCH_REPS (3; 1 for the first
sync of corpora of 5 GB and more, which takes a minute).
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (helpers: timed runs, corpora, the lumo paths)

HERE, ROOT, CORPUS, SO = bench.HERE, bench.ROOT, bench.CORPUS, bench.SO
SIZES = os.environ.get("BENCH_SCALE_SIZES", "100M:1,1G:2,10G:3").split(",")
REPS = bench.REPS
LUMO = "/usr/bin/python3 -I -S %s" % os.path.join(ROOT, "scripts", "lumo")
MARK = "## Growth (make bench-scale)"


def gen(size, seed):
    """The corpus of size, generated now if missing: (dir, generator seconds or None)."""
    d = os.path.join(CORPUS, size)
    exp = os.path.join(d, "expected.json")
    took = os.path.join(CORPUS, "gen-time-" + size)  # the generator's time, kept beside the corpus
    if os.path.exists(exp) and json.load(open(exp)).get("generator") == bench.GENERATOR:
        return d, float(open(took).read()) if os.path.exists(took) else None
    shutil.rmtree(d, ignore_errors=True)
    print("generating %s corpus (seed %s) ..." % (size, seed), flush=True)
    t0 = time.perf_counter()
    bench.sh("%s %s/gen_corpus.py --out %s --size %s --seed %s" % (sys.executable, HERE, d, size, seed))
    open(took, "w").write("%.1f" % (time.perf_counter() - t0))
    return d, float(open(took).read())


def files_in(d):
    return sum(len(fs) for _, _, fs in os.walk(d))


def one_size(size, seed, cold_ok):
    d, gen_s = gen(size, seed)
    exp = json.load(open(os.path.join(d, "expected.json")))
    root = os.path.join(d, "claude")
    total_bytes = bench.tree_bytes(os.path.join(d, "claude")) + bench.tree_bytes(os.path.join(d, "codex")) + \
        bench.tree_bytes(os.path.join(d, "gemini"))
    dbdir = os.path.join(CORPUS, "scale-db-" + size)
    shutil.rmtree(dbdir, ignore_errors=True)
    extra = os.path.join(dbdir, "extra")
    os.makedirs(os.path.join(extra, "projects", "-bench-append"))
    target = os.path.join(extra, "projects", "-bench-append", "append.jsonl")
    open(target, "w").close()
    db = os.path.join(dbdir, "lumo.db")
    home = os.path.join(dbdir, "home")
    os.makedirs(home)  # no OTLP dumps, no OpenCode: their default places under it are empty
    env = dict(os.environ, HOME=home, CLAUDE_CONFIG_DIR="%s,%s" % (root, extra), TZ="UTC", LC_ALL="C",
               CODEX_HOME=os.path.join(d, "codex"), GEMINI_DATA_DIR=os.path.join(d, "gemini", "tmp"),
               LUMO_DB=db, LUMO_EXTENSION=SO + ".so", NO_COLOR="1")
    for k in ("GEMINI_CLI_HOME", "XDG_DATA_HOME", "LUMO_OTLP_DIR"):
        env.pop(k, None)
    append_sh = os.path.join(dbdir, "append.sh")
    # one new response with a fresh id, as the agent writes it: the newest of the history.
    # The generator lays sessions out from 2026-01-01 on, so the 10 GB home runs into 2033;
    # a response timed now would land in its middle and make the sync compute every later
    # 5-hour block again (7,859 of them, 0.18 s), which no real home, whose history ends
    # now, pays. It is timed after the home's last day when that is later than now.
    last = max(day["date"] for day in exp["daily"])
    after = time.strftime("%Y-%m-%dT00:00:00.000Z", time.gmtime(time.mktime(time.strptime(last, "%Y-%m-%d")) + 86400 + 43200))
    with open(append_sh, "w") as fh:
        fh.write('n=$(date +%%s%%N)\nt=$(date -u +%%Y-%%m-%%dT%%H:%%M:%%S.000Z)\n[ "$t" \\> "%s" ] || t=%s\n'
                 'printf \'{"type":"assistant","timestamp":"%%s",'
                 '"requestId":"req_%%s","message":{"id":"msg_%%s","model":"claude-sonnet-4-5",'
                 '"usage":{"input_tokens":1,"output_tokens":2}}}\\n\' "$t" "$n" "$n" >> %s\n' % (after, after, target))
    big = exp["bytes"] >= 5 << 30
    r = {"size": size, "bytes": total_bytes, "claude_bytes": exp["bytes"], "files": files_in(d), "gen_s": gen_s}

    def run(name, cmd, setup=None, reps=None, warm=True):
        print("%s | %s ..." % (size, name), flush=True)
        if warm:
            m = bench.measure(cmd, env, setup=setup, reps=reps)
        else:  # no warm-up: one run is a minute at 10 GB (the page cache is warm from the scans before)
            runs = [bench.timed(cmd, env, setup=setup) for _ in range(reps or REPS)]
            secs = sorted(t for t, _, _ in runs)
            m = {"min": secs[0], "median": secs[len(secs) // 2], "rss": max(x for _, x, _ in runs), "out": runs[0][2]}
        r[name] = m
        return m

    cat = "find %s -type f -name '*.jsonl' -print0 | xargs -0 cat > /dev/null" % root
    scan = bench.lumo_sql("SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM claude_usage('%s')" % root)
    run("cat", cat)
    m = run("scan", scan)
    got = json.loads(m["out"])[0]
    r["requests"] = got["n"]
    r["scan_exact"] = got["n"] == exp["totals"]["messages"] and got["o"] == exp["totals"]["output"]
    if cold_ok:
        for name, cmd in (("cat cold", cat), ("scan cold", scan)):
            print("%s | %s ..." % (size, name), flush=True)
            runs = [bench.timed(cmd, env, cold=True) for _ in range(REPS)]
            secs = sorted(t for t, _, _ in runs)
            r[name] = {"min": secs[0], "median": secs[len(secs) // 2], "rss": max(x for _, x, _ in runs)}
    first = "rm -f %s %s-wal %s-shm && %s sync" % (db, db, db, LUMO)
    run("first sync", first, reps=1 if big else None, warm=not big)
    r["db_bytes"] = os.path.getsize(db)
    run("re-sync", "%s sync" % LUMO)
    run("append", "%s sync" % LUMO, setup="sh " + append_sh)
    views = sorted(f[3:-4] for f in os.listdir(os.path.join(ROOT, "views")) if f.endswith(".sql"))
    # the views of one session (a session's messages, its timeline) are read for one session
    one_session = " WHERE session_id = '$(sqlite3 %s \"SELECT session_id FROM usage ORDER BY timestamp DESC LIMIT 1\")'" % db
    detail = {"session_messages": one_session, "session_timeline": one_session,
              "usage_local": " WHERE day = '$(sqlite3 %s \"SELECT max(day) FROM daily\")'" % db}
    vt = {}
    for v in views:
        m = run("view " + v, "sqlite3 %s \"SELECT * FROM %s%s\" > /dev/null" % (db, v, detail.get(v, "")),
                reps=1 if big else None, warm=not big)
        vt[v] = m["median"]
    r["views"] = vt
    run("lumo daily", "%s daily > /dev/null" % LUMO, reps=max(REPS, 5))
    r["sync_summary"] = json.loads(bench.sh(
        "sqlite3 %s \"SELECT json_object('usage', (SELECT count(*) FROM usage), 'messages', (SELECT count(*) FROM messages),"
        " 'tool_uses', (SELECT count(*) FROM tool_uses))\"" % db).stdout)
    shutil.rmtree(dbdir, ignore_errors=True)
    if big and not os.environ.get("BENCH_SCALE_KEEP"):
        shutil.rmtree(d, ignore_errors=True)
    return r


def fmt_s(x):
    return "%.3f" % x if x < 10 else "%.1f" % x


def table(res, cold_ok, started, ended):
    base = next((r for r in res if r["size"] == "1G"), res[0])
    out = [MARK, "",
           "Written by `make bench-scale` (tests/bench/bench_scale.py), %s to %s UTC, %d cores, shared with other"
           " work (figures drift up to 2x from hour to hour; compare the sizes of this one run). Corpora from"
           " tests/bench/gen_corpus.py %s; times are wall-clock seconds of the whole command, median of %d runs after a"
           " warm-up (at 10 GB the first sync and each view: one run, no warm-up). `x 1G`: the figure divided by the 1 GB"
           " one of this run (10x the bytes: 10.0 is linear)." % (started, ended, os.cpu_count(), bench.GENERATOR.split()[-1],
                                                          REPS), "",
           "| | " + " | ".join(r["size"] for r in res) + " | " + " | ".join("x 1G (%s)" % r["size"] for r in res if r is not base) + " |",
           "|---" * (1 + len(res) + len(res) - 1) + "|"]

    def row(label, f, unit=fmt_s, ratio=True):
        vals = [f(r) for r in res]
        cells = [unit(v) if v is not None else "n/a" for v in vals]
        bv = f(base)
        rat = ["%.2f" % (f(r) / bv) if ratio and f(r) is not None and bv else "" for r in res if r is not base]
        out.append("| %s | %s | %s |" % (label, " | ".join(cells), " | ".join(rat)))

    row("transcript bytes (all agents)", lambda r: r["bytes"], lambda v: "%.0f MB" % (v / 1e6))
    row("files", lambda r: r["files"], lambda v: "%d" % v)
    row("distinct Claude requests", lambda r: r["requests"], lambda v: "%d" % v)
    row("generator time, s (not lumo)", lambda r: r["gen_s"], fmt_s, ratio=False)
    row("cat of the Claude files, s", lambda r: r["cat"]["median"])
    row("claude_usage full scan, s", lambda r: r["scan"]["median"])
    row("scan, peak RSS MiB", lambda r: r["scan"]["rss"] / 1024, lambda v: "%.1f" % v)
    row("scan, RSS bytes per distinct request", lambda r: r["scan"]["rss"] * 1024 / r["requests"], lambda v: "%.0f" % v)
    if cold_ok:
        row("cold cat, s", lambda r: r["cat cold"]["median"])
        row("cold scan, s", lambda r: r["scan cold"]["median"])
        row("cold scan / cold cat", lambda r: r["scan cold"]["median"] / r["cat cold"]["median"], lambda v: "%.2f" % v,
            ratio=False)
    row("first `lumo sync` (new database), s", lambda r: r["first sync"]["median"])
    row("first sync, peak RSS MiB", lambda r: r["first sync"]["rss"] / 1024, lambda v: "%.1f" % v)
    row("re-sync, nothing new, s", lambda r: r["re-sync"]["median"])
    row("re-sync after one appended message, s", lambda r: r["append"]["median"])
    row("slowest view, s", lambda r: max(r["views"].values()))
    row("`lumo daily` (sync first), s", lambda r: r["lumo daily"]["median"])
    row("database MB", lambda r: r["db_bytes"] / 1e6, lambda v: "%.0f" % v)
    row("database bytes per transcript byte", lambda r: r["db_bytes"] / r["bytes"], lambda v: "%.3f" % v, ratio=False)
    out.append("")
    for r in res:
        slow = sorted(r["views"].items(), key=lambda kv: -kv[1])[:3]
        out.append("- %s: %d files; the scan's totals %s the generator's truth; rows %s; slowest views %s." % (
            r["size"], r["files"], "equal" if r["scan_exact"] else "DIFFER FROM", r["sync_summary"],
            ", ".join("%s %.0f ms" % (k, v * 1000) for k, v in slow)))
    for r in res:  # a corpus the page cache cannot hold whole: its "warm" rows are partly cold
        rate, base_rate = r["claude_bytes"] / r["cat"]["median"], base["claude_bytes"] / base["cat"]["median"]
        if r["bytes"] > base["bytes"] and rate < base_rate / 2:
            out.append("- %s: cat read %.0f MB/s warm against %.0f MB/s at %s: the page cache (with the other sessions'"
                       " files and the database) did not hold the whole corpus, so its warm rows are partly cold reads."
                       % (r["size"], rate / 1e6, base_rate / 1e6, base["size"]))
    if not cold_ok:
        out.append("- Cold-cache rows were skipped: writing /proc/sys/vm/drop_caches is not permitted here.")
    out.append("- Plot: [examples/growth.png](../../examples/growth.png).")
    out.append("")
    return out


def plot(res):
    if not shutil.which("gnuplot"):
        print("gnuplot is missing (apt-get install gnuplot-nox): examples/growth.png not made")
        return
    data = os.path.join(CORPUS, "growth.dat")
    with open(data, "w") as f:
        for r in res:
            f.write("%g %g %g %g %g\n" % (r["bytes"] / 1e9, r["scan"]["median"], r["first sync"]["median"],
                                           r["re-sync"]["median"], max(r["views"].values())))
    png = os.path.join(ROOT, "examples", "growth.png")
    script = """set terminal pngcairo size 900,560 font ',11' noenhanced
set output '%s'
set logscale xy
set xrange [0.07:15]
set title 'lumo: time against transcript size (make bench-scale, one run)'
set xlabel 'transcripts, GB'
set ylabel 'seconds (whole command, warm page cache)'
set key top left
set grid
plot '%s' using 1:3 with linespoints lw 2 title 'first lumo sync', \\
     '%s' using 1:2 with linespoints lw 2 title 'claude_usage full scan', \\
     '%s' using 1:4 with linespoints lw 2 title 're-sync, nothing new', \\
     '%s' using 1:5 with linespoints lw 2 title 'slowest view'
""" % (png, data, data, data, data)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print("wrote", png)


def main():
    cold_ok = bench.drop_caches()
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    res = [one_size(*s.split(":"), cold_ok) for s in SIZES]
    ended = time.strftime("%H:%M", time.gmtime())
    json.dump([{k: v for k, v in r.items() if k != "out"} for r in res], open(os.path.join(CORPUS, "scale.json"), "w"),
              default=str, indent=1)
    write(res, cold_ok, started, ended)
    plot(res)


def write(res, cold_ok, started, ended):
    out = table(res, cold_ok, started, ended)
    path = os.path.join(HERE, "results.md")
    old = open(path).read() if os.path.exists(path) else ""
    head = old.split(MARK)[0].rstrip("\n")
    open(path, "w").write((head + "\n\n" if head else "") + "\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main()
