"""check_otlp: otlp_metrics, otlp_logs and the OTLP sync against hand-checked numbers.

1. The real Claude Code and Codex captures (tests/fixtures/real/otlp, see its PROVENANCE.md):
   the OTLP request is each file's `payload` member; it is written out as a one-line dump
   (the Collector's layout, int64 as strings where the capture has them) and again
   pretty-printed with snake_case keys and every int64 as a JSON number (the other
   encoding), and both must give the same rows. Expected sums are the values the
   PROVENANCE file states, and a plain Python walk of the JSON agrees with them.
2. The spec's file-exporter sample (cumulative, unordered, with repeats) and a hand-built
   cumulative series with a restart and a retried batch: increases worked out by hand.
3. Incremental sync of an appended dump with a torn last line; re-reading never counts twice.
4. Malformed dumps: a truncated line, wrong types, a 50 MB body, a line over the 64 MiB
   document limit, zstd, not OTLP: diagnostics with file and line, no crash, the good
   lines around them still read.
5. What fuzzing found: empty lines inside a pretty-printed document (a hang), an
   event.timestamp whose nanoseconds overflow int64 (UBSan); the int64 bounds by hand.
"""
import gzip
import json
import os
import re
import shutil
from lumo_sql import ROOT, Checker, query, fresh_db

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "otlp")
REAL = os.path.join(ROOT, "tests", "fixtures", "real", "otlp")
shutil.rmtree(OUT, ignore_errors=True)
for d in ("compact", "pretty", "spec", "hand", "inc", "bad"):
    os.makedirs(os.path.join(OUT, d))


def snake(s):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), s)


INT64 = {"intValue", "asInt", "timeUnixNano", "startTimeUnixNano", "observedTimeUnixNano", "count"}


