"""check_activity: what tool calls did (issue 20 points 1-3). lumo_sync of the real
fixtures (tests/fixtures/real) and of the hand-made activity transcripts
(tests/fixtures/activity: a Claude, a Codex and a Gemini session each with edits, a failing
shell command and a git commit) is compared with this file's own reading of the same
files with json.loads:
- tool_uses: every call once, its input whole and valid JSON (equal to the logged input),
  the MCP server and tool, the outcome (Claude is_error, Codex exit codes in the output
  text and the end events, Gemini status), the result text cut at 2048 bytes on a
  character boundary, the duration (the end event's, else result time - call time);
- file_changes: lines added and removed computed here with difflib (a real diff, not
  lumo's rule), patch lines counted here, the agents' own figures where the result has
  them (Gemini's diffStat, Claude Code's structuredPatch and Write type create);
- git_ops: commands split here with shlex;
- the views files, git, tools, mcp_servers and code_changes (with a real OTLP fixture's
  lines beside the transcript's) against sums computed here, and the values of
  tests/fixtures/activity/README.md worked out by hand;
- the SQL functions over claude_tool_uses give the rows lumo_sync stored (one decision);
- a schema-8 database: cut inputs flagged and kept as JSON, the stored calls' file
  changes and git operations derived by the migration; a re-sync writes nothing new."""
import datetime
import difflib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "activity")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"
REAL = os.path.join(ROOT, "tests", "fixtures", "real")
ACT = os.path.join(ROOT, "tests", "fixtures", "activity")
ROOTS = {"claude": [os.path.join(REAL, "claude"), os.path.join(ACT, "claude")],
         "gemini": [os.path.join(REAL, "gemini"), os.path.join(ACT, "gemini")],
         "codex": [os.path.join(REAL, "codex"), os.path.join(ACT, "codex")]}
TEXT_MAX = 2048
LANG = {".ts": "TypeScript", ".md": "Markdown", ".py": "Python", ".ipynb": "Jupyter Notebook",
        ".js": "JavaScript", ".rs": "Rust", ".go": "Go", ".txt": "Text", ".mod": None, "": None}


def ms(ts):
    if not isinstance(ts, str) or not re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ts):
        return None
    t = datetime.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    frac = ts[19:].rstrip("Z")
    return int(t.timestamp()) * 1000 + (int((frac[1:] + "000")[:3]) if frac.startswith(".") else 0)


def files_under(roots, suffixes):
    for root in roots:
        for dirpath, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if name.endswith(suffixes):
                    yield os.path.join(dirpath, name)


def records(path):
    for raw in open(path, encoding="utf-8", errors="replace"):
        try:
            d = json.loads(raw)
        except ValueError:
            continue
        if isinstance(d, dict):
            yield d


def cut(text):
    if not text:
        return None
    return text.encode("utf-8")[:TEXT_MAX].decode("utf-8", errors="ignore")


def texts(v):
    """A string, or the "text" members of a list of parts joined by newlines."""
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "\n".join(p["text"] for p in v if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def exit_status(text):
    """A Codex output's outcome: 1, 0, None (not said)."""
    if not text:
        return None
    if text.startswith("{"):
        try:
            code = json.loads(text).get("metadata", {}).get("exit_code")
        except (ValueError, AttributeError):
            return None
        return None if code is None else int(code != 0)
    m = re.match(r"Exit code: (-?\d+)", text) or re.search(r"Process exited with code (-?\d+)", text[:512])
    return int(int(m.group(1)) != 0) if m else None


# ------------------------------------------------------------- derivations

def diff_counts(old, new):
    a, b = old.splitlines(), new.splitlines()
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            removed += i2 - i1
        if op in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def patch_files(text):
    out, cur = [], None
    body = text[text.index("*** Begin Patch"):] if "*** Begin Patch" in text else ""
    for ln in body.split("\n")[1:]:
        m = re.match(r"\*\*\* (Add|Update|Delete) File: (.+)$", ln)
        if m or ln.startswith("*** End Patch"):
            if cur:
                out.append(cur)
            cur = None
            if not m:
                break
            op = {"Add": "create", "Update": "edit", "Delete": "delete"}[m.group(1)]
            cur = [m.group(2), op, 0, 0]
        elif cur and ln.startswith("+"):
            cur[2] += 1
        elif cur and ln.startswith("-"):
            cur[3] += 1
    return [(p, op, a, None if op == "delete" else r) for p, op, a, r in out]


def shell_command(name, inp):
    if name not in ("Bash", "bash", "run_shell_command", "shell", "shell_command", "exec_command", "local_shell"):
        return None
    if not isinstance(inp, dict):
        return None
    cmd = inp.get("command", inp.get("cmd"))
    if isinstance(cmd, list):
        if len(cmd) >= 3 and cmd[0] in ("bash", "sh", "zsh") and cmd[1] in ("-lc", "-c"):
            return cmd[2]
        return " ".join(w for w in cmd if isinstance(w, str))
    return cmd if isinstance(cmd, str) else None


def changes(name, inp, display):
    """[(path, operation, added, removed)] of one call."""
    if name == "apply_patch":
        return patch_files(inp if isinstance(inp, str) else inp.get("input", ""))
    if not isinstance(inp, dict):
        return []
    out = []
    if name == "edit" and "filePath" in inp:  # OpenCode's camelCase edit and write
        inp = {"file_path": inp["filePath"], "old_string": inp.get("oldString", ""), "new_string": inp.get("newString", "")}
        name = "Edit"
    if name == "write" and "filePath" in inp:
        inp = {"file_path": inp["filePath"], "content": inp.get("content", "")}
        name = "Write"
    if name in ("Edit", "replace", "MultiEdit") and "file_path" in inp:
        edits = inp.get("edits", []) if name == "MultiEdit" else [inp]
        a = r = 0
        for e in edits:
            x, y = diff_counts(e.get("old_string", ""), e.get("new_string", ""))
            a, r = a + x, r + y
        out = [(inp["file_path"], "edit", a, r)]
    elif name in ("Write", "write_file") and "file_path" in inp:
        out = [(inp["file_path"], "write", len(inp.get("content", "").splitlines()), None)]
    elif name == "NotebookEdit" and "notebook_path" in inp:
        mode = inp.get("edit_mode", "replace")
        out = [(inp["notebook_path"], "edit", 0 if mode == "delete" else len(inp.get("new_source", "").splitlines()),
                0 if mode == "insert" else None)]
    else:
        cmd = shell_command(name, inp)
        if cmd and re.search(r"apply_?patch", cmd):
            out = patch_files(cmd)
    stat = display.get("diffStat") if isinstance(display, dict) else None
    if stat and name in ("replace", "write_file") and out:
        out = [(p, op, stat["model_added_lines"], stat["model_removed_lines"]) for p, op, _, _ in out]
    if isinstance(display, dict) and name in ("Edit", "MultiEdit", "Write") and out:
        hunks = display.get("structuredPatch") or []
        lines = [ln for h in hunks for ln in h.get("lines", [])]
        if hunks:
            out = [(p, op, sum(ln.startswith("+") for ln in lines), sum(ln.startswith("-") for ln in lines))
                   for p, op, _, _ in out]
        elif display.get("type") == "create":
            out = [(p, op, a, 0) for p, op, a, _ in out]
    return out


def git_ops(cmd):
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=";&|()")
    lex.whitespace_split = True
    lex.commenters = ""
    segs, cur = [], []
    for tok in lex:
        if tok and all(ch in ";&|()" for ch in tok):
            segs.append(cur)
            cur = []
        else:
            cur.append(tok)
    segs.append(cur)
    ops = []
    for words in segs:
        while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] in ("sudo", "env", "time")):
            words = words[1:]
        if not words:
            continue
        if words[0].split("/")[-1] == "git":
            rest = words[1:]
            while rest and rest[0].startswith("-"):
                rest = rest[2:] if rest[0] in ("-C", "-c", "--git-dir", "--work-tree") else rest[1:]
            if rest and re.match(r"^[a-z][a-z-]*$", rest[0]):
                ops.append(rest[0])
        elif words[0] == "gh" and len(words) >= 3:
            ops.append("gh %s %s" % (words[1], words[2]))
    return ops


