"""check_readme: every shell and SQL example of README.md and examples/README.md runs, as
written, against the shipped demo home: fenced ```sh and ```sql blocks, ```json blocks
(they must parse; a Claude Code statusLine setting's command is run with a statusLine
object on stdin and must print one line), and the inline
commands that start with `lumo `, `scripts/lumo ` or `sqlite3 `. HOME is a copy of
examples/demo-home (so ~/.claude, ~/.codex, ~/.gemini and ~/.lumo are the demo's), `lumo`
is scripts/lumo, the working directory is the repository. An example fails when it exits
non-zero or writes a Python traceback or an SQL error. Not run: `make` lines (the build
and this suite themselves; make install is checked by check_cli.py); `lumo watch` runs
until Ctrl-C, so it gets `--count 1` here."""
import os
import re
import shutil
import subprocess
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "readme")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
shutil.copytree(os.path.join(ROOT, "examples", "demo-home"), HOME, symlinks=True)
BIN = os.path.join(OUT, "bin")
os.makedirs(BIN)
with open(os.path.join(BIN, "lumo"), "w") as f:
    f.write('#!/bin/sh\nexec /usr/bin/python3 "%s" "$@"\n' % os.path.join(ROOT, "scripts", "lumo"))
os.chmod(os.path.join(BIN, "lumo"), 0o755)
ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "LUMO_EXTENSION")}
ENV.update(HOME=HOME, PATH=BIN + ":" + os.environ.get("PATH", ""), TZ="UTC", LUMO_MACHINE="demo")


def examples(path):
    """(kind, text, where) of each example of a Markdown file."""
    text = open(os.path.join(ROOT, path)).read()
    for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M):
        if m.group(1) in ("sh", "sql", "json"):
            yield m.group(1), m.group(2), "%s:%d" % (path, text[:m.start()].count("\n") + 1)
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    for m in re.finditer(r"`((?:scripts/lumo|lumo|sqlite3) [^`]+)`", prose):
        yield "sh", " ".join(m.group(1).split()), "%s (inline)" % path  # a span may wrap a line


def run(kind, text):
    if kind == "json":  # must parse; Claude Code's statusLine command runs as Claude Code runs it
        import json
        cmd = json.loads(text).get("statusLine", {}).get("command")
        if not cmd:
            return subprocess.CompletedProcess([], 0, "", "")
        r = subprocess.run(["sh", "-c", cmd], input=json.dumps(
            {"session_id": "s", "transcript_path": os.path.join(HOME, ".claude", "projects", "x", "s.jsonl"),
             "model": {"id": "claude-opus-4-6", "display_name": "Opus"}}), capture_output=True, text=True,
            cwd=ROOT, env=dict(ENV, NO_COLOR="1"), timeout=60)
        if r.returncode == 0 and not (len(r.stdout.splitlines()) == 1 and r.stdout.startswith("Opus | ")):
            r.returncode, r.stderr = 1, "not one status line: %r" % r.stdout
        return r
    if kind == "sql":
        return subprocess.run(["sqlite3", "-bail", ":memory:"], input=text, capture_output=True, text=True,
                              cwd=ROOT, env=ENV, timeout=120)
    lines = []
    for line in text.splitlines():
        if re.match(r"\s*make\b", line):
            continue
        if re.match(r"\s*(scripts/)?lumo watch\b", line) and "--count" not in line:
            line = re.sub(r"(lumo watch)", r"\1 --count 1", line)
        lines.append(line)
    return subprocess.run(["sh", "-e", "-c", "\n".join(lines)], capture_output=True, text=True, cwd=ROOT, env=ENV,
                          timeout=120)


n = 0
for md in ("README.md", "examples/README.md"):
    for kind, text, where in examples(md):
        n += 1
        r = run(kind, text)
        bad = r.returncode != 0 or "Traceback" in r.stderr or re.search(r"^(Error|Parse error|Runtime error)", r.stderr, re.M)
        c.eq("%s example at %s runs: %s" % (kind, where, text.strip().splitlines()[0][:70]), "ok",
             "ok" if not bad else "exit %d: %s" % (r.returncode, (r.stderr or r.stdout).strip()[-400:]))
c.eq("README examples found", True, n >= 5)
print("%d examples run" % n)
c.done()