def other_encoding(v, key=None):
    """snake_case keys and int64 as numbers, the JS-SDK / hand-written flavour."""
    if isinstance(v, dict):
        return {snake(k): other_encoding(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [other_encoding(x, key) for x in v]
    if key in INT64 and isinstance(v, str) and re.fullmatch(r"-?\d+", v):
        return int(v)
    return v


for name in sorted(os.listdir(os.path.join(REAL, "claude-code"))) + ["codex"]:
    src = (os.path.join(REAL, "codex", "t4avenger-codex-0.145.0-logs.json") if name == "codex"
           else os.path.join(REAL, "claude-code", name))
    payload = json.load(open(src))["payload"]
    base = os.path.basename(src).replace(".json", "")
    with open(os.path.join(OUT, "compact", base + ".jsonl"), "w") as f:
        f.write(json.dumps(payload) + "\n")
    alt = other_encoding(payload)
    with open(os.path.join(OUT, "pretty", base + ".json"), "w") as f:
        f.write(json.dumps(alt, indent=2) + "\n")
    # snake_case must not have renamed attribute keys such as "session.id" (no capitals in them)
    assert "session.id" in open(os.path.join(OUT, "pretty", base + ".json")).read() or name == "codex"
# The two encodings really differ on disk: strings vs numbers, camelCase vs snake_case.
one = open(os.path.join(OUT, "compact", "claude-code-2.1.263-api-request-outcome-otlp.jsonl")).read()
two = open(os.path.join(OUT, "pretty", "claude-code-2.1.263-api-request-outcome-otlp.json")).read()
c.eq("encodings differ on disk", (True, True, True), ('"intValue": "12"' in one, '"int_value": 12' in two, "\n  " in two))

# Independent reading: a plain walk of the requests (Python's json), summing sum points.
walk = {}
for fn in sorted(os.listdir(os.path.join(OUT, "compact"))):
    doc = json.load(open(os.path.join(OUT, "compact", fn)))
    for rm in doc.get("resourceMetrics", []):
        for sm in rm.get("scopeMetrics", []):
            for m in sm.get("metrics", []):
                for p in m.get("sum", {}).get("dataPoints", []):
                    typ = next((a["value"].get("stringValue") for a in p.get("attributes", []) if a["key"] == "type"), None)
                    k = (m["name"], typ)
                    walk[k] = walk.get(k, 0) + float(p.get("asDouble", p.get("asInt", 0)))

# What PROVENANCE.md states for the four metric captures.
stated = {("claude_code.token.usage", "input"): 10 + 120, ("claude_code.token.usage", "output"): 42 + 340,
          ("claude_code.token.usage", "cacheRead"): 0, ("claude_code.token.usage", "cacheCreation"): 18856,
          ("claude_code.cost.usage", None): 0.0123 + 0.0045, ("claude_code.active_time.total", "user"): 42.5,
          ("claude_code.active_time.total", "cli"): 108, ("claude_code.lines_of_code.count", "added"): 128,
          ("claude_code.lines_of_code.count", "removed"): 12, ("claude_code.commit.count", None): 2,
          ("claude_code.pull_request.count", None): 1, ("claude_code.session.count", None): 2,
          ("claude_code.code_edit_tool.decision", None): 5 + 1}
c.eq("the plain Python walk agrees with PROVENANCE", sorted((k[0], k[1] or "", round(v, 9)) for k, v in stated.items()),
     sorted((k[0], k[1] or "", round(v, 9)) for k, v in walk.items()))

for layout in ("compact", "pretty"):
    path = "tests/out/otlp/" + layout
    got = query("SELECT metric, coalesce(type, '') AS type, round(sum(value), 9) AS v, count(*) AS n"
                " FROM otlp_metrics('%s') GROUP BY 1, 2 ORDER BY 1, 2" % path)
    c.eq(layout + ": metric sums = PROVENANCE", sorted((k[0], k[1] or "", round(v, 9)) for k, v in stated.items()),
         [(r["metric"], r["type"], r["v"]) for r in got])
    c.eq(layout + ": 18 data points, all delta monotonic sums from claude",
         [{"n": 18, "kinds": "sum", "t": "delta", "mono": 18, "agent": "claude"}],
         query("SELECT count(*) AS n, group_concat(DISTINCT kind) AS kinds, group_concat(DISTINCT temporality) AS t,"
               " sum(is_monotonic) AS mono, group_concat(DISTINCT agent) AS agent FROM otlp_metrics('%s')" % path))
    c.eq(layout + ": code-edit decisions", [["Edit", "accept", "config", "Go", 5], ["Write", "reject", "user_reject", "TypeScript", 1]],
         [list(r.values()) for r in query(
             "SELECT tool_name, decision, source, language, CAST(value AS INTEGER) FROM otlp_metrics('%s')"
             " WHERE metric = 'claude_code.code_edit_tool.decision' ORDER BY 1" % path)])
    logs = query("SELECT event_name, time, time_source, session_id, event_sequence, model, input_tokens, output_tokens,"
                 " cache_read_tokens, duration_ms, tool_name, decision, source, prompt_length, agent, request_id"
                 " FROM otlp_logs('%s') WHERE time_source <> 'file' ORDER BY time, event_sequence" % path)
    c.eq(layout + ": events (int attributes as strings in one capture, numbers in another)", [
        ["claude_code.api_request", "2026-09-06T18:05:00.100Z", "attribute", "synthetic-session-success", 3,
         "claude-haiku-4-5-20251001", 12, 4, 0, 842, None, None, None, None, "claude", "synthetic-request-success"],
        ["claude_code.user_prompt", "2026-09-13T18:53:02.100Z", "attribute", "synthetic-content-session", 2,
         None, None, None, None, None, None, None, None, 45, "claude", None],
        ["claude_code.user_prompt", "2026-09-13T18:53:08.640Z", "attribute", "synthetic-content-session", 8,
         None, None, None, None, None, None, None, None, 128, "claude", None],
        ["claude_code.tool_decision", "2026-09-13T18:53:10.354Z", "attribute", "synthetic-decision-session", 14,
         None, None, None, None, None, "Read", "accept", "config", None, "claude", None],
        ["claude_code.tool_decision", "2026-09-13T18:53:13.229Z", "attribute", "synthetic-decision-session", 22,
         None, None, None, None, None, "mcp_tool", "reject", "hook", None, "claude", None],
        ["claude_code.tool_decision", "2026-09-13T18:53:17.908Z", "attribute", "synthetic-decision-session", 28,
         None, None, None, None, None, "Bash", "reject", "hook", None, "claude", None],
        ["claude_code.user_prompt", "2026-09-27T09:35:29.776Z", "record", "tiq-corr-210", 13,
         None, None, None, None, None, None, None, None, 42, "claude", None],
        ["claude_code.assistant_response", "2026-09-27T09:35:31.073Z", "record", "tiq-corr-210", 15,
         "claude-opus-4-8", None, None, None, None, None, None, None, None, "claude", "req_synthetic00000000000000000001"]],
        [list(r.values()) for r in logs])
    # Codex: token counts as stringValue, input already including cached (none here), no time at all.
    c.eq(layout + ": codex sse_event", [["codex.sse_event", "file", "codex", "synthetic-model", 100, 10, 0, None, None]],
         [list(r.values()) for r in query(
             "SELECT event_name, time_source, agent, model, input_tokens, output_tokens, cache_read_tokens,"
             " session_id, json_extract(attributes, '$.\"user.email\"') FROM otlp_logs('%s') WHERE agent = 'codex'" % path)])
    c.eq(layout + ": the two records with trace ids have them as 32 lower-case hex digits", 2,
         query("SELECT count(*) AS n FROM otlp_logs('%s') WHERE trace_id GLOB '[0-9a-f]*' AND length(trace_id) = 32" % path)[0]["n"])

# Both encodings give identical rows (keys included): only file and line differ.
cols = ("metric, kind, temporality, value, attributes, resource, time_unix_nano, start_time_unix_nano, series, key")
a = query("SELECT %s FROM otlp_metrics('tests/out/otlp/compact') ORDER BY key" % cols)
b = query("SELECT %s FROM otlp_metrics('tests/out/otlp/pretty') ORDER BY key" % cols)
c.eq("metrics: both encodings give the same rows", a, b)
lcols = "event_name, time_unix_nano, body, attributes, resource, input_tokens, prompt_length, event_sequence, key"
a = query("SELECT %s FROM otlp_logs('tests/out/otlp/compact') WHERE time_source <> 'file' ORDER BY key" % lcols)
b = query("SELECT %s FROM otlp_logs('tests/out/otlp/pretty') WHERE time_source <> 'file' ORDER BY key" % lcols)
c.eq("logs: both encodings give the same rows", a, b)

# Sync: cost of the api_request by lumo's pricing, hand-checked: claude-haiku-4-5 at $1/M input
# and $5/M output: 12 x 1e-6 + 4 x 5e-6 = 3.2e-5.
db = os.path.join(OUT, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/compact,tests/out/otlp/pretty')", db=db)
c.eq("sync: both copies of every capture stored once", [{"p": 18, "e": 9}],
     query("SELECT (SELECT count(*) FROM otel_points) AS p, (SELECT count(*) FROM otel_events) AS e", db=db))
c.eq("api_requests: lumo's price of the api_request", [{"usd": "0.0000320000", "src": "lumo"}],
     query("SELECT printf('%.10f', cost_usd) AS usd, cost_source AS src FROM api_requests", db=db))
dash = query("SELECT cost_usd, cost_source, api_requests, input_tokens, output_tokens, sessions, active_seconds,"
             " active_user_seconds, active_cli_seconds, lines_added, lines_removed, commits, pull_requests,"
             " edit_accepts, edit_rejects, round(accept_rate, 6) AS accept_rate FROM otel_dashboard", db=db)
c.eq("otel_dashboard on the captures", [{"cost_usd": 3.2e-05, "cost_source": "events", "api_requests": 1,
      "input_tokens": 12, "output_tokens": 4, "sessions": 6, "active_seconds": 150.5, "active_user_seconds": 42.5,
      "active_cli_seconds": 108.0, "lines_added": 128.0, "lines_removed": 12.0, "commits": 2.0, "pull_requests": 1.0,
      "edit_accepts": 5.0, "edit_rejects": 1.0, "accept_rate": round(500 / 6, 6)}], dash)
c.eq("accept_rate: the user-only rate counts Write's user_reject, not Edit's config accept",
     [["Edit", 5.0, 0.0, None], ["Write", 0.0, 1.0, 0.0]],
     [list(r.values()) for r in query("SELECT tool_name, accepts, user_rejects, user_accept_rate FROM accept_rate ORDER BY 1", db=db)])
c.eq("active_time prefers telemetry (no transcripts here)", [{"active_seconds": 150.5, "source": "telemetry"}],
     query("SELECT active_seconds, source FROM active_time", db=db))

# 2. The spec's file-exporter sample: four lines, each repeating two metrics named
# counter-int (cumulative, monotonic, asInt strings) with points for label-1 and label-2.
# Worked by hand from the file: label-1 points by time (start, value): line 1 has (t0+0.000000789
# start 772.000000321, 123) and (start 773.000000789, 123); lines 2-4 have, at their time,
# a new start each: 120 & 123, 121 & 123, 125 & 123. Ordered by time, start, value, each
# start change is a reset counting in full, and a same-start pair adds the difference:
# 123 + 123 + 120 + (123-120) + 121 + (123-121) + 123 + (125-123) = 617.
# label-2: 8 points of value 456, of which 4 distinct (start, time): every one is a new
# start, so 4 x 456 = 1824. The logs file has two records per line: one repeated
# unchanged on every line, one with a new time on each: 5 distinct records (counted below
# with a plain Python set, independently of lumo's key).
shutil.copy(os.path.join(REAL, "otel-spec-file-exporter", "metrics.jsonl"), os.path.join(OUT, "spec"))
shutil.copy(os.path.join(REAL, "otel-spec-file-exporter", "logs.jsonl"), os.path.join(OUT, "spec"))
shutil.copy(os.path.join(REAL, "otel-spec-file-exporter", "traces.jsonl"), os.path.join(OUT, "spec"))
db2 = os.path.join(OUT, "spec.db")
fresh_db(db2)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/spec')", db=db2)
c.eq("spec sample: reset-aware increases per series", [["label-1", 617], ["label-2", 1824]],
     [list(r.values()) for r in query(
         "SELECT CASE WHEN p.attributes LIKE '%label-1%' THEN 'label-1' ELSE 'label-2' END AS s, sum(i.increase)"
         " FROM otel_increases i JOIN otel_points p USING (key) GROUP BY 1 ORDER BY 1", db=db2)])
distinct = set()
for line in open(os.path.join(OUT, "spec", "logs.jsonl")):
    for rl in json.loads(line)["resourceLogs"]:
        for sl in rl["scopeLogs"]:
            for r in sl["logRecords"]:
                distinct.add(json.dumps([rl["resource"], sl.get("scope"), r.get("timeUnixNano"), r["body"], r["attributes"]], sort_keys=True))
c.eq("spec sample: 16 points read, 12 distinct stored (label-2 repeats collapse); 8 log records, 5 distinct",
     [{"read": 16, "stored": 12, "logs_read": 8, "events": len(distinct)}],
     query("SELECT (SELECT count(*) FROM otlp_metrics('tests/out/otlp/spec')) AS read,"
           " (SELECT count(*) FROM otel_points) AS stored,"
           " (SELECT count(*) FROM otlp_logs('tests/out/otlp/spec')) AS logs_read,"
           " (SELECT count(*) FROM otel_events) AS events", db=db2))
c.eq("spec sample: the naive sum over-counts (what lumo must not report)", [{"naive": 123 * 3 + 120 + 121 + 125 + 123 + 123 + 8 * 456}],
     query("SELECT sum(value) AS naive FROM otlp_metrics('tests/out/otlp/spec')"))
c.eq("traces are reported, not read", [{"kind": "traces_skipped", "file": "traces.jsonl"}],
     query("SELECT kind, file FROM lumo_diagnostics", before="SELECT count(*) FROM otlp_metrics('tests/out/otlp/spec')"))


# A hand-built series in the Collector's encoding: cumulative token counter 10, 15, 15, 22,
# then the process restarts (new start) and counts 4, 9; the batch at 15 is retried (a
# second copy of its line). Increases: 10, 5, 0, 7, 4, 5 = 31 (the sum of values is 80).
# A point flagged "no recorded value" between them must neither count nor reset. A delta
# counter next to it sums plainly (3 + 4 = 7). A sum without temporality is read as
# cumulative (6 then 8: 8) and reported.
def point(start, t, v, flags=0, attrs=None):
    p = {"attributes": attrs or [{"key": "type", "value": {"stringValue": "input"}}],
         "startTimeUnixNano": str(start), "timeUnixNano": str(t)}
    if v is not None:
        p["asInt"] = str(v)
    if flags:
        p["flags"] = flags
    return p


def request(points, temporality=2, name="claude_code.token.usage"):
    s = {"dataPoints": points, "isMonotonic": True}
    if temporality is not None:
        s["aggregationTemporality"] = temporality
    return {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "claude-code"}}]},
                                 "scopeMetrics": [{"scope": {"name": "com.anthropic.claude_code"},
                                                   "metrics": [{"name": name, "unit": "tokens", "sum": s}]}]}]}


