"""check_session_model: the model a request is priced by when its own record names none
(issue 24), in the virtual tables and in lumo_sync:
- Gemini (spec 3.5.5): the message's model, else the session's top-level "model", else the
  previous message's. toktrack's legacy chat (tests/fixtures/peers/toktrack, a session
  "model" and none on its messages) is read with a plain json.load and spec 3.5.3's
  mapping; the hand-made JSONL chat (tests/fixtures/session-model/gemini, "model" on the
  metadata line) has a message of its own model between two without, so the third takes
  the session's model, not the previous message's.
- Codex: the latest turn_context's model, else the first session_meta's payload.model
  (hand-made rollouts in tests/fixtures/session-model/codex).
Costs are worked by hand from the rates of the price table (per million tokens: gemini-2.5-pro
1.25 in / 10 out / 0.125 cached, gemini-2.5-flash 0.30 / 2.50 / 0.03, gpt-5 1.25 / 10 / 0.125,
gpt-5-mini 0.25 / 2 / 0.025); lumo_price() is asked only to confirm those rates are the
table's, so that a price change fails here with a clear message instead of a wrong model."""
import json
import os
from lumo_sql import ROOT, Checker, fresh_db, query

c = Checker()
RATES = {"gemini-2.5-pro": (1.25, 10.0, 0.125), "gemini-2.5-flash": (0.30, 2.50, 0.03),
         "gpt-5": (1.25, 10.0, 0.125), "gpt-5-mini": (0.25, 2.0, 0.025)}
for model, (i, o, cr) in RATES.items():
    r = query("SELECT lumo_price('%s', 'input') i, lumo_price('%s', 'output') o, lumo_price('%s', 'cache_read') cr"
              % (model, model, model))[0]
    c.eq("price table rates of %s (input, output, cache_read)" % model, [i, o, cr], [r["i"], r["o"], r["cr"]])


def usd(model, i, o, cr):
    ri, ro, rcr = RATES[model]
    return (i * ri + o * ro + cr * rcr) / 1e6


def close(a, b):
    return a is not None and b is not None and abs(a - b) < 1e-12


# Gemini, legacy whole-file JSON: toktrack's session-abc123.json, read by hand.
TT = "tests/fixtures/peers/toktrack/gemini"
doc = json.load(open(os.path.join(ROOT, TT, "tmp/tmp123/chats/session-abc123.json")))
mine = []
for m in doc["messages"]:
    t = m.get("tokens")
    if m.get("type") != "gemini" or not isinstance(t, dict):
        continue
    model = m.get("model") or doc.get("model")
    i, o, cr = t.get("input", 0) - t.get("cached", 0) + t.get("tool", 0), t.get("output", 0) + t.get("thoughts", 0), t.get("cached", 0)
    mine.append([m["id"], model, i, o, cr, usd(model, i, o, cr)])
# by hand: msg-002 80 in, 80 out, 20 cached = $0.0009025; msg-004 200 / 250 / 50 = $0.00275625
c.eq("toktrack legacy chat by hand", [["msg-002", "gemini-2.5-pro", 80, 80, 20], ["msg-004", "gemini-2.5-pro", 200, 250, 50]],
     [r[:5] for r in mine])
c.eq("toktrack legacy chat costs by hand", [True, True], [close(0.0009025, mine[0][5]), close(0.00275625, mine[1][5])])
lumo = query("SELECT message_id, model, input_tokens i, output_tokens o, cache_read_tokens cr, cost_usd FROM gemini_usage('%s')"
             " ORDER BY message_id" % TT)
c.eq("gemini_usage, legacy chat with the model only on the session: rows",
     [r[:5] for r in mine], [[r["message_id"], r["model"], r["i"], r["o"], r["cr"]] for r in lumo])
c.eq("gemini_usage, legacy chat: cost = the hand computation",
     [True] * len(mine), [close(m[5], r["cost_usd"]) for m, r in zip(mine, lumo)])
c.eq("gemini_messages, legacy chat: the gemini messages carry the session's model",
     [["msg-002", "gemini-2.5-pro"], ["msg-004", "gemini-2.5-pro"]],
     [[r["message_id"], r["model"]] for r in query("SELECT message_id, model FROM gemini_messages('%s')"
                                                    " WHERE role = 'assistant' ORDER BY message_id" % TT)])

# Gemini, JSONL (v0.39+): the session's model on the metadata line.
SM = "tests/fixtures/session-model/gemini"
want = [["5e55a001-2222-4000-8000-000000000002", "gemini-2.5-flash", 800, 150, 200],  # 1000-200 in, 100+50 out
        ["5e55a001-4444-4000-8000-000000000004", "gemini-2.5-pro", 2000, 200, 0],     # its own model
        ["5e55a001-5555-4000-8000-000000000005", "gemini-2.5-flash", 410, 40, 100]]   # 500-100+10 in; session, not previous