# ------------------------------------------------------- reading the files

calls = {}  # key -> dict
applied = {}  # Codex: call key -> the files of its successful patch_apply_end


def add_call(key, agent, name, inp, ts, project):
    if key in calls:
        return
    calls[key] = {"agent": agent, "tool_name": name, "input": inp, "ts": ts, "project": project,
                  "is_error": None, "text": None, "duration_ms": None, "display": None}


def project_of(cwd):
    return cwd.rstrip("/").split("/")[-1] if cwd else None


for path in files_under(ROOTS["claude"], (".jsonl",)):
    first_cwd = None
    for d in records(path):
        if first_cwd is None and isinstance(d.get("cwd"), str) and d["cwd"]:
            first_cwd = d["cwd"]
        m = d.get("message")
        if d.get("type") not in ("user", "assistant") or not isinstance(m, dict) or not isinstance(m.get("content"), list):
            continue
        for b in m["content"]:
            if not isinstance(b, dict):
                continue
            if d["type"] == "assistant" and b.get("type") == "tool_use" and isinstance(b.get("id"), str):
                add_call("claude:" + b["id"], "claude", b.get("name"), b.get("input"), d.get("timestamp"),
                         project_of(first_cwd))
            if d["type"] == "user" and b.get("type") == "tool_result" and ("claude:%s" % b.get("tool_use_id")) in calls:
                k = calls["claude:" + b["tool_use_id"]]
                k["is_error"] = int(bool(b.get("is_error")))
                if "toolUseResult" in d:
                    k["display"] = d["toolUseResult"]
                k["text"] = cut(texts(b.get("content")))
                a, z = ms(k["ts"]), ms(d.get("timestamp"))
                if k["duration_ms"] is None and a is not None and z is not None:
                    k["duration_ms"] = z - a

for path in files_under(ROOTS["codex"], (".jsonl",)):
    cwd, metas = None, 0  # the project: the first session_meta's cwd, else the first turn_context's
    for d in records(path):
        p = d.get("payload") if isinstance(d.get("payload"), dict) else {}
        t = p.get("type") if isinstance(p.get("type"), str) else ""
        if d.get("type") == "session_meta":
            metas += 1
            if metas == 1 and p.get("cwd"):
                cwd = p["cwd"]
        if d.get("type") == "turn_context" and cwd is None and p.get("cwd"):
            cwd = p["cwd"]
        if d.get("type") == "response_item" and t.endswith("_call") and isinstance(p.get("call_id"), str):
            raw = p.get("arguments", p.get("input", p.get("action") if t == "local_shell_call" else None))
            name = p.get("name") or {"local_shell_call": "local_shell"}.get(t)
            if isinstance(raw, str):
                try:
                    inp = json.loads(raw) if name != "apply_patch" else raw
                except ValueError:
                    inp = raw  # kept as a JSON string
            else:
                inp = raw if isinstance(raw, (dict, list)) else None
            add_call("codex:" + p["call_id"], "codex", name, inp, d.get("timestamp"), project_of(cwd))
        key = "codex:%s" % p.get("call_id")
        if d.get("type") == "event_msg" and t == "patch_apply_end" and p.get("success") is True:
            for fp, ch in (p.get("changes") or {}).items():  # the patch Codex applied, in order
                diff = ch.get("unified_diff", "").split("\n")
                hunks = any(ln.startswith("@@") for ln in diff)  # else no diff: counts unknown
                applied.setdefault(key, []).append(
                    (fp, {"add": "create", "delete": "delete"}.get(ch.get("type"), "edit"),
                     sum(ln.startswith("+") and not ln.startswith("+++ ") for ln in diff) if hunks else None,
                     sum(ln.startswith("-") and not ln.startswith("--- ") for ln in diff) if hunks else None))
        if key not in calls:
            continue
        k = calls[key]
        if d.get("type") == "response_item" and t.endswith("_output"):
            out = p.get("output")
            text = texts(out.get("text", out.get("content")) if isinstance(out, dict) else out)
            status = exit_status(text)
            if status is not None:
                k["is_error"] = status
            k["text"] = cut(text)
            a, z = ms(k["ts"]), ms(d.get("timestamp"))
            if k["duration_ms"] is None and a is not None and z is not None:
                k["duration_ms"] = z - a
        if d.get("type") == "event_msg" and t in ("exec_command_end", "patch_apply_end", "mcp_tool_call_end"):
            if t == "exec_command_end" and isinstance(p.get("exit_code"), int):
                k["is_error"] = int(p["exit_code"] != 0)
            if t == "patch_apply_end" and isinstance(p.get("success"), bool):
                k["is_error"] = int(not p["success"])
            if t == "mcp_tool_call_end":
                r = p.get("result", {})
                k["is_error"] = 1 if "Err" in r else int(r.get("Ok", {}).get("isError") is True)
                k["mcp"] = (p["invocation"]["server"], p["invocation"]["tool"])
            dur = p.get("duration")
            if isinstance(dur, dict) and isinstance(dur.get("secs"), int):
                k["duration_ms"] = dur["secs"] * 1000 + dur.get("nanos", 0) // 1000000