S1, S2, T, MIN = 1763000000000000000, 1763000900000000000, 1763000000000000000, 60 * 10**9
OUTPUT = [{"key": "type", "value": {"stringValue": "output"}}]
lines = [request([point(S1, T + MIN, 10)]), request([point(S1, T + 2 * MIN, 15)]), request([point(S1, T + 2 * MIN, 15)]),
         request([point(S1, T + 2 * MIN + MIN // 2, None, flags=1)]), request([point(S1, T + 3 * MIN, 15)]),
         request([point(S1, T + 4 * MIN, 22)]), request([point(S2, S2 + MIN, 4)]), request([point(S2, S2 + 2 * MIN, 9)]),
         request([point(T, T + MIN, 3, attrs=OUTPUT)], temporality=1),
         request([point(T + MIN, T + 2 * MIN, 4, attrs=OUTPUT)], temporality=1),
         request([point(S1, T + MIN, 6)], temporality=None, name="my.counter"),
         request([point(S1, T + 2 * MIN, 8)], temporality=None, name="my.counter")]
with open(os.path.join(OUT, "hand", "metrics.jsonl"), "w") as f:
    for doc in lines:
        f.write(json.dumps(doc) + "\n")
db3 = os.path.join(OUT, "hand.db")
fresh_db(db3)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/hand')", db=db3)
c.eq("hand-built series: restart, retried batch, no-value point, delta, no temporality",
     [["claude_code.token.usage", "input", 31, 6], ["claude_code.token.usage", "output", 7, 2], ["my.counter", "input", 8, 2]],
     [list(r.values()) for r in query("SELECT metric, type, sum(increase), count(*) FROM otel_increases GROUP BY 1, 2 ORDER BY 1, 2", db=db3)])
c.eq("the no-value point is stored with a NULL value, never a zero", [{"n": 1}],
     query("SELECT count(*) AS n FROM otel_points WHERE value IS NULL", db=db3))
c.eq("a sum without temporality is reported", [{"kind": "no_temporality", "line": 11}],
     query("SELECT kind, line FROM lumo_diagnostics", before="SELECT count(*) FROM otlp_metrics('tests/out/otlp/hand')"))

# 3. Incremental: an appended dump is read from where the last sync stopped; a torn last
# line (no newline yet) is not consumed, and is read once it is complete.
inc = os.path.join(OUT, "inc", "otlp.jsonl")
ev = lambda i: {"resourceLogs": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "claude-code"}}]},
                                  "scopeLogs": [{"scope": {"name": "com.anthropic.claude_code.events"}, "logRecords": [
                                      {"timeUnixNano": str(T + i * 10**9), "body": {"stringValue": "claude_code.api_request"},
                                       "attributes": [{"key": "event.name", "value": {"stringValue": "api_request"}},
                                                      {"key": "input_tokens", "value": {"intValue": str(100 + i)}},
                                                      {"key": "output_tokens", "value": {"intValue": "7"}},
                                                      {"key": "model", "value": {"stringValue": "claude-sonnet-4-5"}},
                                                      {"key": "cost_usd", "value": {"doubleValue": 0.5}}]}]}]}]}
