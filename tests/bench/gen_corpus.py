#!/usr/bin/env python3
"""gen_corpus.py: lumo's own deterministic corpus generator for `make bench`.

    python3 tests/bench/gen_corpus.py --out DIR --size 1G --seed 1

Writes DIR/claude/projects/<escaped-cwd>/<session>.jsonl (+ <session>/subagents/agent-*.jsonl)
in Claude Code's real shapes, DIR/codex/sessions/YYYY/MM/DD/rollout-*.jsonl and
DIR/gemini/tmp/<hash>/chats/session-*.json, and DIR/expected.json with the ground truth the
accounting rules give (per UTC day and model, and overall; Codex and Gemini under
other_totals / other_daily; tool calls under activity). Same arguments, same bytes:
everything comes from two random.Random streams seeded by the seed, timestamps from a
fixed start, file mtimes are set.
Standard library only.

What it writes, per session, and how the truth counts it:
- user prompts, and tool results of 1-200 KB (never billed);
- assistant responses as 1-4 streaming lines with the same message.id and requestId and
  growing output_tokens: counted once, with the last (largest) copy;
- thinking blocks, tool_use blocks (see Tool calls below), occasional multi-MB base64 images;
- subagent files (isSidechain:true, own message ids): counted;
- a /btw aside replaying a main-thread response with a new requestId and more cache read:
  not counted (the parent copy wins);
- resumed sessions that copy an earlier session's lines verbatim but for the session id:
  counted once, for the earlier (older) file;
- <synthetic> API-error records (zero usage): not counted;
- damage: a garbage line, two records merged on one line (neither counts), a torn last
  line (not counted).

Tool calls (v3), for Claude, Codex and Gemini, with their truth under "activity" (written
by ActivityTruth; the counts below are the generator's own, from how it built each call):
- tools: per (agent, tool name) the calls, the results (calls whose outcome a record says:
  a Claude tool_result that survives the damage, every Codex output and Gemini status) and
  the errors (Claude is_error:true; Codex exit code not 0 in the output text, in the
  output's metadata.exit_code or "Process exited with code N", a failed patch, an MCP
  end event with isError or Err; Gemini status error or cancelled). A call copied into a
  resumed session is one call; a result lost in a merged line leaves the outcome unknown.
- mcp: per (agent, server) the calls, errors and distinct tools: Claude names them
  mcp__<server>__<tool> (servers such as claude_ai_Linear hold single underscores),
  Codex names them <server>__<tool> and says the server in its mcp_tool_call_end event.
- files: per (agent, project, path) the changes and the lines added and removed, over the
  calls that did not fail (as lumo's files view); failed_changes counts the others. The
  rule, mirrored from lumo's documented one (ext/activity.c) and applied here to the parts
  each edit was built from (never by diffing its text):
  * an edit (Claude Edit, each edit of a MultiEdit, Gemini replace) is built as shared
    head lines + R removed lines + A added lines + shared tail lines, with R's and A's
    first and last lines different: removed = R, added = A (the lines of old and new text
    that differ once the shared first and last lines are set aside);
  * a write (Claude Write, Gemini write_file) adds its content's lines; what it replaced
    is unknown (removed NULL, counted in unknown_removed);
  * the agent's own record wins where the result has one: Claude Code's toolUseResult
    structuredPatch (the '+' and '-' lines of its hunks: an Edit with replace_all changes
    each of its k places, k x A and k x R; a Write over a file the hunk of the region it
    replaced) and a Write of type create (removed 0); Gemini's resultDisplay.diffStat
    (model_added_lines / model_removed_lines);
  * Claude NotebookEdit: insert adds the new source's lines (removed 0), replace adds them
    (removed unknown), delete adds none (removed unknown);
  * Codex apply_patch (its own tool, or a shell call running apply_patch with the patch as
    a here-document or an argument): per file the patch's '+' and '-' lines (Add File: its
    lines, removed 0; Delete File: removed unknown).
  The project is lumo's: the last component of the session's cwd (Claude, Codex), the
  tmp/<project> folder of a Gemini chat. languages: the same changes per language, from the
  generator's own extension table (LANGUAGES).
- git: per operation (git subcommand, or "gh <group> <command>") the runs and how many
  were in calls that succeeded, failed or whose outcome is unknown. Each shell command
  comes from COMMANDS with the operations it runs written beside it (a command can run
  none: echo "git push", grep 'git commit'; the git lines of a here-document's body are
  text, not commands).
- results_lost: the calls whose result was written but lost with every copy of its line.
The tool calls draw from their own random.Random, so the v2 draws (sessions, responses,
tokens) stay as they were: a seed gives the sessions and billed requests of v2 in the same
order (how many of them fit the size depends on the bytes, which differ a little). The
byte mix stays v2's: Claude edits and writes carry 2.5 times the random input v2 drew for
a call (Bash, Read and Grep inputs are small), Codex outputs take two thirds of a turn's
text and Gemini results half a message's; tool inputs and results stay about two thirds
of the bytes.
"""
import argparse
import json
import os
import random
import time

START = 1767225600  # 2026-01-01T00:00:00Z
GENERATOR = "lumo tests/bench/gen_corpus.py v3"
MODELS = [("claude-sonnet-4-5-20250929", 50), ("claude-opus-4-6", 20), ("claude-haiku-4-5-20251001", 15),
          ("claude-opus-4-5-20251101", 10), ("claude-sonnet-4-20250514", 5)]
WORDS = ("the of and to in is that for it with as was on be by this are or from at an which "
         "function return value error file path test build cache token session model query index "
         "buffer stream parse line record json scanner reader table column view sync price cost").split()
# The extensions and names of the files the calls change, with their language (GitHub
# linguist's names; None: no language), weights, and the generator's truth of languages.
LANGUAGES = {"c": "C", "h": "C", "py": "Python", "ts": "TypeScript", "tsx": "TypeScript", "go": "Go",
             "rs": "Rust", "md": "Markdown", "json": "JSON", "yaml": "YAML", "sh": "Shell", "sql": "SQL",
             "lock": None, "ipynb": "Jupyter Notebook"}
EXTENSIONS = [("c", 14), ("h", 5), ("py", 16), ("ts", 14), ("tsx", 5), ("go", 8), ("rs", 8), ("md", 8),
              ("json", 5), ("yaml", 4), ("sh", 3), ("sql", 3), ("lock", 2)]
