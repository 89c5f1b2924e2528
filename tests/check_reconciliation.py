"""check_reconciliation: transcripts beside telemetry per session (issue 20 point 6), the views
cost_reconciliation and cost_confirmation. Real Claude transcripts (tests/fixtures/real and
the activity session) are synced with OTLP dumps made here in the shapes of the real OTLP
fixtures (tests/fixtures/real/otlp/claude-code: the api_request event of 2.1.263, the
token-usage metrics of 2.1.268), whose numbers come from this file's own json.loads
reading of the transcripts (streaming copies of one response kept once, the largest):
- A (the activity session): one api_request event per response with its exact tokens and
  no cost: exact;
- B (spotter d6e0bada): token.usage metrics only, with a tenth more output: 'disagrees by
  N%' with N = the extra over the transcripts' tokens, the placeholder output counts named,
  the cost not compared (telemetry sent none);
- C (ai-music fed8ce56): events with the exact tokens and a reported cost of $0: the tokens
  agree, the cost disagrees by 100%;
- D: events of a session no transcript holds: telemetry-only, its cost in
  cost_confirmation.telemetry_only_cost_usd on its day;
- every other session: transcript-only;
- the same session in events and metrics is counted from the events only (no double count);
- cost_confirmation: priced = confirmed + disputed + unconfirmed per day, confirmed = the cost
  of the rows of the sessions found exact here."""
import json
import os
import shutil
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "reconciliation")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(os.path.join(OUT, "otlp"))
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"
REAL = os.path.join(ROOT, "tests", "fixtures", "real")
ACT = os.path.join(ROOT, "tests", "fixtures", "activity")
TEMPLATES = os.path.join(REAL, "otlp", "claude-code")
A = "5e1f0c2a-7b3d-4e8f-9a10-b2c3d4e5f601"
B = "d6e0bada-1959-4eec-a9d2-0bfade768d8f"
C = "fed8ce56-bc79-401f-a83e-af084253362f"
D = "otel-only-session"
FILES = {A: os.path.join(ACT, "claude", "projects", "-home-u-webapp", A + ".jsonl"),
         B: os.path.join(REAL, "claude", "projects", "-home-marco-projects-spotter", B + ".jsonl"),
         C: os.path.join(REAL, "claude", "projects", "-Users-chip-dev-ai-music", C + ".jsonl")}


def responses(path):
    """The billed responses of a transcript: one per (message id, request id), its largest copy."""
    best = {}
    for raw in open(path, encoding="utf-8"):
        try:
            d = json.loads(raw)
        except ValueError:
            continue
        m = d.get("message") if isinstance(d, dict) else None
        u = m.get("usage") if isinstance(m, dict) else None
        if not isinstance(u, dict) or m.get("model") == "<synthetic>" or not m.get("id"):
            continue
        r = {"input": u.get("input_tokens") or 0, "output": u.get("output_tokens") or 0,
             "cache_read": u.get("cache_read_input_tokens") or 0,
             "cache_creation": u.get("cache_creation_input_tokens") or 0,
             "model": m.get("model"), "time": d.get("timestamp"), "request_id": d.get("requestId")}
        r["total"] = r["input"] + r["output"] + r["cache_read"] + r["cache_creation"]
        k = (m["id"], d.get("requestId"))
        if k not in best or r["total"] > best[k]["total"]:
            best[k] = r
    return list(best.values())


RESP = {s: responses(p) for s, p in FILES.items()}
TOKENS = {s: sum(r["total"] for r in rs) for s, rs in RESP.items()}


def attr(k, v):
    if isinstance(v, str):
        return {"key": k, "value": {"stringValue": v}}
    if isinstance(v, float):
        return {"key": k, "value": {"doubleValue": v}}
    return {"key": k, "value": {"intValue": str(v)}}


def ns(ts):
    import datetime
    t = datetime.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return str(int(t.timestamp()) * 10**9)