with open(inc, "w") as f:
    f.write(json.dumps(ev(1)) + "\n" + json.dumps(ev(2)) + "\n")
db4 = os.path.join(OUT, "inc.db")
fresh_db(db4)
r1 = json.loads(query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/inc') AS s", db=db4)[0]["s"])
whole = json.dumps(ev(4))
with open(inc, "a") as f:
    f.write(json.dumps(ev(3)) + "\n" + whole[:200])
r2 = json.loads(query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/inc') AS s", db=db4)[0]["s"])
size_before_torn = os.path.getsize(inc) - 200
c.eq("append: only the new line is read; the torn tail is left", [2, 1, size_before_torn],
     [r1["otel_rows_written"], r2["otel_rows_written"],
      query("SELECT consumed FROM lumo_files WHERE agent = 'otel'", db=db4)[0]["consumed"]])
with open(inc, "a") as f:
    f.write(whole[200:] + "\n")
r3 = json.loads(query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/inc') AS s", db=db4)[0]["s"])
shutil.copy(inc, os.path.join(OUT, "inc", "copy-of-otlp.jsonl"))  # a re-read dump
r4 = json.loads(query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/inc') AS s", db=db4)[0]["s"])
c.eq("completed line read once; a copy of the dump adds nothing", [1, 0, 4, 100 + 101 + 102 + 103 + 104 - 100, 2.0],
     [r3["otel_rows_written"], r4["otel_rows_written"]] +
     list(query("SELECT count(*), sum(input_tokens), sum(cost_usd) FROM api_requests", db=db4)[0].values()))

# 4. Malformed dumps. Line numbers are hand-counted from the writes below.
bad = os.path.join(OUT, "bad")
good = json.dumps(ev(9))
with open(os.path.join(bad, "mixed.jsonl"), "w") as f:
    f.write(good + "\n")                                      # 1 good
    f.write(good[:len(good) // 2] + "\n")                     # 2 truncated
    f.write('{"resourceLogs": [{"scopeLogs": 5}]}\n')         # 3 wrong type
    f.write('{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "m", "sum": {"dataPoints": "x"}}]}]}]}\n')  # 4
    f.write('{"hello": "world"}\n')                           # 5 not OTLP
    f.write("\n")                                             # 6 blank
    f.write(json.dumps(ev(10), indent=2) + "\n")              # 7.. a pretty document spanning lines
    f.write('{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": {"stringValue": "unclosed}}]}]}]}\n')
big = "x" * (50 << 20)
with open(os.path.join(bad, "big.jsonl"), "w") as f:
    doc = ev(11)
    doc["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["attributes"].append({"key": "blob", "value": {"stringValue": big}})
    f.write(json.dumps(doc) + "\n")                           # a 50 MB body: read
    f.write('{"resourceLogs": "' + "y" * (65 << 20) + '"}\n')  # over 64 MiB: skipped
    f.write(good + "\n")                                      # 3 good again
with open(os.path.join(bad, "dump.jsonl.zst"), "wb") as f:  # zstd magic, then garbage
    f.write(b"\x28\xb5\x2f\xfd" + b"\0" * 16)
with open(os.path.join(bad, "framed.json"), "wb") as f:
    f.write(b"\x00\x00\x01\x00" + b"\x0a" * 16)
with gzip.open(os.path.join(bad, "zipped.jsonl.gz"), "wt") as f:
    f.write(json.dumps(ev(12)) + "\n")
got = query("SELECT file, line, kind FROM lumo_diagnostics WHERE source = 'otlp_logs' ORDER BY file, line",
            before="SELECT count(*) FROM otlp_logs('tests/out/otlp/bad')")
pretty_lines = json.dumps(ev(10), indent=2).count("\n") + 1
c.eq("malformed dumps: one diagnostic each, with file and line", [
    ["big.jsonl", 2, "malformed"], ["mixed.jsonl", 2, "malformed"], ["mixed.jsonl", 3, "wrong_type"],
    ["mixed.jsonl", 5, "not_otlp"], ["mixed.jsonl", 7 + pretty_lines, "malformed"]],
    [list(r.values()) for r in got if r["file"] not in ("dump.jsonl.zst", "framed.json")])
c.eq("a corrupt zstd dump is a read error; length-prefixed frames are named, not parsed",
     [["dump.jsonl.zst", "unreadable"], ["framed.json", "unsupported"]],
     [[r["file"], r["kind"]] for r in got if r["file"] in ("dump.jsonl.zst", "framed.json")])
# The Collector's native compression (spec otlp.md, file exporter layout 3): the file keeps
# its configured name and is a zstd stream, one frame per write; written here with the zstd
# tool, two writes of one request each.
import subprocess
native = os.path.join(OUT, "native")
os.makedirs(native, exist_ok=True)
frames = b""
for i in (13, 14):
    frames += subprocess.run(["zstd", "-q", "-c"], input=(json.dumps(ev(i)) + "\n").encode(), capture_output=True,
                             check=True).stdout
with open(os.path.join(native, "logs.jsonl"), "wb") as f:
    f.write(frames)
c.eq("native zstd compression: both writes read, no diagnostic", [2, 0],
     [query("SELECT count(*) AS n FROM otlp_logs('%s')" % native)[0]["n"],
      query("SELECT count(*) AS n FROM lumo_diagnostics", before="SELECT count(*) FROM otlp_logs('%s')" % native)[0]["n"]])
# the metric line's wrong type is the metrics table's to report
c.eq("a wrong-typed dataPoints is reported by otlp_metrics", [["mixed.jsonl", 4, "wrong_type"]],
     [list(r.values()) for r in query("SELECT file, line, kind FROM lumo_diagnostics WHERE source = 'otlp_metrics'"
                                      " AND file = 'mixed.jsonl' AND kind = 'wrong_type'",
                                      before="SELECT count(*) FROM otlp_metrics('tests/out/otlp/bad')")])
c.eq("the good records around them are read: 2 + pretty + 50 MB body + 1 + gzip", [["big.jsonl", 1, 50 << 20], ["big.jsonl", 3, None],
     ["mixed.jsonl", 1, None], ["mixed.jsonl", 7, None], ["zipped.jsonl.gz", 1, None]],
     [list(r.values()) for r in query("SELECT file, line, length(json_extract(attributes, '$.blob')) FROM otlp_logs('tests/out/otlp/bad') ORDER BY 1, 2")])
# Path forms: one file, a glob, a missing path (no rows, no error).
c.eq("path: a file, a glob, a missing directory", [1, 2, 0], [
    query("SELECT count(*) AS n FROM otlp_logs('tests/out/otlp/inc/otlp.jsonl')")[0]["n"] - 3,
    query("SELECT count(*) AS n FROM otlp_logs('tests/out/otlp/*/zipped*')")[0]["n"] + 1,
    query("SELECT count(*) AS n FROM otlp_logs('tests/out/otlp/no-such-dir')")[0]["n"]])

# 5. What fuzzing found (tests/fuzz/regressions/otlp/ keeps the inputs; tests/fuzz/run.sh).
# a. A pretty-printed document with empty lines inside it: the reader looked at the empty
# line again for ever, and otlp_logs and lumo_sync hung (the timeouts fail the check).
# Empty lines are whitespace between JSON tokens: both records are read, with their times.
import datetime
fz = os.path.join(OUT, "fuzz")
os.makedirs(fz)
spaced = json.dumps(ev(15), indent=2).replace("\n", "\n\n") + "\n\n"
with open(os.path.join(fz, "blank-lines.json"), "w") as f:
    f.write(spaced + json.dumps(ev(16)) + "\n")
iso = lambda ns: datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
c.eq("empty lines inside a document: both records, no diagnostic",
     [[1, 115, iso(T + 15 * 10**9)], [spaced.count("\n") + 1, 116, iso(T + 16 * 10**9)], [0]],
     [list(r.values()) for r in query("SELECT line, input_tokens, time FROM otlp_logs('tests/out/otlp/fuzz') ORDER BY line",
                                      timeout=60)] +
     [list(query("SELECT count(*) AS n FROM lumo_diagnostics", before="SELECT count(*) FROM otlp_logs('tests/out/otlp/fuzz')",
                 timeout=60)[0].values())])
db5 = os.path.join(OUT, "fuzz.db")
fresh_db(db5)
r5 = json.loads(query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/fuzz') AS s", db=db5, timeout=60)[0]["s"])
c.eq("empty lines inside a document: lumo_sync stores both records", [2, 0, 115 + 116],
     [r5["otel_rows_written"], r5["skipped_lines"], query("SELECT sum(input_tokens) AS n FROM otel_events", db=db5)[0]["n"]])
# b. A record timed only by its event.timestamp attribute, in a year whose nanoseconds do
# not fit in int64 (ms * 1000000 overflowed: UBSan). int64 nanoseconds span
# -2^63 .. 2^63-1, so the milliseconds that fit are -9223372036854 .. 9223372036854:
# those two instants are the record's time; one millisecond beyond, and the years 1013 and
# 9999, are as unusable as a timestamp that does not parse: the file's time, said so.
lo, hi = -(2**63) // 10**6 + 1, (2**63 - 1) // 10**6
at = lambda ms: (datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
stamps = [at(lo), at(hi), at(lo - 1), at(hi + 1), "1013-06-01T00:00:00Z", "9999-12-31T23:59:59Z"]
c.eq("int64 nanosecond range, worked out by hand", ["1677-09-21T00:12:43.146Z", "2262-04-11T23:47:16.854Z"], stamps[:2])


def stamped(i, ts):
    doc = ev(20 + i)
    rec = doc["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]
    del rec["timeUnixNano"]
    rec["attributes"].append({"key": "event.timestamp", "value": {"stringValue": ts}})
    return json.dumps(doc)


with open(os.path.join(fz, "far-times.jsonl"), "w") as f:
    f.write("".join(stamped(i, ts) + "\n" for i, ts in enumerate(stamps)))
far = "SELECT input_tokens - 120 AS i, time_source, CASE WHEN time_source = 'attribute' THEN time END AS time,"\
      " CASE WHEN time_source = 'attribute' THEN time_unix_nano END AS ns FROM %s ORDER BY 1"
c.eq("event.timestamp: the int64 bounds kept, beyond them the file's time", [
    [0, "attribute", stamps[0], lo * 10**6], [1, "attribute", stamps[1], hi * 10**6],
    [2, "file", None, None], [3, "file", None, None], [4, "file", None, None], [5, "file", None, None]],
    [list(r.values()) for r in query(far % "otlp_logs('tests/out/otlp/fuzz/far-times.jsonl')", timeout=60)])
fresh_db(db5)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, 'tests/out/otlp/fuzz/far-times.jsonl')", db=db5, timeout=60)
c.eq("event.timestamp: lumo_sync stores the same times",
     [[0, "attribute", stamps[0], lo * 10**6], [1, "attribute", stamps[1], hi * 10**6]],
     [list(r.values()) for r in query(far % "otel_events", db=db5) if r["time_source"] == "attribute"])
c.done()