got = query("SELECT message_id, model, input_tokens i, output_tokens o, cache_read_tokens cr, cost_usd FROM gemini_usage('%s')"
            " ORDER BY message_id" % SM)
c.eq("gemini_usage, JSONL with the model on the metadata line: message > session > previous",
     want, [[r["message_id"], r["model"], r["i"], r["o"], r["cr"]] for r in got])
# by hand: 800*0.30 + 150*2.50 + 200*0.03 = 621; 2000*1.25 + 200*10 = 4500; 410*0.30 + 40*2.50 + 100*0.03 = 226 (micro-USD)
c.eq("gemini_usage, JSONL: costs 621, 4500, 226 micro-USD", [True, True, True],
     [close(x / 1e6, r["cost_usd"]) for x, r in zip([621, 4500, 226], got)])

# Codex: the first rollout names its model only in session_meta; the second has a
# turn_context naming another model, which wins.
CX = "tests/fixtures/session-model/codex"
cwant = [["019a3333-0000-7000-8000-000000000003", 4, "gpt-5", 800, 100, 200],    # 1000-200 in
         ["019a3333-0000-7000-8000-000000000003", 6, "gpt-5", 1000, 150, 500],   # last: 1500-500 in
         ["019a4444-0000-7000-8000-000000000004", 4, "gpt-5-mini", 500, 60, 100]]
cgot = query("SELECT session_id, line, model, input_tokens i, output_tokens o, cache_read_tokens cr, cost_usd"
             " FROM codex_usage('%s') ORDER BY session_id, line" % CX)
c.eq("codex_usage: session_meta model as the fallback after turn_context",
     cwant, [[r["session_id"], r["line"], r["model"], r["i"], r["o"], r["cr"]] for r in cgot])
# by hand: 800*1.25 + 100*10 + 200*0.125 = 2025; 1000*1.25 + 150*10 + 500*0.125 = 2812.5;
# 500*0.25 + 60*2 + 100*0.025 = 247.5 (micro-USD)
c.eq("codex_usage: costs 2025, 2812.5, 247.5 micro-USD", [True, True, True],
     [close(x / 1e6, r["cost_usd"]) for x, r in zip([2025, 2812.5, 247.5], cgot)])
c.eq("codex_messages: assistant items carry the same model",
     [["019a3333-0000-7000-8000-000000000003", "gpt-5"], ["019a4444-0000-7000-8000-000000000004", "gpt-5-mini"]],
     [[r["session_id"], r["model"]] for r in query("SELECT session_id, model FROM codex_messages('%s')"
                                                    " WHERE role = 'assistant' ORDER BY session_id" % CX)])

# lumo_sync into a fresh database: the same models and costs in usage, and on the
# conversation rows (messages) of the assistant.
out = os.path.join(ROOT, "tests", "out", "session-model")
os.makedirs(out, exist_ok=True)
db = os.path.join(out, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, '%s')" % TT, db=db)
query("SELECT lumo_sync(NULL, '%s')" % SM, db=db)
query("SELECT lumo_sync(NULL, NULL, '%s')" % CX, db=db)
synced = query("SELECT agent, session_id, message_id, timestamp, model, cost_usd FROM usage", db=db)
# Gemini usage keys are "<sessionId>:<message id>"; Codex rows are told apart by time.
by_key = {(r["agent"], r["message_id"].split(":")[-1] if r["agent"] == "gemini" else r["timestamp"]): r for r in synced}
expect = {("gemini", m[0]): (m[1], m[5]) for m in mine}
expect.update({("gemini", w[0]): (w[1], x / 1e6) for w, x in zip(want, (621, 4500, 226))})
expect.update({("codex", t): (w[2], x / 1e6) for w, t, x in zip(
    cwant, ("2026-07-02T09:00:10.000Z", "2026-07-02T09:01:20.000Z", "2026-07-02T10:00:06.000Z"), (2025, 2812.5, 247.5))})
c.eq("sync: the usage rows are the tables' rows", sorted(expect), sorted(by_key))
for k in sorted(expect):
    r = by_key.get(k, {})
    c.eq("sync %s %s: model = the tables', cost = the hand computation" % k, [expect[k][0], True],
         [r.get("model"), close(expect[k][1], r.get("cost_usd"))])
c.eq("sync: assistant messages carry the models",
     sorted(["gemini-2.5-pro", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash", "gpt-5", "gpt-5-mini"]),
     sorted(str(r["model"]) for r in query("SELECT model FROM messages WHERE role = 'assistant'", db=db)))
c.done()
