#!/usr/bin/env python3
"""gen_corpus.py: lumo's own deterministic corpus generator for `make bench`.

    python3 tests/bench/gen_corpus.py --out DIR --size 1G --seed 1

Writes DIR/claude/projects/<escaped-cwd>/<session>.jsonl (+ <session>/subagents/agent-*.jsonl)
in Claude Code's real shapes, and DIR/expected.json with the ground truth the accounting
rules give (per UTC day and model, and overall). Same arguments, same bytes: everything
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
        for _ in range(r.choice((0, 0, 1, 1, 2, 3))):
            blocks.append({"type": "tool_use", "id": "toolu_01" + self.hexid(20), "name": r.choice(["Bash", "Edit", "Read", "Write", "Grep"]),
                           "input": {"file_path": "/src/" + r.choice(WORDS) + ".c", "content": self.text(r.randint(100, 6000))}})
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
            content = [{"type": "tool_result", "tool_use_id": "toolu_01" + self.hexid(20),
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

    def run(self):
        t_ms = START * 1000
        while self.written < self.size:
            t_ms = self.session(t_ms) + self.r.randint(600, 8 * 3600) * 1000
        exp = {"generator": "lumo tests/bench/gen_corpus.py v1", "bytes": self.written, "files": self.files,
               "counts": self.counts, "totals": self.totals,
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
