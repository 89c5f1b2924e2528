"""check_otlp_e2e: end to end with an OTLP client nobody here wrote. The OpenTelemetry
JavaScript SDK (pinned in tests/e2e/package.json, installed into dist/otel-js; the SDK
Claude Code exports with) sends Claude-Code-shaped metrics, delta and cumulative, and
api_request events through its OTLP/HTTP JSON exporters to scripts/lumo-otlp-receiver;
lumo_sync() reads the receiver's daily dump, and the totals must equal what the client
says it sent. Also the receiver's answers per the OTLP/HTTP spec (415, 400, 413, 404,
gzip). Exit 77 (reported as a skip) only when Node.js/npm or the SDK cannot be installed."""
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
from lumo_sql import ROOT, Checker, query, fresh_db

JS = os.path.join(ROOT, "dist", "otel-js")
E2E = os.path.join(ROOT, "tests", "e2e")
OUT = os.path.join(ROOT, "tests", "out", "otlp-e2e")


def skip(why):
    print("SKIP: " + why)
    raise SystemExit(77)


if not shutil.which("node") or not shutil.which("npm"):
    skip("node and npm are not installed (make deps-test installs them)")
os.makedirs(JS, exist_ok=True)
stamp = os.path.join(JS, "installed-from")
want = open(os.path.join(E2E, "package-lock.json")).read()
if not os.path.exists(stamp) or open(stamp).read() != want:
    for f in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(E2E, f), JS)
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=JS, capture_output=True, text=True)
    if r.returncode != 0:
        skip("npm ci of the OpenTelemetry JS SDK failed:\n" + r.stderr[-2000:])
    open(stamp, "w").write(want)

c = Checker()
shutil.rmtree(OUT, ignore_errors=True)
dump = os.path.join(OUT, "otlp")
rcv = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts", "lumo-otlp-receiver"), "--port", "0",
                        "--dir", dump, "--max-bytes", str(8 << 20), "--quiet"], stderr=subprocess.PIPE, text=True)
try:
    first = rcv.stderr.readline()  # "listening on http://127.0.0.1:PORT, writing ..."
    port = int(first.split("http://127.0.0.1:")[1].split(",")[0])
    base = "http://127.0.0.1:%d" % port

    def post(path, body, ctype="application/json", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            h = {"Content-Type": ctype}
            h.update(headers or {})
            conn.request("POST", path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, r.read()
        except (BrokenPipeError, ConnectionResetError):
            return "reset", b""
        finally:
            conn.close()

    # The receiver's answers (OTLP/HTTP): protobuf refused, bad JSON, wrong signal, too large, gzip.
    c.eq("protobuf body: 415", 415, post("/v1/metrics", b"\x0a\x00", "application/x-protobuf")[0])
    c.eq("not JSON: 400", 400, post("/v1/logs", b"{not json")[0])
    c.eq("a logs request on /v1/metrics: 400", 400, post("/v1/metrics", b'{"resourceLogs": []}')[0])
    c.eq("unknown path: 404", 404, post("/v1/other", b"{}")[0])
    big = b'{"resourceLogs": [], "pad": "' + b"x" * (50 << 20) + b'"}'
    c.eq("a 50 MB body: 413 (not written)", True, post("/v1/logs", big)[0] in (413, "reset"))
    zipped = gzip.compress(json.dumps({"resourceLogs": []}).encode())
    c.eq("gzip body: 200 {}", (200, b"{}"), post("/v1/logs", zipped, headers={"Content-Encoding": "gzip"}))

    env = dict(os.environ, NODE_PATH=os.path.join(JS, "node_modules"))
    r = subprocess.run(["node", os.path.join(E2E, "emit.cjs"), base], capture_output=True, text=True, env=env, timeout=120)
    if r.returncode != 0:
        print(r.stderr)
        raise SystemExit("emit.cjs failed")
    sent = json.loads(r.stdout)
finally:
    rcv.terminate()
    rcv.wait()

files = os.listdir(dump)
c.eq("one daily dump file", 1, len(files))
lines = open(os.path.join(dump, files[0])).read().split("\n")
c.eq("every request one line; the 50 MB body not among them", True,
     all(len(x) < (1 << 20) for x in lines) and lines[-1] == "" and len(lines) > 8)

db = os.path.join(OUT, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, '%s')" % dump, db=db)
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, '%s')" % dump, db=db)  # a second sync adds nothing
names = {("claude_code.token.usage", "input"): "tokens.input", ("claude_code.token.usage", "output"): "tokens.output",
         ("claude_code.token.usage", "cacheRead"): "tokens.cacheRead",
         ("claude_code.token.usage", "cacheCreation"): "tokens.cacheCreation", ("claude_code.cost.usage", None): "cost",
         ("claude_code.active_time.total", "user"): "active.user", ("claude_code.active_time.total", "cli"): "active.cli",
         ("claude_code.lines_of_code.count", "added"): "lines.added",
         ("claude_code.lines_of_code.count", "removed"): "lines.removed"}
rows = query("SELECT json_extract(p.resource, '$.\"lumo.test.run\"') AS run, i.metric, i.type, i.decision,"
             " sum(i.increase) AS inc, sum(i.value) AS naive FROM otel_increases i JOIN otel_points p USING (key)"
             " GROUP BY 1, 2, 3, 4", db=db)
for run in ("delta", "cumulative"):
    got = {}
    for x in rows:
        if x["run"] != run:
            continue
        k = "decision." + x["decision"] if x["decision"] else names[(x["metric"], x["type"])]
        got[k] = round(x["inc"], 9)
    c.eq(run + ": every total equals what the SDK sent", {k: round(v, 9) for k, v in sent["metrics"][run].items()}, got)
naive = sum(x["naive"] for x in rows if x["run"] == "cumulative" and x["metric"] == "claude_code.token.usage")
c.eq("cumulative: summing the exported values would over-count (the test can tell)", True,
     naive > sum(v for k, v in sent["metrics"]["cumulative"].items() if k.startswith("tokens.")))
ev = sent["events"]
c.eq("api_request events: count, tokens and reported cost", [ev["requests"], ev["input"], ev["output"], ev["cacheRead"],
                                                              ev["cacheCreation"], round(ev["cost"], 9), "reported"],
     list(query("SELECT count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),"
                " round(sum(cost_usd), 9), group_concat(DISTINCT cost_source) FROM api_requests", db=db)[0].values()))
c.eq("otel_sessions: the session's prompts, requests and active time", [[sent["session"], ev["prompts"], ev["requests"],
      round(2 * (sent["metrics"]["delta"]["active.user"] + sent["metrics"]["delta"]["active.cli"]), 6)]],
     [list(x.values()) for x in query("SELECT session_id, prompts, api_requests, round(active_seconds, 6) FROM otel_sessions", db=db)])
c.done()