NAMED_FILES = {"Makefile": "Makefile", "Dockerfile": "Dockerfile", "LICENSE": None, ".gitignore": None}
# Shell commands and the git operations each runs, in order (independent of lumo's parser:
# written by hand). {b} a branch, {m} a message, {n} a number, {p} a path, {d} the cwd.
COMMANDS = [
    ("git status", ["status"]),
    ("git status --short && git diff --stat", ["status", "diff"]),
    ("git diff HEAD~1 -- {p}", ["diff"]),
    ("git log --oneline -{n} | cat", ["log"]),
    ('git add -A && git commit -m "{m}"', ["add", "commit"]),
    ("git commit -am '{m}'", ["commit"]),
    ("git commit -m \"$(cat <<'EOF'\n{m}\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nEOF\n)\"", ["commit"]),
    ("git push -u origin {b}", ["push"]),
    ("git push", ["push"]),
    ("git pull --rebase origin main", ["pull"]),
    ("git checkout -b {b}", ["checkout"]),
    ("git checkout main && git merge --no-ff {b}", ["checkout", "merge"]),
    ("git switch {b}", ["switch"]),
    ("git fetch origin && git rebase origin/main", ["fetch", "rebase"]),
    ("GIT_EDITOR=true git rebase --continue", ["rebase"]),
    ("git stash && git pull && git stash pop", ["stash", "pull", "stash"]),
    ("git -C {d} log -1 --format=%H", ["log"]),
    ("cd {d} && git branch -a", ["branch"]),
    ("git tag v0.{n}.0 && git push --tags", ["tag", "push"]),
    ('gh pr create --title "{m}" --body "Closes #{n}"', ["gh pr create"]),
    ("gh pr view {n} --json state", ["gh pr view"]),
    ("gh run list --limit 5", ["gh run list"]),
    ("git reset --hard HEAD~1", ["reset"]),
    ("git cherry-pick a1b2c{n}", ["cherry-pick"]),
    ('git commit -m "wip; do not push (yet)" && git push', ["commit", "push"]),
    ("(cd sub && git pull) || git submodule update --init", ["pull", "submodule"]),
    ("git --no-pager log -{n} --stat", ["log"]),
    ("git -c core.editor=true rebase --continue", ["rebase"]),
    ("sudo git clean -fd", ["clean"]),
    # here-documents: the body is text, not commands
    ("cat > scripts/release.sh <<'EOF'\n#!/bin/sh\ngit tag v0.{n}.0\ngit push --tags\nEOF\n"
     "chmod +x scripts/release.sh && git add scripts/release.sh", ["add"]),
    ("git commit -F - <<EOF\n{m}\n\ngit push follows\nEOF", ["commit"]),
    ("npm test", []), ("make -j4", []), ("cargo test", []), ("pytest -q", []), ("ls -la src", []),
    ("go build ./...", []), ("cat Makefile | head -20", []), ("python3 -m pytest tests/ -x", []),
    ("grep -rn 'git commit' docs/", []), ('echo "git push later"', []),
]
# Codex's argv form of a command (a shell call without bash -lc): the words, joined by spaces.
ARGV_COMMANDS = [(["git", "status"], ["status"]), (["git", "push", "origin", "main"], ["push"]),
                 (["git", "pull"], ["pull"]), (["ls", "-la"], []), (["cargo", "build"], [])]
MCP_TOOLS = [("github", "create_issue"), ("github", "get_pull_request"), ("github", "list_commits"),
             ("claude_ai_Linear", "list_issues"), ("claude_ai_Linear", "create_issue"),
             ("playwright", "browser_navigate"), ("playwright", "browser_snapshot"),
             ("context7", "get-library-docs"), ("context7", "resolve-library-id")]
BRANCHES = ["feature/cache", "fix/parser", "main", "release-1.2", "dev/sync"]


class ActivityTruth:
    """The truth of the tool calls. A call is recorded as it is built, with the outcome its
    result will say (error True/False; None while no result is written) and the figures of
    its files; the outcome and the agent's own figures (Claude's toolUseResult) count only
    where the result's line survives, known once the damage is done (Claude: survived())."""

    def __init__(self):
        self.calls = {}  # (agent, id) -> call
        self.survived_ids = set()  # Claude tool_use ids with a result line intact in some file

    def call(self, agent, cid, tool, project, plan_error, files=(), said=None, git=(), mcp=None):
        """files: [path, added, removed] from the input (removed None: unknown); said: the
        result record's figures per file, [added, removed], or None; plan_error: the outcome
        its result says when one is written."""
        c = {"agent": agent, "id": cid, "tool": tool, "project": project, "plan": plan_error, "error": None,
             "files": [list(f) for f in files], "said": said, "git": list(git), "mcp": mcp}
        self.calls[(agent, cid)] = c
        return c

    def result_written(self, agent, cid):
        c = self.calls.get((agent, cid))
        if c:
            c["error"] = c["plan"]
        return c

    def survived(self, cid):
        self.survived_ids.add(cid)

    def finish(self):
        tools, mcp, files, langs, git = {}, {}, {}, {}, {}
        lost = 0
        for c in self.calls.values():
            known = c["error"] is not None and (c["agent"] != "claude" or c["id"] in self.survived_ids)
            lost += c["error"] is not None and not known
            err = c["error"] if known else None
            t = tools.setdefault((c["agent"], c["tool"]), {"calls": 0, "results": 0, "errors": 0})
            t["calls"] += 1
            t["results"] += known
            t["errors"] += err is True
            if c["mcp"]:
                m = mcp.setdefault((c["agent"], c["mcp"][0]), {"calls": 0, "errors": 0, "tools": set()})
                m["calls"] += 1
                m["errors"] += err is True
                m["tools"].add(c["mcp"][1])
            said = c["said"] if c["said"] is not None and (c["agent"] != "claude" or known) else None
            for i, (path, added, removed) in enumerate(c["files"]):
                if said is not None:
                    added, removed = said[i]
                f = files.setdefault((c["agent"], c["project"], path), {"changes": 0, "lines_added": 0, "lines_removed": 0,
                                                                         "unknown_removed": 0, "failed_changes": 0})
                lang = language_of(path)
                g = langs.setdefault(lang, {"changes": 0, "lines_added": 0, "lines_removed": 0, "unknown_removed": 0,
                                            "files": set()})
                if err is True:  # the views leave failed calls out
                    f["failed_changes"] += 1
                    continue
                for tgt in (f, g):
                    tgt["changes"] += 1
                    tgt["lines_added"] += added
                    if removed is None:
                        tgt["unknown_removed"] += 1
                    else:
                        tgt["lines_removed"] += removed
                g["files"].add((c["project"], path))
            for op in c["git"]:
                k = git.setdefault(op, {"runs": 0, "succeeded": 0, "failed": 0, "unknown": 0})
                k["runs"] += 1
                k["succeeded" if err is False else "failed" if err else "unknown"] += 1
        return {
            "tools": [dict(agent=a, tool_name=n, **v) for (a, n), v in sorted(tools.items())],
            "mcp": [dict(agent=a, server=s, calls=v["calls"], errors=v["errors"], tools=len(v["tools"]))
                    for (a, s), v in sorted(mcp.items())],
            "files": [dict(agent=a, project=p, path=f, language=language_of(f), **v)
                      for (a, p, f), v in sorted(files.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))],
            "languages": [dict(language=k, changes=v["changes"], lines_added=v["lines_added"],
                               lines_removed=v["lines_removed"], unknown_removed=v["unknown_removed"],
                               files=len(v["files"])) for k, v in sorted(langs.items(), key=lambda kv: kv[0] or "")
                          if v["changes"]],
            "git": [dict(operation=k, **v) for k, v in sorted(git.items())],
            "results_lost": lost,  # results written whose every copy was in a damaged line
        }