for path in files_under(ROOTS["gemini"], (".jsonl", ".json")):
    last = {}
    for d in records(path):
        if isinstance(d.get("id"), str):
            last[d["id"]] = d
        for m in d.get("messages", []) if isinstance(d.get("messages"), list) else []:
            last[m.get("id")] = m
    root = next(r for r in ROOTS["gemini"] if path.startswith(r + os.sep))
    project = os.path.relpath(path, root).split(os.sep)[1]  # <root>/tmp/<project>/chats/...
    for m in last.values():
        for tc in m.get("toolCalls") or []:
            key = "gemini:" + tc["id"]
            add_call(key, "gemini", tc.get("name"), tc.get("args"), m.get("timestamp"), project)
            k = calls[key]
            k["display"] = tc.get("resultDisplay")
            k["is_error"] = {"success": 0, "error": 1, "cancelled": 1}.get(tc.get("status"))
            rd = tc.get("resultDisplay")
            if isinstance(rd, str) and rd:
                text = rd
            else:
                text = "\n".join(r["functionResponse"]["response"]["output"] for r in tc.get("result") or []
                                 if isinstance(r.get("functionResponse", {}).get("response", {}).get("output"), str))
            k["text"] = cut(text)

# OpenCode 1.2+: tool parts of opencode.db (ToolPart: callID, tool, state {status, input,
# output or error, time {start, end}}), written here in its tables' shapes
OPENCODE = os.path.join(OUT, "opencode")
os.makedirs(OPENCODE)
T0 = 1788948000000  # 2026-09-09T10:00:00Z
parts = [
    ("prt_1", "call_oc_edit", "edit", "completed", {"filePath": "/home/u/api/src/server.go", "oldString": "port := 80",
                                                    "newString": "port := 8080\nhost := \"0.0.0.0\""}, "Edit applied", 0, 120),
    ("prt_2", "call_oc_test", "bash", "error", {"command": "go test ./...", "description": "Run tests"},
     "exit status 1: --- FAIL: TestServe", 1000, 4200),
    ("prt_3", "call_oc_commit", "bash", "completed", {"command": "git add -A && git commit -m 'Serve on 8080'"},
     "[main 9f8e7d6] Serve on 8080", 5000, 5400),
    ("prt_4", "call_oc_write", "write", "completed", {"filePath": "/home/u/api/README.md", "content": "# api\n\nServes on 8080.\n"},
     "Wrote file", 6000, 6030),
    ("prt_5", "call_oc_pending", "read", "running", {"filePath": "/home/u/api/go.mod"}, None, 7000, None),
]
con = __import__("sqlite3").connect(os.path.join(OPENCODE, "opencode.db"))
con.executescript("CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT, parent_id TEXT, slug TEXT, directory TEXT,"
                  " title TEXT, version TEXT, time_created INT, time_updated INT);"
                  "CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INT, time_updated INT, data TEXT);"
                  "CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, time_created INT,"
                  " time_updated INT, data TEXT);")
con.execute("INSERT INTO session VALUES ('ses_oc1', 'prj', NULL, 'api', '/home/u/api', 'api', '1.2.0', ?, ?)", (T0, T0))
con.execute("INSERT INTO part VALUES ('prt_0', 'msg_oc1', 'ses_oc1', ?, ?, ?)",
            (T0, T0, json.dumps({"type": "text", "text": "Serving on 8080 and testing; the tool list follows"})))
for pid, cid, tool, status, inp, out, start, end in parts:
    state = {"status": status, "input": inp, "time": {"start": T0 + start}}
    if end is not None:
        state["time"]["end"] = T0 + end
    if out is not None:
        state["error" if status == "error" else "output"] = out
    con.execute("INSERT INTO part VALUES (?, 'msg_oc1', 'ses_oc1', ?, ?, ?)",
                (pid, T0 + start, T0 + start, json.dumps({"type": "tool", "callID": cid, "tool": tool, "state": state})))
    k = "opencode:" + cid
    add_call(k, "opencode", tool, inp, None, "api")
    calls[k].update(is_error={"completed": 0, "error": 1}.get(status), text=cut(out),
                    duration_ms=None if end is None else end - start)
con.commit()
con.close()
ROOTS["opencode"] = [OPENCODE]

# ------------------------------------------------------------- the sync

sync = "SELECT lumo_sync('%s', '%s', '%s', '%s')" % (",".join(ROOTS["claude"]), ",".join(ROOTS["gemini"]),
                                                     ",".join(ROOTS["codex"]), OPENCODE)
query(sync, db=DB)
rows = {r["key"]: r for r in query("SELECT key, agent, tool_name, input, json_valid(input) AS valid, input_truncated,"
                                   " is_error, result_text, duration_ms, project, mcp_server, mcp_tool FROM tool_uses",
                                   db=DB)}