# events: the 2.1.263 api_request record, one per response
events = json.load(open(os.path.join(TEMPLATES, "claude-code-2.1.263-api-request-outcome-otlp.json")))["payload"]
proto = events["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]
records = []
for session, cost in ((A, None), (C, 0.0), (D, 0.25)):
    rs = RESP.get(session) or [{"input": 100, "output": 50, "cache_read": 0, "cache_creation": 0, "total": 150,
                                "model": "claude-sonnet-4-5", "time": "2026-03-02T10:00:00.000Z", "request_id": "req_d1"},
                               {"input": 10, "output": 5, "cache_read": 0, "cache_creation": 0, "total": 15,
                                "model": "claude-sonnet-4-5", "time": "2026-03-02T10:01:00.000Z", "request_id": "req_d2"}]
    for i, r in enumerate(rs):
        rec = dict(proto)
        attrs = [attr("session.id", session), attr("event.name", "api_request"), attr("event.timestamp", r["time"]),
                 attr("event.sequence", i + 1), attr("model", r["model"]), attr("input_tokens", r["input"]),
                 attr("output_tokens", r["output"]), attr("cache_read_tokens", r["cache_read"]),
                 attr("cache_creation_tokens", r["cache_creation"]), attr("request.id", r["request_id"] or "none")]
        if cost is not None:
            attrs.append(attr("cost_usd", cost / len(rs) if cost else 0.0))
        rec.update(attributes=attrs, timeUnixNano=ns(r["time"]))
        records.append(rec)
events["resourceLogs"][0]["scopeLogs"][0]["logRecords"] = records
with open(os.path.join(OUT, "otlp", "events.jsonl"), "w") as f:
    f.write(json.dumps(events) + "\n")

# metrics: the 2.1.268 token.usage sum (delta), one point per type, for B (a tenth more
# output) and for A (which has events: the metrics must not be added to them)
metrics = json.load(open(os.path.join(TEMPLATES, "claude-code-2.1.268-token-usage-metrics.json")))["payload"]
metric = next(m for m in metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
              if m["name"] == "claude_code.token.usage")
extra = TOKENS[B] // 10
points = []
for session, add in ((B, extra), (A, 999)):
    rs = RESP[session]
    sums = {"input": sum(r["input"] for r in rs), "output": sum(r["output"] for r in rs) + add,
            "cacheRead": sum(r["cache_read"] for r in rs), "cacheCreation": sum(r["cache_creation"] for r in rs)}
    t = ns(rs[-1]["time"])
    for typ, v in sums.items():
        points.append({"attributes": [attr("session.id", session), attr("model", rs[0]["model"]), attr("type", typ)],
                       "startTimeUnixNano": t, "timeUnixNano": t, "asDouble": float(v)})
metric["sum"] = {"aggregationTemporality": 1, "isMonotonic": True, "dataPoints": points}
metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"] = [metric]
with open(os.path.join(OUT, "otlp", "metrics.jsonl"), "w") as f:
    f.write(json.dumps(metrics) + "\n")

query("SELECT lumo_sync('%s,%s', '', '', '', '%s')" % (os.path.join(REAL, "claude"), os.path.join(ACT, "claude"),
                                                       os.path.join(OUT, "otlp")), db=DB)
rec = {r["session_id"]: r for r in query("SELECT * FROM cost_reconciliation", db=DB)}


def pct_text(p):
    return "disagrees by %s%%" % ("%.1f" % max(0.1, round(p, 1)))


c.eq("A: transcript tokens read here", TOKENS[A], rec[A]["transcript_tokens"])
c.eq("A: exact from its events (its metrics, 999 tokens more, not added)",
     ("exact", "events", len(RESP[A]), TOKENS[A], 0.0), (rec[A]["confidence"], rec[A]["telemetry_source"],
                                                        rec[A]["telemetry_requests"], rec[A]["telemetry_tokens"],
                                                        rec[A]["token_diff_pct"]))
c.eq("B: metrics with a tenth more output", (pct_text(100.0 * extra / TOKENS[B]), "metrics", TOKENS[B] + extra, None),
     (rec[B]["confidence"], rec[B]["telemetry_source"], rec[B]["telemetry_tokens"], rec[B]["telemetry_cost_usd"]))
c.eq("B: the reason names the figures, the placeholders and the missing cost", [True, True, True],
     ["tokens: transcripts %d, telemetry %d" % (TOKENS[B], TOKENS[B] + extra) in rec[B]["reason"],
      "placeholder output counts" in rec[B]["reason"], "telemetry not sent" in rec[B]["reason"]])
c.eq("C: tokens equal, a reported cost of $0: disagrees by 100%",
     ("disagrees by 100.0%", 0.0, 100.0, 0.0), (rec[C]["confidence"], rec[C]["token_diff_pct"], rec[C]["cost_diff_pct"],
                                                rec[C]["telemetry_cost_usd"]))
c.eq("D: telemetry-only, its reported cost", ("telemetry-only", 0.25, 165, 2),
     (rec[D]["confidence"], rec[D]["telemetry_cost_usd"], rec[D]["telemetry_tokens"], rec[D]["telemetry_requests"]))
others = {s: r["confidence"] for s, r in rec.items() if s not in (A, B, C, D)}
c.eq("every other session transcript-only", {s: "transcript-only" for s in others}, others)
c.eq("each session once", len(rec), len(query("SELECT agent, session_id FROM cost_reconciliation", db=DB)))

conf = {r["day"]: r for r in query("SELECT * FROM cost_confirmation", db=DB)}
stored = query("SELECT date(timestamp) AS day, session_id, cost_usd FROM usage WHERE cost_usd IS NOT NULL", db=DB)
want_ok, want_all = {}, {}
for r in stored:
    want_all[r["day"]] = want_all.get(r["day"], 0) + r["cost_usd"]
    if r["session_id"] == A:
        want_ok[r["day"]] = want_ok.get(r["day"], 0) + r["cost_usd"]
for day, r in conf.items():
    c.eq("cost_confirmation %s: priced = confirmed + disputed + unconfirmed" % day, True,
         abs(r["priced_cost_usd"] - r["confirmed_cost_usd"] - r["disputed_cost_usd"] - r["unconfirmed_cost_usd"]) < 1e-5)
c.eq("cost_confirmation: the confirmed cost is session A's, on its days", sorted(want_ok),
     sorted(d for d, r in conf.items() if r["confirmed_cost_usd"]))
for d, v in want_ok.items():
    c.eq("cost_confirmation: confirmed cost of %s" % d, True, abs(conf[d]["confirmed_cost_usd"] - v) <= 1e-6)
c.eq("cost_confirmation: A's day is wholly confirmed (share 1)", 1.0,
     round(conf[RESP[A][0]["time"][:10]]["confirmed_share"], 9))
c.eq("cost_confirmation: the priced cost per day (to the 6 decimals shown)", sorted(want_all, key=repr),
     sorted((d for d, r in conf.items() if r["priced_cost_usd"] or d in want_all), key=repr))
for d, v in want_all.items():
    c.eq("cost_confirmation: priced cost of %s" % d, True, abs(conf[d]["priced_cost_usd"] - v) <= 1e-6)
c.eq("cost_confirmation: the telemetry-only cost on D's day", 0.25, conf["2026-03-02"]["telemetry_only_cost_usd"])
# the dashboard's line: the share of all the priced cost that session A's is
import subprocess
dash = json.loads(subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo"), "--db", DB, "dashboard",
                                  "--no-sync", "--json"], capture_output=True, text=True, check=True,
                                 env=dict(os.environ, TZ="UTC")).stdout)["cost_confirmed_by_telemetry"]["rows"][0]
c.eq("lumo dashboard: the confirmed share and the telemetry-only cost",
     (round(100.0 * sum(want_ok.values()) / sum(want_all.values()), 1), 0.25),
     (dash["confirmed_percent"], dash["telemetry_only_cost_usd"]))
c.done()