def language_of(path):
    name = path.rsplit("/", 1)[-1]
    if name in NAMED_FILES:
        return NAMED_FILES[name]
    return LANGUAGES.get(name.rsplit(".", 1)[-1]) if "." in name[1:] else None


def cut_text(s, n):
    """The first n characters of an escaped text, never half an escape."""
    s = s[:n]
    while s.endswith("\\"):
        s = s[:-1]
    return s


def parse_size(s):
    s = s.strip().upper()
    for suf, mult in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if s.endswith(suf):
            return int(float(s[:-1]) * mult)
    return int(s)


def iso(t_ms):
    s, ms = divmod(t_ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03dZ" % ms


class Gen:
    def __init__(self, out, size, seed):
        self.r = random.Random(seed)
        self.out = out
        self.size = size
        self.pending_tools = []  # tool_use ids of the last response without a result yet
        self.written = 0
        self.files = 0
        self.daily = {}
        self.totals = {"messages": 0, "input": 0, "output": 0, "cache_read": 0, "cache_write_5m": 0, "cache_write_1h": 0}
        self.counts = {}
        r = self.r
        # A pool of text to slice content from: code-like lines with quotes to escape.
        lines = []
        for _ in range(4000):
            n = r.randint(3, 14)
            lines.append(" ".join(r.choice(WORDS) for _ in range(n)) + ('("x", %d);' % r.randint(0, 999) if r.random() < 0.3 else ""))
        self.pool = json.dumps("\n".join(lines))[1:-1]  # escaped once, reused as JSON string bodies
        self.pool_lines = lines  # raw: the lines of edits and written files
        self.b64 = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(65536))
        self.last_small_session = None
        # v3: the tool calls' own random stream (the v2 draws above stay in step) and truth
        self.t = random.Random(seed * 1000003 + 20)
        self.truth = ActivityTruth()
        self.last_result_id = None

    def bump(self, k, n=1):
        self.counts[k] = self.counts.get(k, 0) + n

    def text(self, n, rng=None):
        i = (rng or self.r).randrange(0, max(1, len(self.pool) - n))
        s = self.pool[i:i + n]
        while s.endswith("\\"):  # never cut an escape in half
            s = s[:-1]
        return s

    def ttext(self, n):
        """text() drawn from the tool calls' stream."""
        return self.text(n, self.t)

    def hexid(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hexid(32)
        return "%s-%s-4%s-8%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:32])

    def count(self, t_ms, model, u):
        day = iso(t_ms)[:10]
        d = self.daily.setdefault((day, model), {"messages": 0, "input": 0, "output": 0, "cache_read": 0,
                                                  "cache_write_5m": 0, "cache_write_1h": 0})
        for tgt in (d, self.totals):
            tgt["messages"] += 1
            tgt["input"] += u["input_tokens"]
            tgt["output"] += u["output_tokens"]
            tgt["cache_read"] += u["cache_read_input_tokens"]
            tgt["cache_write_5m"] += u["cache_creation"]["ephemeral_5m_input_tokens"]
            tgt["cache_write_1h"] += u["cache_creation"]["ephemeral_1h_input_tokens"]

    def env(self, sid, cwd, side, ts, typ):
        return {"parentUuid": None, "isSidechain": side, "userType": "external", "cwd": cwd, "sessionId": sid,
                "version": "2.1.39", "gitBranch": "main", "type": typ, "uuid": self.uuid(), "timestamp": ts}

    def response(self, sid, cwd, side, t_ms, model, counted):
        """Returns (lines, last usage, message id, t_ms); counts the response when counted."""
        r = self.r
        mid = "msg_01" + self.hexid(22)
        rid = "req_011C" + self.hexid(20)
        inp = r.randint(1, 12)
        cr = r.randint(0, 150000)
        c5, c1 = (r.randint(0, 8000), 0) if r.random() < 0.3 else (0, r.randint(0, 8000))
        final_out = r.randint(20, 3000)
        blocks = []
        if r.random() < 0.5:
            blocks.append({"type": "thinking", "thinking": self.text(r.randint(200, 3000)), "signature": self.b64[:r.randint(200, 800)]})
        blocks.append({"type": "text", "text": self.text(r.randint(50, 2000))})
        self.pending_tools = []
        for _ in range(r.choice((0, 0, 1, 1, 2, 3))):
            # v2 drew an id, a name, a word and a random input of 100-6000 characters; v3 draws
            # the same and builds the call from them (claude_call)
            tid = "toolu_01" + self.hexid(20)
            family = r.choice(["Bash", "Edit", "Read", "Write", "Grep"])
            word = r.choice(WORDS)
            size = r.randint(100, 6000)
            self.text(size)
            name, tool_input = self.claude_call(tid, family, word, size, cwd, cwd.rsplit("/", 1)[-1])
            blocks.append({"type": "tool_use", "id": tid, "name": name, "input": tool_input})
            self.pending_tools.append(tid)
        lines = []
        outs = sorted(r.randint(1, final_out) for _ in range(len(blocks) - 1)) + [final_out]
        u = None
        for i, (b, o) in enumerate(zip(blocks, outs)):
            u = {"input_tokens": inp, "cache_creation_input_tokens": c5 + c1, "cache_read_input_tokens": cr,
                 "cache_creation": {"ephemeral_5m_input_tokens": c5, "ephemeral_1h_input_tokens": c1},
                 "output_tokens": o, "service_tier": "standard"}
            rec = self.env(sid, cwd, side, iso(t_ms + i * 150), "assistant")
            rec["message"] = {"model": model, "id": mid, "type": "message", "role": "assistant", "content": [b],
                              "stop_reason": None, "stop_sequence": None, "usage": u}
            rec["requestId"] = rid
            lines.append(json.dumps(rec, separators=(",", ":")))
            if i:
                self.bump("duplicate_usage_lines")
        if counted:
            self.count(t_ms + (len(blocks) - 1) * 150, model, u)
        return lines, (mid, u, model, t_ms + (len(blocks) - 1) * 150), t_ms + len(blocks) * 150

    def tool_result(self, sid, cwd, side, t_ms):
        """A user record with a tool result (or an image); last_result_id: the call it answers."""
        r = self.r
        self.last_result_id = None
        rec = self.env(sid, cwd, side, iso(t_ms), "user")
        if r.random() < 0.002:
            content = [{"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                     "data": self.b64 * r.randint(8, 40)}}]
            self.bump("image_lines")
        else:
            # the result of the response's next unanswered call (an id of the same length, drawn
            # all the same, when none is left: the bytes and the random sequence stay as in v2)
            tid = "toolu_01" + self.hexid(20)
            if self.pending_tools:
                tid = self.pending_tools.pop(0)
            block = {"type": "tool_result", "tool_use_id": tid,
                     "content": self.text(r.randint(500, 8000) if r.random() < 0.9 else r.randint(8000, 120000))}
            c = self.truth.result_written("claude", tid)
            if c:  # v3: the result the call was built to have
                extra = c["extra"]
                block["content"] = extra.get("head", "") + block["content"]
                if c["error"]:
                    block["is_error"] = True
                if "tur" in extra:
                    rec["toolUseResult"] = extra["tur"]
                self.last_result_id = tid
            content = [block]
        rec["message"] = {"role": "user", "content": content}
        return json.dumps(rec, separators=(",", ":"))

    def write(self, path, lines, mtime_s, torn=None):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = "".join(l + "\n" for l in lines) + (torn or "")
        b = data.encode("utf-8")
        with open(path, "wb") as f:
            f.write(b)
        os.utime(path, (mtime_s, mtime_s))
        self.written += len(b)
        self.files += 1

    def session(self, t_ms):
        r = self.r
        proj = r.choice(["api", "web", "lumo", "infra", "docs", "cli"]) + "-" + r.choice(["core", "app", "svc"])
        cwd = "/home/dev/src/" + proj
        esc = "".join(ch if ch.isalnum() else "-" for ch in cwd)
        sid = self.uuid()
        model = r.choices([m for m, _ in MODELS], [w for _, w in MODELS])[0]
        lines = []
        prev = self.last_small_session
        if prev and prev[0] == esc and r.random() < 0.3:
            # resumed: the earlier session's lines, verbatim but for the session id
            lines = [l.replace(prev[1], sid) for l in prev[2]]
            self.bump("resumed_sessions")
        n_resp = min(150, int(r.paretovariate(1.3) * 4))
        kept = []
        result_of = {}  # result line -> tool_use id: a result survives when its line does
        for _ in range(n_resp):
            u = self.env(sid, cwd, False, iso(t_ms), "user")
            u["message"] = {"role": "user", "content": self.text(r.randint(20, 400))}
            lines.append(json.dumps(u, separators=(",", ":")))
            t_ms += r.randint(2000, 20000)
            rl, k, t_ms = self.response(sid, cwd, False, t_ms, model, True)
            lines.extend(rl)
            kept.append(k)
            for _ in range(r.choice((0, 1, 1, 2))):
                lines.append(self.tool_result(sid, cwd, False, t_ms))
                if self.last_result_id:
                    result_of[lines[-1]] = self.last_result_id
                t_ms += r.randint(500, 5000)
            if r.random() < 0.02:
                syn = self.env(sid, cwd, False, iso(t_ms), "assistant")
                syn["isApiErrorMessage"] = True
                syn["message"] = {"model": "<synthetic>", "id": "msg_" + self.hexid(24), "role": "assistant",
                                  "content": [{"type": "text", "text": "API Error: 529 overloaded"}],
                                  "usage": {"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0,
                                            "cache_read_input_tokens": 0}}
                lines.append(json.dumps(syn, separators=(",", ":")))
                self.bump("synthetic_records")
        subs = []
        for k in range(r.choice((0, 1, 1, 2, 3, 4))):
            sl = []
            st = t_ms - r.randint(10000, 60000)
            for _ in range(r.randint(2, 12)):
                rl, _, st = self.response(sid, cwd, True, st, "claude-haiku-4-5-20251001", True)
                sl.extend(rl)
                sl.append(self.tool_result(sid, cwd, True, st))
                if self.last_result_id:  # subagent files take no damage
                    self.truth.survived(self.last_result_id)
            subs.append(("agent-%s.jsonl" % self.hexid(7), sl))
        if kept and r.random() < 0.1:
            # /btw aside: replays a main response with a new requestId and more cache read
            mid, u, m, tt = kept[-1]
            rec = self.env(sid, cwd, True, iso(t_ms + 1000), "assistant")
            u2 = dict(u, cache_read_input_tokens=u["cache_read_input_tokens"] + 30000)
            rec["message"] = {"model": m, "id": mid, "type": "message", "role": "assistant",
                              "content": [{"type": "text", "text": "(replayed)"}], "usage": u2}
            rec["requestId"] = "req_011C" + self.hexid(20)
            subs.append(("agent-aside_question-%s.jsonl" % self.hexid(8), [json.dumps(rec, separators=(",", ":"))]))
            self.bump("sidechain_replays")
        torn = None
        x = r.random()
        if x < 0.02 and len(lines) > 4:
            i = r.randrange(1, len(lines) - 1)  # merged: neither record counts
            if '"usage"' in lines[i] or '"usage"' in lines[i + 1]:
                pass  # keep the truth simple: merge only lines without usage
            else:
                lines[i] = lines[i] + lines[i + 1]
                del lines[i + 1]
                self.bump("merged_lines")
        elif x < 0.04:
            lines.insert(r.randrange(len(lines)), '{"type":"assistant","message":{"id":"msg_01')
            self.bump("garbage_lines")
        if r.random() < 0.02:
            torn = '{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"us'
            self.bump("torn_last_lines")
        for l in lines:
            if l in result_of:
                self.truth.survived(result_of[l])
        mtime = t_ms // 1000 + 5
        d = os.path.join(self.out, "claude", "projects", esc)
        self.write(os.path.join(d, sid + ".jsonl"), lines, mtime, torn)
        for name, sl in subs:
            self.write(os.path.join(d, sid, "subagents", name), sl, mtime)
        self.bump("sessions")
        if len(lines) < 300 and not torn:
            self.last_small_session = (esc, sid, lines)
        return t_ms

    # ------------------------------------------------------------ tool calls (v3)

    def path(self, root, stem=None):
        """A file of a project: root/<dir>/<stem>.<ext>, or a named file (Makefile, ...)."""
        t = self.t
        if t.random() < 0.06:
            return root + "/" + t.choice(sorted(NAMED_FILES))
        ext = t.choices([e for e, _ in EXTENSIONS], [w for _, w in EXTENSIONS])[0]
        d = t.choice(["src", "src", "lib", "tests", "docs", "scripts"])
        return "%s/%s/%s.%s" % (root, d, stem or t.choice(WORDS), ext)

    def command(self, cwd):
        """A shell command and the git operations it runs."""
        t = self.t
        tpl, ops = t.choice(COMMANDS)
        msg = " ".join(t.choice(WORDS) for _ in range(t.randint(2, 6))).capitalize()
        cmd = tpl.format(b=t.choice(BRANCHES), m=msg, n=t.randint(1, 99), p=self.path("src", None)[4:], d=cwd)
        return cmd, ops

    def new_lines(self, n):
        return [self.t.choice(self.pool_lines) for _ in range(n)]

    def edit_parts(self, n):
        """An edit of up to n changed lines a side: (old, new, removed, added, hunk lines).
        Built as head + R + tail -> head + A + tail with R's and A's first and last lines
        different, so removed = len(R) and added = len(A)."""
        t = self.t
        head, tail = self.new_lines(t.randint(0, 3)), self.new_lines(t.randint(0, 3))
        rem = self.new_lines(t.randint(0, max(1, n)))
        add = self.new_lines(t.randint(0 if rem else 1, max(1, n)))
        if rem and add:
            if add[0] == rem[0]:
                add[0] += "  // changed"
            if add[-1] == rem[-1]:
                add[-1] += "  // changed"
        if not (head or rem or tail):
            head = self.new_lines(1)
        hunk = [" " + x for x in head] + ["-" + x for x in rem] + ["+" + x for x in add] + [" " + x for x in tail]
        return "\n".join(head + rem + tail), "\n".join(head + add + tail), len(rem), len(add), hunk

    def write_parts(self, n):
        """A whole file of n lines, and the region an update over an older copy replaced:
        (content, hunk lines, removed, added) of that region."""
        t = self.t
        lines = self.new_lines(max(1, n))
        i = t.randrange(len(lines))
        j = min(len(lines), i + t.randint(0, 6))
        old = self.new_lines(t.randint(0 if j > i else 1, 6))
        hunk = ([" " + x for x in lines[max(0, i - 3):i]] + ["-" + x for x in old] + ["+" + x for x in lines[i:j]] +
                [" " + x for x in lines[j:j + 3]])
        return "\n".join(lines) + "\n", hunk, len(old), j - i

    def claude_call(self, tid, family, word, size, cwd, project):
        """The name and input of a Claude tool_use (the v2 draws family, word and size say
        its kind and bytes: edits and writes carry what v2's random inputs did), recorded
        in the truth with the result it will have."""
        t = self.t
        extra = {}  # what tool_result writes: the content's first line, toolUseResult
        files, said, git, mcp = [], None, [], None
        if family == "Bash":
            cmd, git = self.command(cwd)
            name, inp = "Bash", {"command": cmd, "description": "Run " + cmd.split()[0]}
            err = t.random() < 0.15
            extra["head"] = "Exit code 1\n" if err else ""
        elif family == "Edit" and t.random() < 0.05:
            # lumo's rule: insert adds the source's lines and removes none; replace adds them
            # and removes the old cell's (not in the input: unknown); delete adds none
            mode = t.choice(["insert", "replace", "delete"])
            src = self.new_lines(t.randint(1, 30))
            path = "%s/notebooks/%s.ipynb" % (cwd, word)
            name, inp = "NotebookEdit", {"notebook_path": path, "cell_id": "cell-%d" % t.randint(1, 40),
                                         "new_source": "\n".join(src), "edit_mode": mode}
            files = [(path, 0 if mode == "delete" else len(src), 0 if mode == "insert" else None)]
            err = t.random() < 0.06
            extra["head"] = "Updated cell\n"
        elif family == "Edit":
            path = self.path(cwd, word)
            err = t.random() < 0.06
            if t.random() < 0.25:
                parts = [self.edit_parts(max(1, size // (18 * 3))) for _ in range(t.randint(2, 4))]
                name = "MultiEdit"
                inp = {"file_path": path, "edits": [{"old_string": o, "new_string": n} for o, n, _, _, _ in parts]}
                files = [(path, sum(p[3] for p in parts), sum(p[2] for p in parts))]
                hunks = [p[4] for p in parts]
            else:
                old, new, rem, add, hunk = self.edit_parts(max(1, size // 18))
                name, inp = "Edit", {"file_path": path, "old_string": old, "new_string": new}
                k = 1
                if t.random() < 0.15:  # replace_all: Claude Code's patch has a hunk per place
                    inp["replace_all"] = True
                    k = t.randint(2, 4)
                files = [(path, add, rem)]
                hunks = [hunk] * k
            if err:
                extra["head"] = "<tool_use_error>String to replace not found in file.</tool_use_error>\n"
                extra["tur"] = "Error: String to replace not found in file."
            else:
                extra["head"] = "The file %s has been updated. Here's the result of running `cat -n`:\n" % path
                if t.random() < 0.7:
                    extra["tur"] = {"filePath": path, "structuredPatch": [
                        {"oldStart": 10 + 20 * i, "oldLines": 0, "newStart": 10 + 20 * i, "newLines": 0, "lines": h}
                        for i, h in enumerate(hunks)], "userModified": False,
                        "replaceAll": bool(inp.get("replace_all"))}
                    said = [(sum(sum(1 for x in h if x[0] == "+") for h in hunks),
                             sum(sum(1 for x in h if x[0] == "-") for h in hunks))]
        elif family == "Write" and t.random() < 0.85:
            path = self.path(cwd, word)
            content, hunk, rem, add = self.write_parts(max(1, size // 18))
            n = content.count("\n")
            name, inp = "Write", {"file_path": path, "content": content}
            err = t.random() < 0.02
            files = [(path, n, None)]
            extra["head"] = "File created successfully at: %s\n" % path
            x = t.random()
            if not err and x < 0.5:
                extra["tur"] = {"type": "create", "filePath": path, "structuredPatch": []}
                said = [(n, 0)]
            elif not err and x < 0.8:
                extra["tur"] = {"type": "update", "filePath": path, "structuredPatch": [
                    {"oldStart": 1, "oldLines": 0, "newStart": 1, "newLines": 0, "lines": hunk}]}
                said = [(add, rem)]
        elif family == "Write":
            name = "TodoWrite"
            inp = {"todos": [{"content": " ".join(self.new_lines(1)), "status": t.choice(["pending", "completed"]),
                              "activeForm": "Working"} for _ in range(t.randint(1, 6))]}
            err = False
        else:
            x = t.random()
            if x < (0.15 if family == "Read" else 0.2):
                server, tool = t.choice(MCP_TOOLS)
                name, inp, mcp = "mcp__%s__%s" % (server, tool), {"query": word, "limit": t.randint(1, 50)}, (server, tool)
                err = t.random() < 0.12
            elif family == "Read" and x < 0.25:
                name, inp, err = "Glob", {"pattern": "**/*." + t.choice(EXTENSIONS)[0]}, False
            elif family == "Read":
                name, inp = "Read", {"file_path": self.path(cwd, word)}
                if t.random() < 0.3:
                    inp.update(offset=t.randint(1, 500), limit=t.randint(50, 400))
                err = t.random() < 0.04
            elif x < 0.3:
                name, inp = "WebFetch", {"url": "https://docs.example.com/" + word, "prompt": "Summarize " + word}
                err = t.random() < 0.05
            else:
                name, inp = "Grep", {"pattern": word + ".*" + t.choice(WORDS), "path": cwd, "output_mode": "content"}
                err = t.random() < 0.02
            extra["head"] = "Error: failed\n" if err else ""
        c = self.truth.call("claude", tid, name, project, err, files, said, git, mcp)
        c["extra"] = extra
        return name, inp

    def patch(self, size):
        """An apply_patch text of 1-3 files and their [path, added, removed]: an update's
        removed and added lines (edit_parts), an added file's lines, a deleted file
        (removed unknown: the patch does not hold its lines)."""
        t = self.t
        text, files = ["*** Begin Patch"], []
        for _ in range(t.randint(1, 3)):
            p = self.path("src" if t.random() < 0.8 else "tests")
            x = t.random()
            if x < 0.7:
                _, _, rem, add, hunk = self.edit_parts(max(1, size // 60))
                text += ["*** Update File: " + p, "@@"] + hunk
                files.append((p, add, rem))
            elif x < 0.9:
                lines = self.new_lines(t.randint(1, 40))
                text += ["*** Add File: " + p] + ["+" + l for l in lines]
                files.append((p, len(lines), 0))
            else:
                text += ["*** Delete File: " + p]
                files.append((p, 0, None))
        text.append("*** End Patch")
        return "\n".join(text) + "\n", files

    def codex_calls(self, cwd, t_ms, budget):
        """A Codex turn's tool calls (their lines), recorded in the truth with their outputs."""
        t = self.t
        project = cwd.rsplit("/", 1)[-1]
        out = []
        n = t.randint(1, 3)
        for i in range(n):
            at = t_ms + 100 + i * 300
            cid = "call_" + "".join(t.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                    for _ in range(24))
            size = max(50, budget // n)
            body = self.ttext(size)
            kind = t.choices(["shell", "exec_command", "shell_command", "apply_patch", "shell_patch", "mcp"],
                             [35, 20, 15, 17, 3, 10])[0]
            files, git, mcp, events = [], [], None, []

            def item(payload, ms):
                return json.dumps({"timestamp": iso(ms), "type": "response_item", "payload": payload},
                                  separators=(",", ":"))

            def event(payload, ms):
                return json.dumps({"timestamp": iso(ms), "type": "event_msg", "payload": payload},
                                  separators=(",", ":"))

            if kind in ("shell", "exec_command", "shell_command"):
                code = t.choice([1, 2, 101, 127]) if t.random() < 0.15 else 0
                secs = t.randint(0, 30)
                if kind == "shell" and t.random() < 0.15:
                    argv, git = t.choice(ARGV_COMMANDS)
                    args = {"command": argv, "workdir": cwd}
                    cmd = " ".join(argv)
                else:
                    cmd, git = self.command(cwd)
                    args = ({"command": ["bash", "-lc", cmd], "workdir": cwd, "timeout_ms": 120000} if kind == "shell"
                            else {"cmd": cmd, "yield_time_ms": 1000} if kind == "exec_command"
                            else {"command": cmd, "workdir": cwd})
                call = item({"type": "function_call", "name": kind, "arguments": json.dumps(args), "call_id": cid}, at)
                if kind == "shell":
                    output = json.dumps({"output": body, "metadata": {"exit_code": code, "duration_seconds": secs}})
                    if t.random() < 0.5:  # the CLI's own end event says the same exit code
                        events.append(event({"type": "exec_command_end", "call_id": cid, "stdout": "", "stderr": "",
                                             "exit_code": code, "duration": {"secs": secs, "nanos": 0},
                                             "formatted_output": body[:200]}, at + 150))
                elif kind == "exec_command":
                    output = ("Chunk ID: %04x\nWall time: %d.0521 seconds\nProcess exited with code %d\n"
                              "Original token count: %d\nOutput:\n%s" % (t.randrange(65536), secs, code, size // 4, body))
                else:
                    output = "Exit code: %d\nWall time: %d seconds\nOutput:\n%s" % (code, secs, body)
                err = code != 0
                name = kind
                result = item({"type": "function_call_output", "call_id": cid, "output": output}, at + 200)
            elif kind == "shell_patch":  # older builds: a shell call that runs apply_patch
                err = t.random() < 0.08
                patch, files = self.patch(size)
                argv = (["bash", "-lc", "apply_patch <<'EOF'\n" + patch + "EOF\n"] if t.random() < 0.6
                        else ["apply_patch", patch])
                name = "shell"
                call = item({"type": "function_call", "name": "shell", "call_id": cid,
                             "arguments": json.dumps({"command": argv, "workdir": cwd})}, at)
                output = json.dumps({"output": "Failed to find expected lines\n" if err else "Success. Updated the"
                                     " following files:\n", "metadata": {"exit_code": int(err), "duration_seconds": 0}})
                result = item({"type": "function_call_output", "call_id": cid, "output": output}, at + 200)
            elif kind == "apply_patch":
                err = t.random() < 0.08
                patch, files = self.patch(size)
                name = "apply_patch"
                call = item({"type": "custom_tool_call", "status": "completed", "call_id": cid, "name": "apply_patch",
                             "input": patch}, at)
                events.append(event({"type": "patch_apply_end", "call_id": cid, "stdout": "", "stderr": "",
                                     "success": not err}, at + 150))
                output = ("Exit code: 1\nWall time: 0 seconds\nOutput:\nFailed to find expected lines in %s\n" % files[0][0]
                          if err else "Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\n"
                          + "".join("M %s\n" % f[0] for f in files))
                result = item({"type": "custom_tool_call_output", "call_id": cid, "output": output}, at + 200)
            else:
                server, tool = t.choice(MCP_TOOLS)
                name, mcp = "%s__%s" % (server, tool), (server, tool)
                args = {"query": t.choice(WORDS), "limit": t.randint(1, 50)}
                err = t.random() < 0.12
                call = item({"type": "function_call", "name": name, "arguments": json.dumps(args), "call_id": cid}, at)
                res = ({"Err": "tool call failed: timeout"} if err and t.random() < 0.3 else
                       {"Ok": {"content": [{"type": "text", "text": body[:300]}], "isError": err}})
                events.append(event({"type": "mcp_tool_call_end", "call_id": cid,
                                     "invocation": {"server": server, "tool": tool, "arguments": args},
                                     "duration": {"secs": 0, "nanos": t.randrange(10 ** 9)}, "result": res}, at + 150))
                result = item({"type": "function_call_output", "call_id": cid, "output": body}, at + 200)
            self.truth.call("codex", cid, name, project, err, files, None, git, mcp)
            self.truth.result_written("codex", cid)
            out += [call] + events + [result]
        return out

    def gemini_calls(self, t_ms, budget, calls_of_session):
        """A Gemini message's toolCalls, recorded in the truth (the project, the chat's
        tmp/<project> folder, is set when the session knows it)."""
        t = self.t
        proj_root = "/home/dev/src/" + t.choice(["site", "api", "tools"])
        out = []
        n = t.randint(1, 2)
        for _ in range(n):
            name = t.choices(["run_shell_command", "read_file", "replace", "write_file", "glob", "google_web_search"],
                             [35, 20, 20, 15, 5, 5])[0]
            cid = "%s-%d-%s" % (name, t_ms, "".join(t.choice("0123456789abcdef") for _ in range(12)))
            size = max(50, budget // n)
            body = self.ttext(size)
            files, said, git, display = [], None, [], body[:400]
            status = "error" if t.random() < 0.05 else "success"
            if name == "run_shell_command":
                cmd, git = self.command(proj_root)
                code = t.choice([1, 2, 127]) if t.random() < 0.15 else 0
                args = {"command": cmd, "description": "Run " + cmd.split()[0]}
                output = "Command: %s\nDirectory: (root)\nOutput: %s\nError: (none)\nExit Code: %d" % (cmd, body, code)
                status = "error" if code else status
            elif name == "read_file":
                args, output = {"absolute_path": self.path(proj_root)}, body
            elif name == "replace":
                path = self.path(proj_root)
                old, new, rem, add, _ = self.edit_parts(max(1, size // 40))
                args = {"file_path": path, "old_string": old, "new_string": new, "expected_replacements": 1}
                files = [(path, add, rem)]
                output = "Successfully modified file: %s (1 replacements)." % path
                if status == "success" and t.random() < 0.7:
                    display = {"fileDiff": "", "fileName": path.rsplit("/", 1)[-1], "filePath": path,
                               "diffStat": {"model_added_lines": add, "model_removed_lines": rem, "model_added_chars": 0,
                                            "model_removed_chars": 0, "user_added_lines": 0, "user_removed_lines": 0},
                               "isNewFile": False}
                    said = [(add, rem)]
            elif name == "write_file":
                path = self.path(proj_root)
                content, _, rem, add = self.write_parts(max(1, size // 40))
                n_lines = content.count("\n")
                args = {"file_path": path, "content": content}
                files = [(path, n_lines, None)]
                output = "Successfully wrote to file: %s." % path
                if status == "success" and t.random() < 0.6:
                    new_file = t.random() < 0.5
                    a, r = (n_lines, 0) if new_file else (add, rem)
                    display = {"fileDiff": "", "fileName": path.rsplit("/", 1)[-1], "filePath": path,
                               "diffStat": {"model_added_lines": a, "model_removed_lines": r, "model_added_chars": 0,
                                            "model_removed_chars": 0, "user_added_lines": 0, "user_removed_lines": 0},
                               "isNewFile": new_file}
                    said = [(a, r)]
            elif name == "glob":
                args, output = {"pattern": "**/*." + t.choice(EXTENSIONS)[0]}, body
            else:
                args, output = {"query": " ".join(t.choice(WORDS) for _ in range(4))}, body
            if status == "success" and t.random() < 0.03:
                status = "cancelled"
            if status != "success":
                said = None
                display = "Error: " + body[:200] if status == "error" else "Tool call cancelled by user."
            out.append({"id": cid, "name": name, "args": args,
                        "result": [{"functionResponse": {"id": cid, "name": name, "response": {"output": output}}}],
                        "status": status, "timestamp": iso(t_ms), "resultDisplay": display, "displayName": name,
                        "description": "", "renderOutputAsMarkdown": True})
            calls_of_session.append(self.truth.call("gemini", cid, name, None, status != "success", files, said, git))
            self.truth.result_written("gemini", cid)
        return out

    # ---------------------------------------------------------------- codex, gemini

    def other(self, agent, day, model, inp, out, cr, reasoning):
        d = self.other_daily.setdefault((agent, day, model), {"messages": 0, "input": 0, "output": 0, "cache_read": 0,
                                                             "reasoning": 0})
        for tgt in (d, self.other_totals.setdefault(agent, {"messages": 0, "input": 0, "output": 0, "cache_read": 0,
                                                               "reasoning": 0})):
            tgt["messages"] += 1
            tgt["input"] += inp
            tgt["output"] += out
            tgt["cache_read"] += cr
            tgt["reasoning"] += reasoning

    def codex_session(self, t_ms):
        """A Codex rollout: moving token totals, re-emitted totals and info:null events
        (not billed), large response items. Truth: input - cached, output, cached."""
        r = self.r
        tid = self.uuid()
        model = r.choice(["gpt-5", "gpt-5.1-codex", "gpt-5-mini"])
        cwd = "/home/dev/src/" + r.choice(["api", "web", "cli"]) + "-svc"
        ts = lambda ms: iso(ms)
        lines = [json.dumps({"timestamp": ts(t_ms), "type": "session_meta",
                             "payload": {"id": tid, "cwd": cwd, "cli_version": "0.120.0", "source": "cli"}},
                            separators=(",", ":"))]
        tot = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_output_tokens": 0,
               "total_tokens": 0}
        for _ in range(r.randint(3, 40)):
            t_ms += r.randint(5000, 120000)
            lines.append(json.dumps({"timestamp": ts(t_ms), "type": "turn_context", "payload": {"model": model, "cwd": cwd}},
                                    separators=(",", ":")))
            text = self.text(r.randint(200, 20000))
            calls = []
            if self.t.random() < 0.7:  # v3: tool calls, whose outputs take two thirds of the text's bytes
                keep = len(text) // 3
                calls = self.codex_calls(cwd, t_ms, len(text) - keep)
                text = cut_text(text, keep)
            lines.append(json.dumps({"timestamp": ts(t_ms), "type": "response_item", "payload": {
                "type": "message", "role": "assistant",
                "content": [{"type": "output_text", "text": text}]}}, separators=(",", ":")))
            lines.extend(calls)
            inp = r.randint(2000, 120000)
            cached = r.randint(0, inp)
            out = r.randint(50, 4000)
            reas = r.randint(0, out)
            last = {"input_tokens": inp, "cached_input_tokens": cached, "output_tokens": out,
                    "reasoning_output_tokens": reas, "total_tokens": inp + out}
            for k in tot:
                tot[k] += last[k]
            ev = {"timestamp": ts(t_ms + 500), "type": "event_msg", "payload": {"type": "token_count", "info": {
                "total_token_usage": dict(tot), "last_token_usage": last, "model_context_window": 272000}}}
            lines.append(json.dumps(ev, separators=(",", ":")))
            self.other("codex", iso(t_ms + 500)[:10], model, inp - cached, out, cached, reas)
            if r.random() < 0.3:  # re-emitted unchanged total
                lines.append(json.dumps(ev, separators=(",", ":")))
                self.bump("codex_reemits")
            if r.random() < 0.2:
                lines.append(json.dumps({"timestamp": ts(t_ms + 600), "type": "event_msg",
                                         "payload": {"type": "token_count", "info": None}}, separators=(",", ":")))
        day = time.strftime("%Y/%m/%d", time.gmtime(t_ms // 1000))
        name = "rollout-%s-%s.jsonl" % (time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime(t_ms // 1000)), tid)
        self.write(os.path.join(self.out, "codex", "sessions", day, name), lines, t_ms // 1000 + 5)
        self.bump("codex_sessions")

    def gemini_session(self, t_ms):
        """A Gemini chat: a legacy whole-file JSON, or (v3, half the chats) the append-only
        JSONL of v0.39+, where a message with tool calls is written twice as the CLI does: first
        without them, then, after a $set, again with them (the last line of an id is its
        state). Truth: input - cached + tool, output + thoughts, once per message."""
        r = self.r
        jsonl = self.t.random() < 0.5
        sid = self.uuid()
        model = r.choice(["gemini-2.5-pro", "gemini-2.5-flash"])
        msgs = []
        calls = []
        start = t_ms
        for _ in range(r.randint(2, 25)):
            t_ms += r.randint(5000, 60000)
            msgs.append({"id": self.uuid(), "timestamp": iso(t_ms), "type": "user", "content": self.text(r.randint(20, 300))})
            t_ms += r.randint(2000, 30000)
            inp = r.randint(1000, 60000)
            cached = r.randint(0, inp // 2)
            out, thoughts, tool = r.randint(20, 3000), r.randint(0, 1500), r.randint(0, 50)
            mid = self.uuid()
            text = self.text(r.randint(100, 8000))
            msgs.append({"id": mid, "timestamp": iso(t_ms), "type": "gemini", "model": model,
                         "content": text,
                         "tokens": {"input": inp, "output": out, "cached": cached, "thoughts": thoughts, "tool": tool,
                                    "total": inp + out + thoughts + tool}})
            if self.t.random() < 0.5:  # v3: tool calls, whose results take half the text's bytes
                keep = len(text) // 2
                msgs[-1]["toolCalls"] = self.gemini_calls(t_ms, len(text) - keep, calls)
                msgs[-1]["content"] = cut_text(text, keep)
            self.other("gemini", iso(t_ms)[:10], model, inp - cached + tool, out + thoughts, cached, thoughts)
        proj = self.hexid(64)
        for c in calls:  # lumo's project of a chat: its tmp/<project> folder
            c["project"] = proj
        name = "session-%s-%s.json" % (time.strftime("%Y-%m-%dT%H-%M", time.gmtime(start // 1000)), sid[:8])
        path = os.path.join(self.out, "gemini", "tmp", proj, "chats", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if jsonl:
            out = [{"sessionId": sid, "projectHash": proj, "startTime": iso(start), "lastUpdated": iso(start),
                    "kind": "main"}]
            for m in msgs:
                if "toolCalls" in m:
                    out += [{k: v for k, v in m.items() if k != "toolCalls"}, {"$set": {"lastUpdated": m["timestamp"]}}]
                out.append(m)
            data = "".join(json.dumps(x, separators=(",", ":")) + "\n" for x in out).encode()
            path += "l"
            self.bump("gemini_jsonl_sessions")
        else:
            doc = {"sessionId": sid, "projectHash": proj, "startTime": iso(start), "lastUpdated": iso(t_ms),
                   "messages": msgs}
            data = json.dumps(doc, indent=2).encode()
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (t_ms // 1000 + 5, t_ms // 1000 + 5))
        self.written += len(data)
        self.files += 1
        self.bump("gemini_sessions")

    def run(self):
        t_ms = START * 1000
        self.other_daily, self.other_totals = {}, {}
        while self.written < self.size:
            t_ms = self.session(t_ms) + self.r.randint(600, 8 * 3600) * 1000
            x = self.r.random()
            if x < 0.35:  # about 14 % of the bytes: Codex; 6 %: Gemini
                self.codex_session(t_ms)
            elif x < 0.6:
                self.gemini_session(t_ms)
        exp = {"generator": GENERATOR, "bytes": self.written, "files": self.files,
               "counts": self.counts, "totals": self.totals, "other_totals": self.other_totals,
               "other_daily": [dict(agent=k[0], date=k[1], model=k[2], **v) for k, v in sorted(self.other_daily.items())],
               "daily": [dict(date=k[0], model=k[1], **v) for k, v in sorted(self.daily.items())],
               "activity": self.truth.finish()}
        with open(os.path.join(self.out, "expected.json"), "w") as f:
            json.dump(exp, f, indent=1, sort_keys=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="100M")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    g = Gen(a.out, parse_size(a.size), a.seed)
    g.run()
    print("gen_corpus: %d files, %.1f MiB" % (g.files, g.written / 1048576.0))


if __name__ == "__main__":
    main()