c.eq("tool calls: the same keys", sorted(calls), sorted(rows))
per_agent = {a: sum(1 for k in calls.values() if k["agent"] == a) for a in ("claude", "codex", "gemini", "opencode")}
c.eq("tool calls per agent (read here)", per_agent,
     {r["agent"]: r["n"] for r in query("SELECT agent, count(*) AS n FROM tool_uses GROUP BY agent", db=DB)})
for key in sorted(set(calls) & set(rows)):
    want, got = calls[key], rows[key]
    stored = json.loads(got["input"]) if got["input"] is not None else None
    c.eq("%s input valid and whole" % key, (1, 0, want["input"]), (got["valid"], got["input_truncated"], stored))
    c.eq("%s outcome" % key, want["is_error"], got["is_error"])
    c.eq("%s result text" % key, want["text"], got["result_text"])
    c.eq("%s duration" % key, want["duration_ms"], got["duration_ms"])
    c.eq("%s project" % key, want["project"], got["project"])
    name = want["tool_name"] or ""
    mcp = want.get("mcp") or (tuple(name[5:].split("__", 1)) if name.startswith("mcp__") and "__" in name[5:] else (None, None))
    c.eq("%s MCP server, tool" % key, mcp, (got["mcp_server"], got["mcp_tool"]))

want_changes = sorted((k, p, op, LANG.get(os.path.splitext(p)[1], "?"), a, r)
                      for k, v in calls.items() for p, op, a, r in changes(v["tool_name"], v["input"], v["display"]))
# a patch Codex applied for a call whose input held none (a script cell): its event's files
with_rows = {k for k, *_ in want_changes}
want_changes = sorted(want_changes + [(k, p, op, LANG.get(os.path.splitext(p)[1], "?"), a, r)
                                      for k, files in applied.items() if k not in with_rows for p, op, a, r in files])
c.eq("Codex script-cell patch (real fixture): its patch_apply_end's files; the failed one's not",
     [("codex:call_patch_apply_ok01", "/proj/ds906659/gai/claude-code/core/version.go", 1, 1),
      ("codex:call_patch_apply_ok01", "/proj/ds906659/gai/claude-code/docs/RELEASE_NOTES.md", 3, 0)],
     sorted((r["tool_key"], r["path"], r["lines_added"], r["lines_removed"]) for r in query(
         "SELECT * FROM file_changes WHERE tool_key LIKE 'codex:call_patch_apply_%'", db=DB)))
got_changes = sorted((r["tool_key"], r["path"], r["operation"], r["language"], r["lines_added"], r["lines_removed"])
                     for r in query("SELECT * FROM file_changes", db=DB))
c.eq("file_changes: path, operation, language, lines (difflib, patch lines, diffStat)", want_changes, got_changes)
want_git = sorted((k, op) for k, v in calls.items() for op in git_ops(shell_command(v["tool_name"], v["input"]) or ""))
c.eq("git_ops (shlex)", want_git, sorted((r["tool_key"], r["operation"]) for r in query("SELECT * FROM git_ops", db=DB)))

# the hand-worked values of tests/fixtures/activity/README.md
c.eq("one Claude, Codex, Gemini and OpenCode session each: an edit, a failing shell command, a git commit",
     [["claude", 1, 1, 1], ["codex", 1, 1, 1], ["gemini", 1, 1, 1], ["opencode", 1, 1, 1]],
     [[r["agent"], r["edits"], r["failed_shell"], r["commits"]] for r in query(
         "SELECT t.agent, max(EXISTS (SELECT 1 FROM file_changes f WHERE f.tool_key = t.key)) AS edits,"
         " max(t.is_error = 1 AND t.tool_name IN ('Bash', 'shell', 'run_shell_command', 'bash')) AS failed_shell,"
         " max(EXISTS (SELECT 1 FROM git_ops g WHERE g.tool_key = t.key AND g.operation = 'commit')) AS commits"
         " FROM tool_uses t WHERE t.project IN ('webapp', 'svc', 'site', 'api') GROUP BY t.agent ORDER BY t.agent", db=DB)])
c.eq("files (README): webapp, svc and site changes",
     [["site", "/home/u/site/docs/notes.md", 3, 1, 0], ["site", "/home/u/site/src/index.js", 2, 1, 0],
      ["svc", "README.md", 2, 1, 0], ["svc", "src/main.rs", 3, 1, 0], ["svc", "src/old.rs", 0, 0, 1], ["svc", "src/run.rs", 3, 0, 0],
      ["webapp", "/home/u/webapp/README.md", 7, 0, 0], ["webapp", "/home/u/webapp/notebooks/explore.ipynb", 3, 0, 0],
      ["webapp", "/home/u/webapp/src/names.ts", 3, 3, 0], ["webapp", "/home/u/webapp/src/parse.ts", 2, 1, 0],
      ["webapp", "/home/u/webapp/tools/gen.py", 3, 2, 0]],
     [[r["project"], r["path"], r["lines_added"], r["lines_removed"], r["unknown_removed"]] for r in query(
         "SELECT * FROM files WHERE project IN ('webapp', 'svc', 'site') ORDER BY project, path", db=DB)])
c.eq("durations (README), ms",
     [250, 120, 400, 50, 11500, 1200, 4000, 1500, 800, 300, 2400, 400, 1250, 200, 300, 850],
     [r["duration_ms"] for r in query("SELECT duration_ms FROM tool_uses WHERE project IN ('webapp', 'svc')"
                                      " ORDER BY agent, timestamp", db=DB)])

# The activity views read indexes, never the calls' rows (whose is_error and durations sit
# after the whole input, in overflow pages for a large call): a plan step over tool_uses
# is a covering index's (a cold 1 GB home: tools 1.0 s -> 0.3 s, files 1.3 s -> 0.3 s)
row_reads, plain = {}, sqlite3.connect(DB)
for v in ("tools", "mcp_servers", "files", "languages", "code_changes", "git", "work_events"):
    plan = [r[3] for r in plain.execute("EXPLAIN QUERY PLAN SELECT * FROM %s" % v)]
    row_reads[v] = [d for d in plan if re.match(r"(SCAN|SEARCH) (tool_uses|t)\b", d) and "COVERING INDEX" not in d]
