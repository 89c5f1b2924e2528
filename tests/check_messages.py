"""check_messages: codex_messages and gemini_messages on the real fixtures
(tests/fixtures/real/{codex,gemini}, PROVENANCE.md) against a plain json reading written
here from the transcript spec, and their sync into the messages and tool_uses tables.

Codex (spec 2.2): one row per response_item line; role: *_output items are the tool's,
*_call items and reasoning the assistant's, messages carry payload.role; text: the text
parts of the content (messages, agent messages), the summary parts of reasoning, a
call's arguments or input (the string, or the JSON as written), an output's string or
the text of its part(s). Gemini (spec 3.3-3.4): one row per message id, the last line for an
id wins, in order of first appearance; text: the content string or its parts' text;
$rewindTo marks that message and every later one as rewound, a $set checkpoint every
message its array leaves out; a line for an id puts it back."""
import json
import os
import shutil
from lumo_sql import ROOT, Checker, fresh_db, query

c = Checker()
REAL = os.path.join(ROOT, "tests", "fixtures", "real")


def parts_text(v):
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "\n".join(p["text"] for p in v if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def codex_expected(path):
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        try:
            d = json.loads(line)
        except ValueError:
            continue
        p = d.get("payload")
        if d.get("type") != "response_item" or not isinstance(p, dict) or not isinstance(p.get("type"), str):
            continue
        t = p["type"]
        if t.endswith("_output"):
            role = "tool"
        elif t.endswith("_call") or t == "reasoning":
            role = "assistant"
        else:
            role = p.get("role") if p.get("role") in ("user", "assistant", "developer", "system") else None
        if "content" in p:
            text = parts_text(p["content"])
        elif t == "reasoning":
            text = parts_text(p.get("summary"))
        elif "arguments" in p or "input" in p:
            v = p["arguments"] if "arguments" in p else p["input"]
            text = v if isinstance(v, str) else json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else None
        else:
            v = p.get("output")
            if isinstance(v, dict):
                v = v["text"] if "text" in v else v.get("content")
            text = parts_text(v)
        name = p.get("name") if isinstance(p.get("name"), str) else \
            {"local_shell_call": "local_shell", "web_search_call": "web_search"}.get(t)
        rows.append([n, t, role, text or None, name, p.get("call_id") if isinstance(p.get("call_id"), str) else None])
    return rows


codex_root = os.path.join(REAL, "codex")
files = sorted(os.path.relpath(os.path.join(d, f), codex_root) for d, _, fs in os.walk(codex_root)
               for f in fs if f.endswith(".jsonl"))
with_items = 0
for rel in files:
    want = codex_expected(os.path.join(codex_root, rel))
    got = [[r["line"], r["type"], r["role"], r["text"], r["tool_name"], r["call_id"]] for r in query(
        "SELECT line, type, role, text, tool_name, call_id FROM codex_messages('%s') WHERE file = '%s' ORDER BY line"
        % (codex_root, rel))]
    if want:
        with_items += 1
    c.eq("codex_messages %s: every response_item, role, text, tool" % rel, want, got)
c.eq("codex fixtures with conversation items", 2, with_items)
# The real Codex 0.39.0 rollout by hand: 59 items, its first user message and the shell calls.
real = "sessions/2025/09/19/rollout-2025-09-19T17-02-12-01996135-afde-7911-97f0-d863511eca56.jsonl"
r = query("SELECT count(*) n, sum(role = 'user') u, sum(type = 'function_call') calls, sum(type = 'function_call_output') outs,"
          " count(DISTINCT model) models FROM codex_messages('%s') WHERE file = '%s'" % (codex_root, real))[0]
calls = sum(1 for x in codex_expected(os.path.join(codex_root, real)) if x[1] == "function_call")
c.eq("real rollout: 59 items; calls and outputs pair up", [59, calls], [r["n"], r["outs"]])

# Gemini.
def gemini_expected(path):
    msgs, order = {}, []
    def take(m, rewound=False):
        if not isinstance(m.get("id"), str):
            return
        if m["id"] not in msgs:
            order.append(m["id"])
        calls = m.get("toolCalls") if isinstance(m.get("toolCalls"), list) else []
        msgs[m["id"]] = [m["id"], m.get("type"), parts_text(m.get("content")) or None, len(calls),
                         ",".join(x["name"] for x in calls if isinstance(x, dict) and isinstance(x.get("name"), str)) or None, 0]
    if path.endswith(".json"):
        for m in json.load(open(path, encoding="utf-8")).get("messages", []):
            take(m)
    else:
        for line in open(path, encoding="utf-8"):
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if "$rewindTo" in d:
                ids = order
                start = ids.index(d["$rewindTo"]) if d["$rewindTo"] in ids else 0
                for i in ids[start:]:
                    msgs[i][5] = 1
            elif isinstance(d.get("$set"), dict) and isinstance(d["$set"].get("messages"), list):
                for i in order:  # a checkpoint: the conversation is its array
                    msgs[i][5] = 1
                for m in d["$set"]["messages"]:
                    take(m)
            elif "id" in d:
                take(d)
    return [msgs[i] for i in order]


gem_root = os.path.join(REAL, "gemini")
gfiles = sorted(os.path.relpath(os.path.join(d, f), gem_root) for d, _, fs in os.walk(gem_root)
                for f in fs if f.endswith((".json", ".jsonl")) and "/chats/" in os.path.join(d, f))
total = 0
for rel in gfiles:
    want = gemini_expected(os.path.join(gem_root, rel))
    total += len(want)
    got = [[r["message_id"], r["type"], r["text"], r["tool_calls"], r["tool_names"], r["is_rewound"]] for r in query(
        "SELECT * FROM gemini_messages('%s') WHERE file = '%s'" % (gem_root, rel))]
    c.eq("gemini_messages %s: every message, last line wins, text, tools, rewound" % rel, want, got)
c.eq("gemini fixtures: messages in all", 36, total)
c.eq("gemini_messages: roles", [["assistant", 26], ["user", 7]],
     [[r["role"], r["n"]] for r in query("SELECT role, count(*) n FROM gemini_messages('%s') WHERE role IS NOT NULL"
                                         " GROUP BY 1 ORDER BY 1" % gem_root)])

# Sync: the same rows in the messages table, tool calls in tool_uses; a second sync of
# unchanged files adds nothing; a Gemini message re-appended with more text replaces its row.
out = os.path.join(ROOT, "tests", "out", "messages")
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(gem_root, os.path.join(out, "gemini"))
db = os.path.join(out, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, '%s/gemini', '%s')" % (out, codex_root), db=db)
n_codex = sum(len(codex_expected(os.path.join(codex_root, f))) for f in files)
got = {r["agent"]: r["n"] for r in query("SELECT agent, count(*) n FROM messages GROUP BY 1", db=db)}
c.eq("sync: one messages row per Codex item and per Gemini message", {"codex": n_codex, "gemini": total}, got)
call_ids = {x[5] for f in files for x in codex_expected(os.path.join(codex_root, f)) if x[5] and x[1].endswith("_call")}
gem_calls = []
for rel in gfiles:
    for line in open(os.path.join(gem_root, rel), encoding="utf-8") if rel.endswith(".jsonl") else []:
        try:
            d = json.loads(line)
        except ValueError:
            continue
        for tc in d.get("toolCalls", []) if isinstance(d, dict) else []:
            gem_calls.append((tc.get("id"), tc.get("status")))
gem_ids = {i for i, _ in gem_calls if i}
errors = {i for i, s in gem_calls if i and s == "error"}
got = {r["agent"]: [r["n"], r["e"]] for r in query(
    "SELECT agent, count(*) n, total(is_error) e FROM tool_uses GROUP BY 1", db=db)}
c.eq("sync: tool_uses per call id (Codex calls, Gemini toolCalls with their errors)",
     {"codex": [len(call_ids), 0.0], "gemini": [len(gem_ids), float(len(errors))]}, got)
again = json.loads(query("SELECT lumo_sync(NULL, '%s/gemini', '%s') s" % (out, codex_root), db=db)[0]["s"])
c.eq("sync: a second sync reads nothing", [0, 0], [again["files_read"], again["message_rows_written"]])
chat = os.path.join(out, "gemini", "tmp", "stage0", "chats", "session-2026-04-29T21-39-gemini_s.jsonl")
last = [json.loads(x) for x in open(chat, encoding="utf-8") if x.strip().startswith("{") and '"type":"gemini"' in x.replace(" ", "")][-1]
last["content"] = "rewritten answer"
with open(chat, "a", encoding="utf-8") as fh:
    fh.write(json.dumps(last) + "\n")
query("SELECT lumo_sync(NULL, '%s/gemini', '')" % out, db=db)
r = query("SELECT count(*) n, max(text) t FROM messages WHERE agent = 'gemini' AND uuid = '%s'" % last["id"], db=db)[0]
c.eq("sync: a re-appended Gemini message replaces its text, still one row", [1, "rewritten answer"], [r["n"], r["t"]])
c.eq("sync: the sessions view counts the messages of every agent",
     total, query("SELECT sum(messages) n FROM sessions WHERE agent = 'gemini'", db=db)[0]["n"])

# The Gemini trap (tests/fixtures/traps/README.md): rewound by $rewindTo and by a checkpoint,
# one message back by a later line; all five responses billed.
trap = os.path.join(ROOT, "tests", "fixtures", "traps", "gemini")
trap_rel = "tmp/trap/chats/session-2026-05-01T10-00-7a5e0001.jsonl"
hand = [0, 0, 1, 0, 0, 0, 1, 1, 0, 0]  # messages 1-10, worked out from the README's table
want = gemini_expected(os.path.join(trap, trap_rel))
got = [[r["message_id"], r["type"], r["text"], r["tool_calls"], r["tool_names"], r["is_rewound"]]
       for r in query("SELECT * FROM gemini_messages('%s')" % trap)]
c.eq("gemini trap: gemini_messages = the json reading, flags = the hand list", [want, hand], [got, [x[5] for x in got]])
c.eq("gemini trap: rewound responses still billed", [5, 1500, 150], list(query(
    "SELECT count(*) n, sum(input_tokens) i, sum(output_tokens) o FROM gemini_usage('%s')" % trap)[0].values()))
tdb = os.path.join(out, "trap.db")
fresh_db(tdb)
query("SELECT lumo_sync(NULL, '%s', '')" % trap, db=tdb)
flags = "SELECT group_concat(is_rewound, '') f FROM (SELECT is_rewound FROM messages WHERE agent = 'gemini' ORDER BY uuid)"
c.eq("gemini trap sync: messages.is_rewound and session_messages", ["".join(map(str, hand)), 3],
     [query(flags, db=tdb)[0]["f"], query("SELECT sum(is_rewound) n FROM session_messages", db=tdb)[0]["n"]])
# Schema 5 -> 6: a messages table without is_rewound gets the column, and the Gemini files
# are read again so their rows get their flags; lumo_merge takes such a database (flags 0).
old = os.path.join(out, "trap-v5.db")
shutil.copy(tdb, old)
query("DROP VIEW session_timeline; DROP VIEW session_messages; ALTER TABLE messages DROP COLUMN is_rewound; DELETE FROM lumo_settings WHERE key = 'schema_hash';"
      " UPDATE lumo_schema_version SET version = 5", db=old)
merged = os.path.join(out, "trap-merged.db")
fresh_db(merged)
query("SELECT lumo_merge('%s')" % old, db=merged)
c.eq("lumo_merge of a schema-5 database: its messages, flags 0", [10, 0],
     list(query("SELECT count(*) n, total(is_rewound) f FROM messages", db=merged)[0].values()))
again = json.loads(query("SELECT lumo_sync(NULL, '%s', '') s" % trap, db=old)[0]["s"])
c.eq("schema 5 -> 6: column added, the Gemini file read again, flags back, version 13 (6, then 7, 8, 9, 10, 11, 12, 13)",
     [1, "".join(map(str, hand)), 13],
     [again["files_read"], query(flags, db=old)[0]["f"], query("SELECT version FROM lumo_schema_version", db=old)[0]["version"]])
c.done()
