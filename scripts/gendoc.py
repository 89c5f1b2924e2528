#!/usr/bin/env python3
"""gendoc.py: writes the README's reference section (and examples/datasette/metadata.json)
from the extension itself, so the
docs cannot drift from the code. It reads lumo_reference (every table, column and
function with its one-line doc, from the same static arrays that declare the schema)
through the sqlite3 shell with dist/lumo loaded, and renders Markdown between the
markers <!-- reference:start --> and <!-- reference:end --> of README.md, and the lumo
command's reference between <!-- cli:start --> and <!-- cli:end --> from scripts/lumo_cli.py's
option table (the one its parser and --help read).

    python3 scripts/gendoc.py --write   # rewrite the section
    python3 scripts/gendoc.py --check   # exit 1 if the README differs (make docs-check)
"""
import json
import re
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
CLI_START, CLI_END = "<!-- cli:start -->", "<!-- cli:end -->"
TABLES = set()
FTS = set()  # FTS5 index tables: their shadow tables (NAME_data, NAME_idx, ...) are SQLite's own


def reference():
    out = subprocess.run(["sqlite3", "-json", "-cmd", ".load dist/lumo", ":memory:",
                          "SELECT kind, name, \"column\", type, hidden, doc FROM lumo_reference"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def view_docs():
    """(name, description, [(column, doc)]) from the header of each views/*.sql."""
    out = []
    for fn in sorted(os.listdir(os.path.join(ROOT, "views"))):
        if not fn.endswith(".sql"):
            continue
        head = []
        for line in open(os.path.join(ROOT, "views", fn), encoding="utf-8"):
            if not line.startswith("--"):
                break
            head.append(line[2:].rstrip("\n"))
        name, desc = head[0].strip().split(":", 1)
        cols, extra = [], []
        for h in head[1:]:
            m = re.match(r"^ ([a-z_0-9]+)\s{2,}(.*)$", h)  # "-- column   what it holds"
            if m:
                cols.append((m.group(1), m.group(2).strip()))
            elif h.strip():
                extra.append(h.strip())
        out.append((name.strip(), " ".join([desc.strip()] + extra), cols))
    return out


def table_docs():
    """(name, description, [(column, doc)]) from sql/schema.sql: the comment block above
    each CREATE TABLE, and the trailing comment of each column line."""
    out, desc = [], []
    lines = open(os.path.join(ROOT, "sql", "schema.sql"), encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"CREATE TABLE IF NOT EXISTS (\w+) \($", line)
        fts = re.match(r"CREATE VIRTUAL TABLE IF NOT EXISTS (\w+) USING fts5\((.*)$", line)
        if line.startswith("-- ") and not out and line.startswith("-- schema.sql"):
            pass
        if fts:  # an FTS5 index: its columns are the indexed ones, named like its content's
            name, spec = fts.group(1), fts.group(2)
            while not spec.rstrip().endswith(");"):
                i += 1
                spec += " " + lines[i].strip()
            args = [a.strip() for a in spec.rstrip().rstrip(");").split(",")]
            content = next((a.split("=", 1)[1].strip("' ") for a in args if a.startswith("content=")), "")
            cols = [(a, "the indexed text of %s.%s (FTS5; MATCH it, snippet() and bm25() read it)" % (content, a))
                    for a in args if "=" not in a]
            d = " ".join(x for x in desc if x)
            out.append((name, d[len(name) + 1:].strip() if d.startswith(name + ":") else d, cols))
            FTS.add(name)
            desc = []
        elif m:
            name, cols = m.group(1), []
            i += 1
            while not lines[i].startswith(")"):
                cm = re.match(r"^  ([a-z_0-9]+) .*?--\s*(.*)$", lines[i])
                if cm and cm.group(1) not in ("PRIMARY",):
                    cols.append((cm.group(1), cm.group(2).strip()))
                elif re.match(r"^  ([a-z_0-9]+) ", lines[i]) and not lines[i].strip().startswith("PRIMARY"):
                    cols.append((re.match(r"^  ([a-z_0-9]+) ", lines[i]).group(1), ""))
                i += 1
            d = " ".join(x for x in desc if x)
            out.append((name, d[len(name) + 1:].strip() if d.startswith(name + ":") else d, cols))
            desc = []
        elif line.startswith("--"):
            desc.append(line[2:].strip())
        else:
            desc = []
        i += 1
    return out


def check_tables(docs, actual):
    problems = []
    for name, desc, cols in docs:
        if not desc:
            problems.append("schema: table %s has no comment above it" % name)
        for c, d in cols:
            if not d:
                problems.append("schema: %s.%s has no comment" % (name, c))
        if [c for c, _ in cols] != actual.get(name):
            problems.append("schema: %s documents %s but has %s" % (name, [c for c, _ in cols], actual.get(name)))
    return problems


def view_columns():
    """Actual columns of every view, in a database lumo_sync built from the traps."""
    db = os.path.join(ROOT, "dist", "gendoc.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    subprocess.run(["sqlite3", "-cmd", ".load dist/lumo", db, "SELECT lumo_sync('tests/fixtures/traps/claude')"],
                   capture_output=True, text=True, cwd=ROOT, check=True)
    out = subprocess.run(["sqlite3", "-json", db, "SELECT m.name AS view, p.name AS col FROM sqlite_schema m, "
                          "pragma_table_info(m.name) p WHERE m.type IN ('view', 'table') ORDER BY m.name, p.cid"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    cols = {}
    for r in json.loads(out.stdout):
        cols.setdefault(r["view"], []).append(r["col"])
    return cols


def check_views(docs, actual):
    """Each header must name exactly the view's columns, in order ('every column of X'
    stands for the columns of table X)."""
    problems = []
    for name, desc, cols in docs:
        got = actual.get(name)
        if got is None:
            problems.append("views: %s is documented but not created" % name)
            continue
        names = [c for c, _ in cols]
        if "every column of usage" in desc:
            got = got[-len(names):]  # the documented columns follow usage's own
        if names != got:
            problems.append("views: %s header lists %s but the view has %s" % (name, names, got))
    for name in actual:
        if name not in [d[0] for d in docs] and name not in TABLES and not any(
                name.startswith(f + "_") and name[len(f) + 1:] in ("data", "idx", "content", "docsize", "config")
                for f in FTS):
            problems.append("views: %s has no header" % name)
    return problems


def section(lines, title, intro, docs):
    """A heading, a sentence, and one column table per (name, description, columns)."""
    lines += ["### " + title, "", intro, ""]
    for name, desc, cols in docs:
        lines += ["#### `%s`" % name, "", desc, "", "| column | meaning |", "|---|---|"]
        lines += ["| `%s` | %s |" % (col, doc.replace("|", "\\|")) for col, doc in cols]
        lines.append("")


def render(rows):
    objs = {}
    for r in rows:
        objs.setdefault((r["kind"], r["name"]), []).append(r)
    lines = ["", "Generated by `scripts/gendoc.py` from `lumo_reference`; `make docs-check` fails when it is stale.", ""]
    for kind in ("table", "function"):
        lines.append("### %s" % ("Virtual tables" if kind == "table" else "Functions"))
        lines.append("")
        for (k, name), rs in sorted(objs.items()):
            if k != kind:
                continue
            head = [r for r in rs if r["column"] is None][0]
            lines.append("#### `%s`" % name)
            lines.append("")
            lines.append(head["doc"])
            lines.append("")
            cols = [r for r in rs if r["column"] is not None]
            if cols:
                lines.append("| %s | type | meaning |" % ("column" if kind == "table" else "argument"))
                lines.append("|---|---|---|")
                for r in cols:
                    extra = " (hidden argument)" if r["hidden"] else ""
                    lines.append("| `%s` | %s | %s%s |" % (r["column"], r["type"], r["doc"].replace("|", "\\|"), extra))
                lines.append("")
    section(lines, "Tables of the lumo database",
            "Ordinary tables, created by `lumo_sync()` from `sql/schema.sql` (documented there, checked here).",
            table_docs())
    section(lines, "Views of the lumo database",
            "Plain SQL in `views/`, created by `lumo_sync()`; they need no extension to read. "
            "Their names and columns are a contract, checked by `make docs-check` against the views themselves.",
            view_docs())
    return "\n".join(lines)


def cli_reference():
    """The lumo command's reference, from the table its parser and --help read (lumo_cli.OPTIONS)."""
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import lumo_cli
    lines = ["", "Generated by `scripts/gendoc.py` from the option table of `scripts/lumo_cli.py`, which each "
             "command's `--help` prints too; `make docs-check` fails when it is stale. `--db`, `--timezone` and "
             "`--no-sync` may also come before the command.", ""]

    def plain(text):  # no inline code: check_readme would run a `lumo ...` span as an example
        return text.replace("`", "").replace("|", "\\|")
    for verb, what in lumo_cli.VERBS.items():
        what = plain(what)
        lines += ["#### lumo %s" % verb, "", what[0].upper() + what[1:] + ".", "", "| option | meaning |", "|---|---|"]
        pos = lumo_cli.POSITIONAL.get(verb)
        if pos:
            lines.append("| `%s` | %s |" % (pos[1], plain(pos[2])))
        for flags, _, _, metavar, what, _ in lumo_cli.options_of(verb):
            sig = ", ".join(f + (" " + metavar if metavar else "") for f in flags)
            lines.append("| `%s` | %s |" % (sig, plain(what)))
        lines += ["", "```", lumo_cli.EXAMPLES[verb].replace("\n  ", "\n"), "```", ""]
    return "\n".join(lines)


CANNED = {
    "dashboard": ("Dashboard", "The totals a dashboard opens with.", "SELECT * FROM dashboard"),
    "sessions": ("Sessions", "Every session, newest first; session_url opens its page (requests, cost, tools, "
                 "files, messages).",
                 "SELECT agent, session_id, project, machine, started_at, duration_seconds, requests, messages, "
                 "cost_usd, priced_cost_usd, unpriced_tokens, models, "
                 "'/-/dashboards/session?session_id=' || session_id AS session_url "
                 "FROM sessions ORDER BY started_at DESC"),
    "session_history": ("Session history", "One session's messages in order (session_timeline): a message "
                        "without text says what it holds (tool call, thinking, tool result, image).",
                        "SELECT seq, timestamp, kind, model, shows, tool_calls, records FROM session_timeline "
                        "WHERE session_id = :session_id ORDER BY seq"),
    "daily": ("Daily", "Per local day: requests, tokens and cost.",
              "SELECT day, sum(requests) AS requests, sum(total_tokens) AS total_tokens, "
              "sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens FROM daily GROUP BY day "
              "ORDER BY day DESC"),
    "weekly": ("Weekly", "Per local week.", "SELECT week_start, sum(requests) AS requests, sum(priced_cost_usd) AS priced_cost_usd, "
               "sum(unpriced_tokens) AS unpriced_tokens FROM weekly GROUP BY week_start ORDER BY week_start DESC"),
    "monthly": ("Monthly", "Per local month.", "SELECT month, sum(requests) AS requests, sum(priced_cost_usd) AS priced_cost_usd, "
                "sum(unpriced_tokens) AS unpriced_tokens FROM monthly GROUP BY month ORDER BY month DESC"),
    "models": ("Models", "Model comparison.", "SELECT * FROM models ORDER BY priced_cost_usd DESC"),
    "projects": ("Projects", "Per project.", "SELECT * FROM projects ORDER BY priced_cost_usd DESC"),
    "project_groups": ("Project groups", "Groups of projects (project_group_members).", "SELECT * FROM project_groups"),
    "efficiency": ("Efficiency", "Cache hit rate and unit costs.", "SELECT * FROM efficiency"),
    "rest_status": ("Rest status", "Where you are in the current work stretch.", "SELECT * FROM rest_status"),
    "blocks": ("5-hour blocks", "ccusage-style billing blocks, newest first.", "SELECT * FROM blocks ORDER BY start_at DESC"),
    "budgets": ("Budgets", "Spending against budget_limits.", "SELECT * FROM budgets"),
    "otel_dashboard": ("Telemetry dashboard", "What the agents' OpenTelemetry export says: cost, tokens, "
                       "active time, lines, commits, pull requests, accept rate.", "SELECT * FROM otel_dashboard"),
    "accept_rate": ("Code-edit accept rate", "Accepted and rejected code edits per tool and language, all days.",
                    "SELECT agent, tool_name, language, sum(accepts) AS accepts, sum(rejects) AS rejects, "
                    "round(100.0 * sum(accepts) / nullif(sum(accepts) + sum(rejects), 0), 1) AS accept_rate "
                    "FROM accept_rate GROUP BY agent, tool_name, language ORDER BY accepts + rejects DESC"),
    "api_requests": ("Telemetry requests", "Model requests reported in telemetry, newest first.",
                     "SELECT local_time, agent, session_id, model, input_tokens, output_tokens, cache_read_tokens, "
                     "cost_usd, cost_source, duration_ms FROM api_requests ORDER BY time DESC"),
}
FACETS = {"daily": ["agent", "model"], "weekly": ["agent", "model"], "monthly": ["agent", "model"],
          "sessions": ["agent", "project", "machine"], "usage": ["agent", "model", "project", "machine"],
          "models": ["agent"], "session_messages": ["kind"], "accept_rate": ["agent", "tool_name", "language"],
          "api_requests": ["agent", "model"], "otel_sessions": ["agent"]}
SORT_DESC = {"daily": "day", "weekly": "week_start", "monthly": "month", "sessions": "started_at",
             "usage": "timestamp", "blocks": "start_at", "activity": "started_at", "work_stretches": "stretch",
             "api_requests": "time", "accept_rate": "day"}
# The dashboards live in lumo_dashboards.py (their SQL and layout).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lumo_dashboards  # noqa: E402


def metadata(tables, views):
    """Datasette metadata: every table and view of the lumo database with its columns'
    docs (the same sources as the README), canned queries, facets, sorts, dashboards."""
    objs = {}
    for name, desc, cols in tables + views:
        o = {"description": desc, "columns": {c: d for c, d in cols}}
        if name in FACETS:
            o["facets"] = FACETS[name]
        if name in SORT_DESC:
            o["sort_desc"] = SORT_DESC[name]
        units = {c: "s" for c, _ in cols if c.endswith("_seconds")}
        if units:
            o["units"] = units
        objs[name] = o
    # Canned queries are named <x>_report so that they never hide the table page of a view.
    queries = {(k if k == "session_history" else k + "_report"): {"title": t, "description": d, "sql": q}
               for k, (t, d, q) in CANNED.items()}
    return {"title": "lumo", "description": "Usage of AI coding agents: cost, tokens, sessions, active time. "
                                            "Served with lumo's restricted entry point (no file access).",
            "databases": {"lumo": {"tables": objs, "queries": queries}},
            "plugins": {"datasette-dashboards": lumo_dashboards.dashboards()}}


def sorted_keys(o, keep=False):
    """o with its objects' keys sorted (a stable file), but for a dashboard's filters,
    which the page shows in their given order (range first)."""
    if isinstance(o, dict):
        items = o.items() if keep else sorted(o.items())
        return {k: sorted_keys(v, k == "filters") if not keep else sorted_keys(v) for k, v in items}
    if isinstance(o, list):
        return [sorted_keys(v) for v in o]
    return o


def main():
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    a, b = text.index(START) + len(START), text.index(END)
    new = text[:a] + render(reference()) + "\n" + text[b:]
    a, b = new.index(CLI_START) + len(CLI_START), new.index(CLI_END)
    new = new[:a] + cli_reference() + "\n" + new[b:]
    actual = view_columns()
    tdocs = table_docs()
    TABLES.update(name for name, _, _ in tdocs)
    problems = check_tables(tdocs, actual) + check_views(view_docs(), actual)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    meta_path = os.path.join(ROOT, "examples", "datasette", "metadata.json")
    meta = json.dumps(sorted_keys(metadata(tdocs, view_docs())), indent=2) + "\n"
    if "--write" in sys.argv:
        open(path, "w", encoding="utf-8").write(new)
        open(meta_path, "w", encoding="utf-8").write(meta)
    elif not os.path.exists(meta_path) or open(meta_path, encoding="utf-8").read() != meta:
        print("examples/datasette/metadata.json is stale: run `make docs`")
        sys.exit(1)
    elif new != text:
        print("README.md reference section is stale: run `make docs`")
        sys.exit(1)
    else:
        print("README.md reference section matches lumo_reference")


if __name__ == "__main__":
    main()