plain.close()
c.eq("activity views: no plan step reads tool_uses rows", {v: [] for v in row_reads}, row_reads)

# views against sums of the rows read here
git_want = {}
for k, v in calls.items():
    for op in git_ops(shell_command(v["tool_name"], v["input"]) or ""):
        g = git_want.setdefault((v["agent"], v["project"], op), [0, 0, 0, 0])
        g[0] += 1
        g[{0: 1, 1: 2, None: 3}[v["is_error"]]] += 1
c.eq("git view: runs, succeeded, failed, unknown per agent, project, operation", sorted(
    [a, p, op] + n for (a, p, op), n in git_want.items()),
     sorted([r["agent"], r["project"], r["operation"], r["runs"], r["succeeded"], r["failed"], r["unknown"]]
            for r in query("SELECT agent, project, operation, sum(runs) AS runs, sum(succeeded) AS succeeded,"
                           " sum(failed) AS failed, sum(unknown) AS unknown FROM git GROUP BY 1, 2, 3", db=DB)))
tool_want = {}
for k, v in calls.items():
    t = tool_want.setdefault((v["agent"], v["tool_name"]), [0, 0, 0])
    t[0] += 1
    t[1] += v["is_error"] is not None
    t[2] += v["is_error"] == 1
c.eq("tools view: calls, results, errors per agent and tool", sorted(([a, n] + x for (a, n), x in tool_want.items()),
                                                                  key=repr),
     sorted(([r["agent"], r["tool_name"], r["calls"], r["results"], r["errors"]] for r in query(
         "SELECT agent, tool_name, sum(calls) AS calls, sum(results) AS results, sum(errors) AS errors FROM tools"
         " GROUP BY 1, 2", db=DB)), key=repr))
c.eq("tools view: median of Claude Bash in webapp (1200, 4000, 11500 ms)", [4000.0], [r["m"] for r in query(
    "SELECT median_duration_ms AS m FROM tools WHERE day = '2026-09-01' AND tool_name = 'Bash'", db=DB)])
mcp_want = {}
for k, v in calls.items():
    name = v["tool_name"] or ""
    server, tool = v.get("mcp") or (name[5:].split("__", 1) if name.startswith("mcp__") else (None, None))
    if server:
        m = mcp_want.setdefault((server, v["agent"]), [set(), 0, 0])
        m[0].add(tool)
        m[1] += 1
        m[2] += v["is_error"] == 1
c.eq("mcp_servers view: tools, calls, errors per server", sorted([s, a, len(t), n, e] for (s, a), (t, n, e) in mcp_want.items()),
     [[r["mcp_server"], r["agent"], r["tools"], r["calls"], r["errors"]]
      for r in query("SELECT * FROM mcp_servers ORDER BY mcp_server", db=DB)])
c.eq("mcp_servers (README): github 2 calls 1 error, linear 1 call 1 error", [["github", 2, 1], ["linear", 1, 1]],
     [[r["mcp_server"], r["calls"], r["errors"]]
      for r in query("SELECT * FROM mcp_servers WHERE mcp_server IN ('github', 'linear') ORDER BY 1", db=DB)])

