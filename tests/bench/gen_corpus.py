#!/usr/bin/env python3
"""gen_corpus.py: lumo's own deterministic corpus generator for `make bench`.

    python3 tests/bench/gen_corpus.py --out DIR --size 1G --seed 1

Writes DIR/claude/projects/<escaped-cwd>/<session>.jsonl (+ <session>/subagents/agent-*.jsonl)
in Claude Code's real shapes, DIR/codex/sessions/YYYY/MM/DD/rollout-*.jsonl and
DIR/gemini/tmp/<hash>/chats/session-*.json, and DIR/expected.json with the ground truth the
accounting rules give (per UTC day and model, and overall; Codex and Gemini under
other_totals / other_daily). Same arguments, same bytes: everything
comes from one random.Random(seed), timestamps from a fixed start, file mtimes are set.
Standard library only.

What it writes, per session, and how the truth counts it:
- user prompts, and tool results of 1-200 KB (never billed);
- assistant responses as 1-4 streaming lines with the same message.id and requestId and
  growing output_tokens: counted once, with the last (largest) copy;
- thinking blocks, tool_use blocks with large inputs, occasional multi-MB base64 images;
- subagent files (isSidechain:true, own message ids): counted;
- a /btw aside replaying a main-thread response with a new requestId and more cache read:
  not counted (the parent copy wins);
- resumed sessions that copy an earlier session's lines verbatim but for the session id:
  counted once, for the earlier (older) file;
- <synthetic> API-error records (zero usage): not counted;
- damage: a garbage line, two records merged on one line (neither counts), a torn last
  line (not counted).
"""
import argparse
import json
import os
import random
import time

START = 1767225600  # 2026-01-01T00:00:00Z
GENERATOR = "lumo tests/bench/gen_corpus.py v2"
MODELS = [("claude-sonnet-4-5-20250929", 50), ("claude-opus-4-6", 20), ("claude-haiku-4-5-20251001", 15),
          ("claude-opus-4-5-20251101", 10), ("claude-sonnet-4-20250514", 5)]
WORDS = ("the of and to in is that for it with as was on be by this are or from at an which "
         "function return value error file path test build cache token session model query index "
         "buffer stream parse line record json scanner reader table column view sync price cost").split()


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
        self.b64 = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(65536))
        self.last_small_session = None

    def bump(self, k, n=1):
        self.counts[k] = self.counts.get(k, 0) + n

    def text(self, n):
        i = self.r.randrange(0, max(1, len(self.pool) - n))
        s = self.pool[i:i + n]
        while s.endswith("\\"):  # never cut an escape in half
            s = s[:-1]
        return s

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
            blocks.append({"type": "tool_use", "id": "toolu_01" + self.hexid(20), "name": r.choice(["Bash", "Edit", "Read", "Write", "Grep"]),
                           "input": {"file_path": "/src/" + r.choice(WORDS) + ".c", "content": self.text(r.randint(100, 6000))}})
            self.pending_tools.append(blocks[-1]["id"])
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
        r = self.r
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
            content = [{"type": "tool_result", "tool_use_id": tid,
                        "content": self.text(r.randint(500, 8000) if r.random() < 0.9 else r.randint(8000, 120000))}]
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
        mtime = t_ms // 1000 + 5
        d = os.path.join(self.out, "claude", "projects", esc)
        self.write(os.path.join(d, sid + ".jsonl"), lines, mtime, torn)
        for name, sl in subs:
            self.write(os.path.join(d, sid, "subagents", name), sl, mtime)
        self.bump("sessions")
        if len(lines) < 300 and not torn:
            self.last_small_session = (esc, sid, lines)
        return t_ms

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
            lines.append(json.dumps({"timestamp": ts(t_ms), "type": "response_item", "payload": {
                "type": "message", "role": "assistant",
                "content": [{"type": "output_text", "text": self.text(r.randint(200, 20000))}]}}, separators=(",", ":")))
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
        """A legacy whole-file Gemini chat. Truth: input - cached + tool, output + thoughts."""
        r = self.r
        sid = self.uuid()
        model = r.choice(["gemini-2.5-pro", "gemini-2.5-flash"])
        msgs = []
        start = t_ms
        for _ in range(r.randint(2, 25)):
            t_ms += r.randint(5000, 60000)
            msgs.append({"id": self.uuid(), "timestamp": iso(t_ms), "type": "user", "content": self.text(r.randint(20, 300))})
            t_ms += r.randint(2000, 30000)
            inp = r.randint(1000, 60000)
            cached = r.randint(0, inp // 2)
            out, thoughts, tool = r.randint(20, 3000), r.randint(0, 1500), r.randint(0, 50)
            msgs.append({"id": self.uuid(), "timestamp": iso(t_ms), "type": "gemini", "model": model,
                         "content": self.text(r.randint(100, 8000)),
                         "tokens": {"input": inp, "output": out, "cached": cached, "thoughts": thoughts, "tool": tool,
                                    "total": inp + out + thoughts + tool}})
            self.other("gemini", iso(t_ms)[:10], model, inp - cached + tool, out + thoughts, cached, thoughts)
        proj = self.hexid(64)
        doc = {"sessionId": sid, "projectHash": proj, "startTime": iso(start), "lastUpdated": iso(t_ms), "messages": msgs}
        name = "session-%s-%s.json" % (time.strftime("%Y-%m-%dT%H-%M", time.gmtime(start // 1000)), sid[:8])
        path = os.path.join(self.out, "gemini", "tmp", proj, "chats", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
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
               "daily": [dict(date=k[0], model=k[1], **v) for k, v in sorted(self.daily.items())]}
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
