#!/usr/bin/env python3
"""gendoc.py: writes the README's reference section from the extension itself, so the
docs cannot drift from the code. It reads lumo_reference (every table, column and
function with its one-line doc, from the same static arrays that declare the schema)
through the sqlite3 shell with dist/lumo loaded, and renders Markdown between the
markers <!-- reference:start --> and <!-- reference:end --> of README.md.

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
TABLES = set()


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
        if line.startswith("-- ") and not out and line.startswith("-- schema.sql"):
            pass
        if m:
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
        if name not in [d[0] for d in docs] and name not in TABLES:
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


def main():
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    a, b = text.index(START) + len(START), text.index(END)
    new = text[:a] + render(reference()) + "\n" + text[b:]
    actual = view_columns()
    tdocs = table_docs()
    TABLES.update(name for name, _, _ in tdocs)
    problems = check_tables(tdocs, actual) + check_views(view_docs(), actual)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    if "--write" in sys.argv:
        open(path, "w", encoding="utf-8").write(new)
    elif new != text:
        print("README.md reference section is stale: run `make docs`")
        sys.exit(1)
    else:
        print("README.md reference section matches lumo_reference")


if __name__ == "__main__":
    main()