# code_changes: the transcript's lines beside the telemetry's, one row per source. The
# telemetry is the real OTLP fixture's payload (a delta lines_of_code sum: 128 added, 12
# removed, read here with json.loads), synced into a database of its own with the
# hand-made Claude session.
OTLP = os.path.join(OUT, "otlp")
os.makedirs(OTLP)
doc = json.load(open(os.path.join(REAL, "otlp", "claude-code", "claude-code-2.1.268-code-output-metrics.json")))["payload"]
json.dump(doc, open(os.path.join(OTLP, "metrics.json"), "w"))
tel = {}
for rm in doc["resourceMetrics"]:
    for sm in rm["scopeMetrics"]:
        for m in sm["metrics"]:
            if m["name"] == "claude_code.lines_of_code.count":
                for pt in m["sum"]["dataPoints"]:
                    kind = [a["value"]["stringValue"] for a in pt["attributes"] if a["key"] == "type"][0]
                    day = datetime.datetime.fromtimestamp(int(pt["timeUnixNano"]) // 10 ** 9, datetime.timezone.utc)
                    tel.setdefault(day.strftime("%Y-%m-%d"), {})[kind] = int(pt.get("asInt", pt.get("asDouble")))
SRC = os.path.join(OUT, "sources.db")
query("SELECT lumo_sync('%s', '', '', '', '%s')" % (os.path.join(ACT, "claude"), OTLP), db=SRC)
webapp = [v for v in calls.values() if v["project"] == "webapp"]
ch = [x for v in webapp if v["is_error"] != 1 for x in changes(v["tool_name"], v["input"], v["display"])]
c.eq("code_changes: a transcript row and a telemetry row, never added together",
     [["2026-09-01", "webapp", len(ch), sum(a for _, _, a, _ in ch), sum(r or 0 for _, _, _, r in ch), "transcript"]] +
     [[d, None, None, v["added"], v["removed"], "telemetry"] for d, v in sorted(tel.items())],
     [[r["day"], r["project"], r["changes"], r["lines_added"], r["lines_removed"], r["source"]]
      for r in query("SELECT * FROM code_changes ORDER BY day, source", db=SRC)])

# one decision: the functions over the source table give the stored rows
vt = sorted((r["k"], r["path"], r["lines_added"], r["lines_removed"]) for r in query(
    "SELECT 'claude:' || t.tool_use_id AS k, c.value ->> 'path' AS path, c.value ->> 'lines_added' AS lines_added,"
    " c.value ->> 'lines_removed' AS lines_removed"
    " FROM claude_tool_uses('%s') t, json_each(lumo_tool_changes(t.tool_name, t.input, t.tool_use_result)) c"
    % ",".join(ROOTS["claude"])))
c.eq("lumo_tool_changes over claude_tool_uses = file_changes", sorted(
    (r["tool_key"], r["path"], r["lines_added"], r["lines_removed"])
    for r in query("SELECT * FROM file_changes WHERE agent = 'claude'", db=DB)), vt)
c.eq("lumo_git_ops over claude_tool_uses = git_ops", sorted(
    (r["tool_key"], r["operation"], r["command"]) for r in query("SELECT * FROM git_ops WHERE agent = 'claude'", db=DB)),
     sorted((r["k"], r["op"], r["cmd"]) for r in query(
         "SELECT 'claude:' || t.tool_use_id AS k, g.value ->> 'operation' AS op, g.value ->> 'command' AS cmd"
         " FROM claude_tool_uses('%s') t, json_each(lumo_git_ops(t.tool_name, t.input)) g" % ",".join(ROOTS["claude"]))))

# here-documents: the body is text a command reads, never commands (a script written with
# cat <<'EOF' runs none of its git lines); the operations worked out by hand
HEREDOCS = [
    ("cat > release.sh <<'EOF'\n#!/bin/sh\ngit tag v1\ngit push --tags\nEOF\nchmod +x release.sh && git add release.sh",
     ["add"]),
    ("git commit -F - <<EOF\nFix the parser\n\ngit push comes later\nEOF\ngit push", ["commit", "push"]),
    ("cat <<-\"END\" | git apply\n\tgit status\n\tEND\ngit log; cat <<<'git x'; git diff", ["apply", "log", "diff"]),
    ("cat <<A <<B\ngit a\nA\ngit b\nB\ngit tag v2", ["tag"]),
    ("cat <<EOF\ngit never\n", []),  # no delimiter line: the body runs to the end
    ("echo $((1<<4))\ngit push\nx=$(( 2 << 1 )); git tag v$x", ["push", "tag"]),  # shifts, not here-documents
    ("git commit -m \"$(cat <<'EOF'\nmsg; git push\nEOF\n)\" && git push", ["commit", "push"]),
]
for cmd, ops in HEREDOCS:
    got = query("SELECT lumo_git_ops('Bash', json_object('command', '%s')) AS g" % cmd.replace("'", "''"))[0]["g"]
    c.eq("lumo_git_ops of %r" % cmd, ops, [o["operation"] for o in json.loads(got or "[]")])

# edits of any shape: one block of lines replaced in a text of distinct lines (so a diff
# finds exactly that block), with and without last newlines, empty lines, empty texts
import random
rnd = random.Random(20)
cases, want = [], []
for i in range(300):
    lines = ["l%d_%d" % (i, k) for k in range(rnd.randint(0, 8))]
    if lines and rnd.random() < 0.3:
        lines[rnd.randrange(len(lines))] = ""
    a = rnd.randint(0, len(lines))
    b = rnd.randint(a, len(lines))
    new_block = ["n%d_%d" % (i, k) for k in range(rnd.randint(0, 4))]
    last_newline = rnd.random() < 0.5  # both texts alike, as an edit inside a file
    new_lines = lines[:a] + new_block + lines[b:]
    old_text = "\n".join(lines) + ("\n" if lines and last_newline else "")
    new_text = "\n".join(new_lines) + ("\n" if new_lines and last_newline else "")
    cases.append(json.dumps({"file_path": "f%d.txt" % i, "old_string": old_text, "new_string": new_text}))
    want.append(list(diff_counts(old_text, new_text)))
sql = " UNION ALL ".join("SELECT %d AS i, lumo_tool_changes('Edit', '%s') AS c" % (i, j.replace("'", "''"))
                         for i, j in enumerate(cases))
got = [[json.loads(r["c"])[0]["lines_added"], json.loads(r["c"])[0]["lines_removed"]]
       for r in query("SELECT * FROM (%s) ORDER BY i" % sql)]
c.eq("300 random edits: lines added and removed = difflib's", want, got)

# a line over 64 MiB: the reader keeps the first MiB of each string, so the Edit on it is
# flagged, stays valid JSON, and its line counts are unknown (NULL), not a MiB's worth;
# the small call of the next line is whole
BIG = os.path.join(OUT, "big", "projects", "-home-u-big")
os.makedirs(BIG)
big_text = "x = 1\n" * ((66 << 20) // 6)
with open(os.path.join(BIG, "0b000000-0000-4000-8000-000000000001.jsonl"), "w") as f:
    for i, inp in enumerate(({"file_path": "/home/u/big/gen.py", "old_string": "", "new_string": big_text},
                             {"file_path": "/home/u/big/small.py", "old_string": "a", "new_string": "b\nc"})):
        f.write(json.dumps({"type": "assistant", "sessionId": "0b000000-0000-4000-8000-000000000001", "cwd": "/home/u/big",
                            "uuid": "b%d" % i, "timestamp": "2026-09-05T10:00:0%d.000Z" % i,
                            "message": {"id": "msg_big%d" % i, "role": "assistant", "model": "claude-sonnet-4-5-20250929",
                                        "content": [{"type": "tool_use", "id": "toolu_big%d" % i, "name": "Edit",
                                                     "input": inp}]}}) + "\n")
GBIG = os.path.join(OUT, "gbig", "tmp", "big", "chats")
os.makedirs(GBIG)
with open(os.path.join(GBIG, "session-2026-09-05T10-00-0c000000.jsonl"), "w") as f:
    f.write(json.dumps({"sessionId": "0c000000-0000-4000-8000-000000000001", "projectHash": "0" * 64,
                        "startTime": "2026-09-05T10:00:00.000Z", "lastUpdated": "2026-09-05T10:00:00.000Z"}) + "\n")
    for i, args in enumerate(({"file_path": "/home/u/big/gen.md", "content": big_text},
                              {"file_path": "/home/u/big/small.md", "content": "a\nb\n"})):
        f.write(json.dumps({"id": "gm%d" % i, "timestamp": "2026-09-05T10:00:0%d.000Z" % i, "type": "gemini", "content": "",
                            "toolCalls": [{"id": "gbig%d" % i, "name": "write_file", "args": args,
                                           "status": "success"}]}) + "\n")
BIGDB = os.path.join(OUT, "big.db")
query("SELECT lumo_sync('%s', '%s', '')" % (os.path.dirname(os.path.dirname(BIG)),
                                            os.path.dirname(os.path.dirname(os.path.dirname(GBIG)))), db=BIGDB)
c.eq("a cut line: its call flagged, valid JSON, line counts unknown; the next line's call whole and counted",
     [["claude:toolu_big0", 1, 1, None, None], ["claude:toolu_big1", 0, 1, 2, 1],
      ["gemini:gbig0", 1, 1, None, None], ["gemini:gbig1", 0, 1, 2, None]],
     [[r["key"], r["input_truncated"], r["valid"], r["lines_added"], r["lines_removed"]] for r in query(
         "SELECT t.key, t.input_truncated, json_valid(t.input) AS valid, f.lines_added, f.lines_removed"
         " FROM tool_uses t JOIN file_changes f ON f.tool_key = t.key ORDER BY t.key", db=BIGDB)])
shutil.rmtree(os.path.join(OUT, "big"))
shutil.rmtree(os.path.join(OUT, "gbig"))

# a re-sync writes nothing new
before = query("SELECT (SELECT count(*) FROM tool_uses) AS t, (SELECT count(*) FROM file_changes) AS f,"
               " (SELECT count(*) FROM git_ops) AS g", db=DB)
again = json.loads(query(sync + " AS s", db=DB)[0]["s"])
c.eq("re-sync: no tool rows written, the same rows", [0, before],
     [again["tool_rows_written"], query("SELECT (SELECT count(*) FROM tool_uses) AS t, (SELECT count(*) FROM"
                                        " file_changes) AS f, (SELECT count(*) FROM git_ops) AS g", db=DB)])

# lumo_merge: another machine's calls with all they did. Machine "laptop" synced the webapp
# session when it held only the calls of its first Edit and Write (lines 1, 2, 4: no
# results); merging this machine's database in, each call is there once, with the outcome,
# result text, duration and the edits' own line counts (structuredPatch) that only the
# other copy saw, and every file change and git operation read here.
HALF = os.path.join(OUT, "half", "projects", "-home-u-webapp")
os.makedirs(HALF)
WEBAPP = os.path.join(ACT, "claude", "projects", "-home-u-webapp", "5e1f0c2a-7b3d-4e8f-9a10-b2c3d4e5f601.jsonl")
with open(WEBAPP) as f:
    lines = f.readlines()
with open(os.path.join(HALF, os.path.basename(WEBAPP)), "w") as f:
    f.writelines([lines[0], lines[1], lines[3]])
MERGED = os.path.join(OUT, "merged.db")
os.environ["LUMO_MACHINE"] = "laptop"
query("SELECT lumo_sync('%s', '', '', '')" % os.path.dirname(os.path.dirname(HALF)), db=MERGED)
os.environ["LUMO_MACHINE"] = "test"
half = {r["key"]: r for r in query("SELECT key, is_error, result_text, duration_ms FROM tool_uses", db=MERGED)}
c.eq("merge: laptop's copy of the two calls has no outcome yet",
     {"claude:toolu_01ACTEDIT0001": [None, None, None], "claude:toolu_01ACTWRITE002": [None, None, None]},
     {k: [r["is_error"], r["result_text"], r["duration_ms"]] for k, r in half.items()})
query("SELECT lumo_merge('%s')" % DB, db=MERGED)
merged = {r["key"]: r for r in query("SELECT key, machine, is_error, result_text, duration_ms, mcp_server FROM tool_uses",
                                     db=MERGED)}
c.eq("merge: every call once", sorted(calls), sorted(merged))
c.eq("merge: outcome, result text, duration of every call (read here)",
     {k: [v["is_error"], v["text"], v["duration_ms"]] for k, v in calls.items()},
     {k: [r["is_error"], r["result_text"], r["duration_ms"]] for k, r in merged.items()})
c.eq("merge: the first copy of a call stays (laptop's)", ["laptop", "laptop"],
     [merged["claude:toolu_01ACTEDIT0001"]["machine"], merged["claude:toolu_01ACTWRITE002"]["machine"]])
c.eq("merge: file changes with the edits' own line counts (difflib, structuredPatch)", want_changes,
     sorted((r["tool_key"], r["path"], r["operation"], r["language"], r["lines_added"], r["lines_removed"])
            for r in query("SELECT * FROM file_changes", db=MERGED)))
c.eq("merge: git operations (shlex)", want_git,
     sorted((r["tool_key"], r["operation"]) for r in query("SELECT * FROM git_ops", db=MERGED)))
shutil.rmtree(os.path.join(OUT, "half"))

# a schema-8 database: its calls' rows derived by the migration, a cut input flagged
OLD = os.path.join(OUT, "old.db")
shutil.copy(DB, OLD)
cut_input = '{"command":"git commit -m \\"a very long message cut at 4096 bytes'
subprocess.run(["sqlite3", OLD, "DROP TRIGGER tool_buckets_add; DROP TRIGGER tool_buckets_remove; DROP TRIGGER tool_buckets_change;"
                " DROP TRIGGER change_buckets_call_add; DROP TRIGGER change_buckets_call_remove; DROP TRIGGER change_buckets_call_change;"
                " DROP TABLE tool_buckets; DROP TABLE change_buckets;"
                " DROP VIEW work_events; DROP VIEW session_timeline; DROP INDEX tool_uses_time; DROP INDEX tool_uses_outcome; DROP VIEW files; DROP VIEW languages; DROP VIEW code_changes; DROP VIEW git;"
                " DROP VIEW tools; DROP VIEW mcp_servers; DROP TABLE file_changes; DROP TABLE git_ops;"
                " DROP VIEW search_tool_rows; DROP TABLE search_tools; DROP TRIGGER search_tools_change;"
                " DROP TRIGGER search_tools_remove; DROP TRIGGER search_catch_up;"
                " ALTER TABLE tool_uses DROP COLUMN project; ALTER TABLE tool_uses DROP COLUMN mcp_server;"
                " ALTER TABLE tool_uses DROP COLUMN mcp_tool; ALTER TABLE tool_uses DROP COLUMN input_bytes;"
                " ALTER TABLE tool_uses DROP COLUMN input_truncated; ALTER TABLE tool_uses DROP COLUMN result_text;"
                " ALTER TABLE tool_uses DROP COLUMN duration_ms;"
                " INSERT INTO tool_uses (key, agent, machine, tool_name, input) VALUES ('claude:toolu_cut', 'claude',"
                " 'test', 'Bash', '%s');"
                " UPDATE lumo_schema_version SET version = 8; DELETE FROM lumo_settings WHERE key = 'schema_hash'"
                % cut_input], check=True)
OLD_MERGED = os.path.join(OUT, "old-merged.db")
query("SELECT lumo_sync('%s')" % os.path.join(OUT, "no-such-root"), db=OLD_MERGED)
query("SELECT lumo_merge('%s')" % OLD, db=OLD_MERGED)
query("SELECT lumo_sync('%s')" % os.path.join(OUT, "no-such-root"), db=OLD)
c.eq("schema 8 -> current (13): version, the cut input flagged and kept as a JSON string", [[13, 1, 1, cut_input]],
     [[r["v"], r["input_truncated"], r["valid"], r["text"]] for r in query(
         "SELECT (SELECT version FROM lumo_schema_version) AS v, input_truncated, json_valid(input) AS valid,"
         " input ->> '$' AS text FROM tool_uses WHERE key = 'claude:toolu_cut'", db=OLD)])
c.eq("schema 8 -> 9: the stored calls' file changes derived (Gemini's without the diffStat of their results)",
     sorted((k, p, a, r) for k, v in calls.items() for p, op, a, r in changes(v["tool_name"], v["input"], None)),
     sorted((r["tool_key"], r["path"], r["lines_added"], r["lines_removed"])
            for r in query("SELECT * FROM file_changes", db=OLD)))
c.eq("schema 8 -> 9: the stored calls' git operations derived", want_git,
     sorted((r["tool_key"], r["operation"]) for r in query("SELECT * FROM git_ops", db=OLD)))
c.eq("schema 8 -> 9: MCP server of stored calls", [["github", 2]], [[r["s"], r["n"]] for r in query(
    "SELECT mcp_server AS s, count(*) AS n FROM tool_uses WHERE mcp_server IS NOT NULL GROUP BY 1", db=OLD)])
# the same schema-8 database merged into a new one: its calls get what the migration gives
TOOL_ROW = "SELECT key, machine, input, input_truncated, is_error, mcp_server, mcp_tool FROM tool_uses ORDER BY key"
c.eq("merge of a schema-8 database: its calls as the migration leaves them", query(TOOL_ROW, db=OLD),
     query(TOOL_ROW, db=OLD_MERGED))
c.eq("merge of a schema-8 database: the file changes derived (as the migration)",
     sorted((k, p, a, r) for k, v in calls.items() for p, op, a, r in changes(v["tool_name"], v["input"], None)),
     sorted((r["tool_key"], r["path"], r["lines_added"], r["lines_removed"])
            for r in query("SELECT * FROM file_changes", db=OLD_MERGED)))
c.eq("merge of a schema-8 database: the git operations derived", want_git,
     sorted((r["tool_key"], r["operation"]) for r in query("SELECT * FROM git_ops", db=OLD_MERGED)))

# lumo_merge: another machine's calls come with what they did (file changes and git
# operations were left behind), and a schema-8 database's calls merge too (its tool_uses
# lacks the activity columns: SELECT * did not fit)
MERGED = os.path.join(OUT, "merged-b.db")
query("SELECT lumo_merge('%s')" % DB, db=MERGED, before="SELECT lumo_sync('', '', '', '', '')")
for table, cols in (("tool_uses", "key"), ("file_changes", "key, path, lines_added, lines_removed"),
                    ("git_ops", "key, operation")):
    c.eq("lumo_merge carries %s" % table, query("SELECT %s FROM %s ORDER BY key" % (cols, table), db=DB),
         query("SELECT %s FROM %s ORDER BY key" % (cols, table), db=MERGED))
OLD8 = os.path.join(OUT, "schema8-merge.db")
shutil.copy(DB, OLD8)
subprocess.run(["sqlite3", OLD8, "DROP TRIGGER tool_buckets_add; DROP TRIGGER tool_buckets_remove; DROP TRIGGER tool_buckets_change;"
                " DROP TRIGGER change_buckets_call_add; DROP TRIGGER change_buckets_call_remove; DROP TRIGGER change_buckets_call_change;"
                " DROP TABLE tool_buckets; DROP TABLE change_buckets; DROP VIEW IF EXISTS work_events; DROP VIEW IF EXISTS session_timeline; DROP VIEW IF EXISTS session_history; DROP INDEX IF EXISTS tool_uses_time; DROP INDEX IF EXISTS tool_uses_outcome; DROP VIEW files; DROP VIEW languages; DROP VIEW code_changes; DROP VIEW git;"
                " DROP VIEW tools; DROP VIEW mcp_servers; DROP VIEW search_tool_rows; DROP TABLE file_changes;"
                " DROP TABLE git_ops; DROP TABLE search_tools; DROP TRIGGER search_tools_change;"
                " DROP TRIGGER search_tools_remove; DROP TRIGGER search_catch_up;"
                + "".join(" ALTER TABLE tool_uses DROP COLUMN %s;" % col for col in (
                    "project", "mcp_server", "mcp_tool", "input_bytes", "input_truncated", "result_text", "duration_ms"))],
               check=True)
MERGED8 = os.path.join(OUT, "merged8.db")
query("SELECT lumo_merge('%s')" % OLD8, db=MERGED8, before="SELECT lumo_sync('', '', '', '', '')")
c.eq("lumo_merge of a schema-8 database: its calls, by name", [r["key"] for r in query(
    "SELECT key FROM tool_uses ORDER BY key", db=DB)], [r["key"] for r in query(
    "SELECT key FROM tool_uses ORDER BY key", db=MERGED8)])
c.done()
