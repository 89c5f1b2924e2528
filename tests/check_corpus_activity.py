"""check_corpus_activity: what the agents did, on generated corpora (issue 20). Two small
corpora from tests/bench/gen_corpus.py (v3, fixed seeds chosen for their damage: Claude,
Codex and Gemini sessions with realistic tool calls, edits, shell and git commands, MCP
calls, streaming copies, a resumed session, a result lost in a merged line) are each
synced with lumo_sync into a new database, and the reports are compared exactly with the
generator's ground truth (expected.json "activity", counted by the generator from how it
built each call, never from lumo):
- tools view: per agent and tool name the calls, the calls with a known outcome and the
  errors (summed over days);
- mcp_servers view: per server and agent the calls, errors and distinct tools;
- files view: per project and path the changes, lines added and removed, changes whose
  removed lines are unknown, and the language; file_changes: every change of each file,
  failed calls' included;
- languages view: per language the files, changes and lines;
- git view: per operation the runs and how many succeeded, failed or are unknown;
- the usage rows' totals per agent equal the generator's billed truth (v3 keeps v2's
  accounting)."""
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "corpus_activity")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
os.environ["LUMO_MACHINE"] = "test"
NONE = os.path.join(ROOT, "tests", "fixtures", "no-such-root")


def compare(what, want, got, fields):
    """want and got: {key: row}; every key on either side, every field equal."""
    c.eq("%s: keys" % what, sorted(want, key=str), sorted(got, key=str))
    for k in sorted(set(want) & set(got), key=str):
        for f in fields:
            c.eq("%s %s %s" % (what, k, f), want[k][f], got[k][f])


def check(seed, size, damage):
    """Generates the corpus of seed and size, syncs it into a new database and compares the
    views with its truth; damage: the counts the seed was chosen for, each above 0."""
    corpus = os.path.join(OUT, "s%d" % seed)
    db = os.path.join(OUT, "s%d.db" % seed)
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "bench", "gen_corpus.py"), "--out", corpus,
                    "--size", size, "--seed", str(seed)], check=True, capture_output=True)
    exp = json.load(open(os.path.join(corpus, "expected.json")))
    c.eq("generator version", "lumo tests/bench/gen_corpus.py v3", exp["generator"])
    truth = exp["activity"]
    query("SELECT lumo_sync('%s', '%s', '%s', '%s', '%s')" % (
        os.path.join(corpus, "claude"), os.path.join(corpus, "gemini"), os.path.join(corpus, "codex"), NONE, NONE),
        db=db)
    s = "seed %d: " % seed

    # The truth must hold what is compared: a check over empty lists could not fail.
    c.eq(s + "truth: tool calls of every agent", {"claude", "codex", "gemini"}, {t["agent"] for t in truth["tools"]})
    c.eq(s + "truth: errors, MCP servers, files, languages, git operations present", [True] * 5, [
        sum(t["errors"] for t in truth["tools"]) > 20, len(truth["mcp"]) >= 6, len(truth["files"]) > 100,
        len(truth["languages"]) >= 10, len(truth["git"]) >= 15])
    have = dict(exp["counts"], results_lost=truth["results_lost"])
    c.eq(s + "truth: the damage the seed was chosen for", {k: True for k in damage},
         {k: have.get(k, 0) > 0 for k in damage})

    # tools
    want = {(t["agent"], t["tool_name"]): t for t in truth["tools"]}
    got = {(r["agent"], r["tool_name"]): r for r in query(
        "SELECT agent, tool_name, sum(calls) calls, sum(results) results, sum(errors) errors FROM tools"
        " GROUP BY agent, tool_name", db=db)}
    compare(s + "tools", want, got, ("calls", "results", "errors"))

    # mcp_servers
    want = {(m["server"], m["agent"]): m for m in truth["mcp"]}
    got = {(r["mcp_server"], r["agent"]): r for r in query("SELECT * FROM mcp_servers", db=db)}
    compare(s + "mcp_servers", want, got, ("calls", "errors", "tools"))

    # files: the view (calls that did not fail), per project and path
    want = {}
    for f in truth["files"]:
        if not f["changes"]:
            continue  # only failed calls changed it: no row in the view
        w = want.setdefault((f["project"], f["path"]), {"changes": 0, "lines_added": 0, "lines_removed": 0,
                                                        "unknown_removed": 0, "language": f["language"]})
        for k in ("changes", "lines_added", "lines_removed", "unknown_removed"):
            w[k] += f[k]
    got = {(r["project"], r["path"]): r for r in query("SELECT * FROM files", db=db)}
    compare(s + "files", want, got, ("changes", "lines_added", "lines_removed", "unknown_removed", "language"))
    # file_changes: every change, failed calls' too, per agent, project and path
    want = {(f["agent"], f["project"], f["path"]): {"n": f["changes"] + f["failed_changes"]} for f in truth["files"]}
    got = {(r["agent"], r["project"], r["path"]): r for r in query(
        "SELECT agent, project, path, count(*) n FROM file_changes GROUP BY 1, 2, 3", db=db)}
    compare(s + "file_changes", want, got, ("n",))

    # languages
    want = {l["language"]: l for l in truth["languages"]}
    got = {r["language"]: r for r in query("SELECT * FROM languages", db=db)}
    compare(s + "languages", want, got, ("files", "changes", "lines_added", "lines_removed", "unknown_removed"))

    # git
    want = {g["operation"]: g for g in truth["git"]}
    got = {r["operation"]: r for r in query(
        "SELECT operation, sum(runs) runs, sum(succeeded) succeeded, sum(failed) failed, sum(unknown) unknown FROM git"
        " GROUP BY operation", db=db)}
    compare(s + "git", want, got, ("runs", "succeeded", "failed", "unknown"))

    # the billed usage, per agent, as v2 counted it
    got = {r["agent"]: r for r in query(
        "SELECT agent, count(*) messages, sum(input_tokens) input, sum(output_tokens) output,"
        " sum(cache_read_tokens) cache_read FROM usage GROUP BY agent", db=db)}
    want = {"claude": exp["totals"]}
    want.update(exp["other_totals"])
    compare(s + "usage totals", want, got, ("messages", "input", "output", "cache_read"))
    print(s + "truth: %d tool calls (%d errors), %d MCP calls, %d files (%d lines +, %d -), %d git operations" % (
        sum(t["calls"] for t in truth["tools"]), sum(t["errors"] for t in truth["tools"]),
        sum(m["calls"] for m in truth["mcp"]), len(truth["files"]), sum(f["lines_added"] for f in truth["files"]),
        sum(f["lines_removed"] for f in truth["files"]), sum(g["runs"] for g in truth["git"])))


# seed 6 at 8M: a resumed session (its copied calls are one call each), a garbage line, a
# torn last line; seed 109 at 6M: a tool result lost in two records merged on one line (its
# call's outcome unknown, an edit's own figures in its toolUseResult unread)
check(6, "8M", ("resumed_sessions", "merged_lines", "garbage_lines", "torn_last_lines"))
check(109, "6M", ("merged_lines", "results_lost"))
c.done()
