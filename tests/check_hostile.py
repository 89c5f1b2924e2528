"""check_hostile: hand-written hostile lines (issue 18), each read by the source tables and
by lumo_sync, which must agree and lose nothing silently. Every expectation below is
computed by hand from the lines written here, never taken from lumo's output.

  counts   a token count that is not a plain non-negative integer: whole numbers in any
           JSON spelling (7.0, 7e0) and digit strings ("7") are counts; anything else
           (null, true, 1.5, "x", [], {}, -5, 2^63-1, 1e30) counts 0 with a wrong_type or
           out_of_range diagnostic, and the response is kept (Claude, Codex, Gemini,
           OpenCode)
  bound    2^63-1 input tokens never bill (out_of_range), and no sum overflows
  nul      message ids differing only after an escaped NUL stay two responses
  utf8     invalid UTF-8 in a model name is stored as U+FFFD (an invalid_utf8
           diagnostic), and Python's sqlite3 reads every table and view of the database
  disk     a sync past the file size limit (a full disk) says the disk is full, leaves
           the database intact, and the next sync is exact
  rewrite  a file rewritten in place with the same inode and head is read again whole
  seen     a symlinked project directory and transcript are read (once: a link into the
           root and a loop are reported, skipped_entry), a FIFO and a directory past the
           32 levels walked are reported, a file added
           to a directory whose mtime is then set back is synced, a root with a comma
           in its path is read (alone, or as "\\," in a list)
  gzip     one flipped byte in a gzip transcript loses only the lines near the damage
  prices   lumo_prices_load of a device, a directory or a 1.1 GiB file fails at once,
           naming the cause
  memory   a line of 100,000 tool calls is read by claude_tool_uses without queueing
           them all (peak RSS grows by less than 64 MB over a one-call file's), every
           call is a row, and a result in the next line reaches its call
  cut      a 72 MB line (over the 64 MiB a line may hold) is read with its strings cut
           to their first MiB at a character boundary (a prefix of the text, valid
           JSON), its counts exact, a "cut" diagnostic, the next line and an appended
           one read at the right offsets, and a sync's peak RSS under 120 MB over a
           small file's (3x the line before)
Run by tests/run.sh; exit 1 on any mismatch."""
import json
import os
import shutil
import sqlite3
from lumo_sql import ROOT, SO, Checker

OUT = os.path.join(ROOT, "tests", "out", "hostile")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
os.environ["TZ"] = "UTC"
os.environ["LUMO_MACHINE"] = "hostile"
c = Checker()


def connect(db=":memory:"):
    con = sqlite3.connect(db)
    con.enable_load_extension(True)
    con.load_extension(SO)
    return con


def write(path, lines, raw=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        for line in lines:
            f.write(line if raw else (json.dumps(line) + "\n").encode())


def diags(con, source):
    """(file's last part, line, kind) of every diagnostic of source, sorted."""
    return sorted((os.path.basename(f or ""), ln, k) for f, ln, k in
                  con.execute("SELECT file, line, kind FROM lumo_diagnostics WHERE source = ?", (source,)))


def synced(root_args, name):
    db = os.path.join(OUT, name + ".db")
    for s in ("", "-wal", "-shm"):
        if os.path.exists(db + s):
            os.unlink(db + s)
    con = connect(db)
    summary = json.loads(con.execute("SELECT lumo_sync(%s)" % ", ".join("?" * len(root_args)), root_args).fetchone()[0])
    return con, summary


# ------------------------------------------------------------------ Claude counts
# One assistant line per case; input_tokens carries the hostile value, output 10.
CASES = [  # (label, value, expected input, expected diagnostic kind or None)
    ("int", 7, 7, None),
    ("float_whole", 7.0, 7, None),
    ("exp_whole", "7e0", 7, None),            # written raw below: the JSON number 7e0
    ("digit_string", "\"7\"", 7, None),       # raw: the JSON string "7"
    ("null", "null", 0, "wrong_type"),
    ("true", "true", 0, "wrong_type"),
    ("fraction", "1.5", 0, "wrong_type"),
    ("text", "\"seven\"", 0, "wrong_type"),
    ("array", "[7]", 0, "wrong_type"),
    ("object", "{\"n\":7}", 0, "wrong_type"),
    ("negative", "-5", 0, "out_of_range"),
    ("int64_max", "9223372036854775807", 0, "out_of_range"),
    ("beyond_int64", "92233720368547758070", 0, "out_of_range"),
    ("huge_float", "1e30", 0, "out_of_range"),
    ("signed_string", "\"-7\"", 0, "wrong_type"),
]

root = os.path.join(OUT, "claude")
lines = []
for i, (label, value, _, _) in enumerate(CASES):
    raw = value if isinstance(value, str) else json.dumps(value)
    lines.append(('{"type":"assistant","sessionId":"s1","timestamp":"2026-03-01T10:%02d:00Z",'
                  '"message":{"id":"msg_%s","role":"assistant","model":"claude-sonnet-4-5",'
                  '"content":[{"type":"text","text":"a reply long enough"}],'
                  '"usage":{"input_tokens":%s,"output_tokens":10}}}\n' % (i, label, raw)).encode())
# cache buckets with hostile values beside good ones: the good ones count
lines.append(b'{"type":"assistant","sessionId":"s1","timestamp":"2026-03-01T11:00:00Z","message":{"id":"msg_cache",'
             b'"role":"assistant","model":"claude-sonnet-4-5","content":"x","usage":{"input_tokens":3,'
             b'"output_tokens":10,"cache_read_input_tokens":"12","cache_creation_input_tokens":true}}}\n')
# two ids that differ only after an escaped NUL: two responses
for tail, n in (("a", 100), ("b", 200)):
    lines.append(('{"type":"assistant","sessionId":"s1","timestamp":"2026-03-01T12:00:00Z","message":{"id":'
                  '"msg_nul\\u0000%s","role":"assistant","model":"claude-sonnet-4-5","content":"x",'
                  '"usage":{"input_tokens":%d,"output_tokens":10}}}\n' % (tail, n)).encode())
write(os.path.join(root, "projects", "-p", "s1.jsonl"), lines, raw=True)
N = len(CASES)
want_rows = {("msg_" + label): (inp, 10, 0, 0) for label, _, inp, _ in CASES}
want_rows["msg_cache"] = (3, 10, 12, 0)
want_rows["msg_nul\ufffda"] = (100, 10, 0, 0)
want_rows["msg_nul\ufffdb"] = (200, 10, 0, 0)
want_diags = sorted([("s1.jsonl", i + 1, kind) for i, (_, _, _, kind) in enumerate(CASES) if kind] +
                    [("s1.jsonl", N + 1, "wrong_type")])

con = connect()
got = {m: (i, o, cr, cw) for m, i, o, cr, cw in con.execute(
    "SELECT message_id, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens FROM claude_usage(?)",
    (root,))}
c.eq("claude_usage rows (every hostile count kept as a response)", want_rows, got)
c.eq("claude_usage diagnostics", want_diags, diags(con, "claude_usage"))
cost = con.execute("SELECT max(cost_usd) FROM claude_usage(?)", (root,)).fetchone()[0]
# the largest response is msg_nul b: 200 input + 10 output tokens at Sonnet 4.5 ($3/$15 per M)
c.eq("claude_usage: no response billed beyond its real tokens (max cost)", round(200 * 3e-6 + 10 * 15e-6, 9),
     round(cost, 9))
scon, summary = synced((root, "", "", "", ""), "claude")
got = {m: (i, o, cr, cw) for m, i, o, cr, cw in scon.execute(
    "SELECT message_id, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens FROM usage")}
c.eq("lumo_sync usage rows", want_rows, got)
c.eq("lumo_sync diagnostics", want_diags, diags(scon, "lumo_sync"))
c.eq("lumo_sync skipped_lines (nothing skipped: every line kept)", 0, summary["skipped_lines"])
c.eq("sum of input tokens in the views (no overflow)", sum(v[0] for v in want_rows.values()),
     scon.execute("SELECT sum(input_tokens) FROM usage").fetchone()[0])

# ------------------------------------------------------------------ Codex counts
croot = os.path.join(OUT, "codex")
tid = "0199aaaa-0000-7000-8000-000000000001"
cl = [{"timestamp": "2026-03-01T10:00:00.000Z", "type": "session_meta", "payload": {"id": tid, "timestamp": "2026-03-01T10:00:00.000Z", "cwd": "/w/app"}},
      {"timestamp": "2026-03-01T10:00:01.000Z", "type": "turn_context", "payload": {"model": "gpt-5", "cwd": "/w/app"}}]


def tc(sec, last):
    return {"timestamp": "2026-03-01T10:00:%02d.000Z" % sec, "type": "event_msg",
            "payload": {"type": "token_count", "info": {"last_token_usage": last}}}


cl.append(tc(2, {"input_tokens": 100, "cached_input_tokens": 0, "output_tokens": 5}))       # plain: 100/5
cl.append(tc(3, {"input_tokens": "100", "cached_input_tokens": 40, "output_tokens": 5.0}))  # digit string, 5.0: 60/40/5
cl.append(tc(4, {"input_tokens": 100, "cached_input_tokens": None, "output_tokens": 5}))    # null cached: 100/0/5 + wrong_type
cl.append(tc(5, {"input_tokens": 2**63 - 1, "output_tokens": 5}))                          # out_of_range: 0/5
write(os.path.join(croot, "sessions", "2026", "03", "01", "rollout-2026-03-01T10-00-00-%s.jsonl" % tid), cl)
want_codex = [(3, 100, 0, 5), (4, 60, 40, 5), (5, 100, 0, 5), (6, 0, 0, 5)]
want_cdiag = [("rollout-2026-03-01T10-00-00-%s.jsonl" % tid, 5, "wrong_type"),
              ("rollout-2026-03-01T10-00-00-%s.jsonl" % tid, 6, "out_of_range")]
got = sorted(con.execute("SELECT line, input_tokens, cache_read_tokens, output_tokens FROM codex_usage(?)", (croot,)))
c.eq("codex_usage rows", want_codex, got)
c.eq("codex_usage diagnostics", want_cdiag, diags(con, "codex_usage"))
scon, summary = synced(("", "", croot, "", ""), "codex")
got = sorted(scon.execute("SELECT line, input_tokens, cache_read_tokens, output_tokens FROM usage"))
c.eq("lumo_sync codex usage rows", want_codex, got)
c.eq("lumo_sync codex diagnostics", want_cdiag, diags(scon, "lumo_sync"))

# ------------------------------------------------------------------ Gemini counts
groot = os.path.join(OUT, "gemini")
gl = [{"sessionId": "g1", "projectHash": "h", "startTime": "2026-03-01T10:00:00Z"},
      {"id": "m1", "type": "gemini", "timestamp": "2026-03-01T10:00:01Z", "model": "gemini-2.5-pro", "content": "a",
       "tokens": {"input": 50, "output": 7, "cached": 0, "thoughts": 0, "tool": 0}},
      {"id": "m2", "type": "gemini", "timestamp": "2026-03-01T10:00:02Z", "model": "gemini-2.5-pro", "content": "b",
       "tokens": {"input": 9223372036854775807, "output": 7, "cached": 0, "thoughts": 0, "tool": 0}},
      {"id": "m3", "type": "gemini", "timestamp": "2026-03-01T10:00:03Z", "model": "gemini-2.5-pro", "content": "c",
       "tokens": {"input": "50", "output": [7], "cached": 0, "thoughts": 0, "tool": 0}}]
write(os.path.join(groot, "tmp", "h", "chats", "session-2026-03-01T10-00-g1.jsonl"), gl)
want_gem = [("m1", 50, 7), ("m2", 0, 7), ("m3", 50, 0)]
want_gdiag = [("session-2026-03-01T10-00-g1.jsonl", 3, "out_of_range"),
              ("session-2026-03-01T10-00-g1.jsonl", 4, "wrong_type")]
got = sorted(con.execute("SELECT message_id, input_tokens, output_tokens FROM gemini_usage(?)", (groot,)))
c.eq("gemini_usage rows", want_gem, got)
c.eq("gemini_usage diagnostics", want_gdiag, diags(con, "gemini_usage"))
scon, summary = synced(("", groot, "", "", ""), "gemini")
got = sorted((m.split(":")[-1], i, o) for m, i, o in scon.execute("SELECT message_id, input_tokens, output_tokens FROM usage"))
c.eq("lumo_sync gemini usage rows", want_gem, got)
c.eq("lumo_sync gemini diagnostics", want_gdiag, diags(scon, "lumo_sync"))

# ------------------------------------------------------------------ OpenCode counts
oroot = os.path.join(OUT, "opencode")
for mid, tokens in (("msg_o1", {"input": 11, "output": 2, "reasoning": 0, "cache": {"read": 0, "write": 0}}),
                    ("msg_o2", {"input": -11, "output": 2, "reasoning": 0, "cache": {"read": 0, "write": 0}})):
    write(os.path.join(oroot, "storage", "message", "ses_1", mid + ".json"), [], raw=True)
    with open(os.path.join(oroot, "storage", "message", "ses_1", mid + ".json"), "w") as f:
        json.dump({"id": mid, "sessionID": "ses_1", "role": "assistant", "modelID": "claude-sonnet-4-5",
                   "providerID": "anthropic", "time": {"created": 1772359200000}, "tokens": tokens}, f)
want_oc = [("msg_o1", 11, 2), ("msg_o2", 0, 2)]
got = sorted(con.execute("SELECT message_id, input_tokens, output_tokens FROM opencode_usage(?)", (oroot,)))
c.eq("opencode_usage rows", want_oc, got)
c.eq("opencode_usage diagnostics", [("msg_o2.json", 0, "out_of_range")], diags(con, "opencode_usage"))
scon, summary = synced(("", "", "", oroot, ""), "opencode")
got = sorted(scon.execute("SELECT message_id, input_tokens, output_tokens FROM usage"))
c.eq("lumo_sync opencode usage rows", want_oc, got)
c.eq("lumo_sync opencode diagnostics", [("msg_o2.json", 0, "out_of_range")], diags(scon, "lumo_sync"))

# ------------------------------------------------------------------ invalid UTF-8
uroot = os.path.join(OUT, "utf8")
write(os.path.join(uroot, "projects", "-p", "u1.jsonl"), [
    b'{"type":"user","uuid":"u-1","sessionId":"u1","timestamp":"2026-03-01T10:00:00Z","message":{"role":"user",'
    b'"content":"caf\xe9 \xff"}}\n',
    b'{"type":"assistant","uuid":"u-2","sessionId":"u1","timestamp":"2026-03-01T10:00:01Z","message":{"id":"msg_u",'
    b'"role":"assistant","model":"claude-\xc3\x28sonnet","content":[{"type":"text","text":"ok \xed\xa0\x80"}],'
    b'"usage":{"input_tokens":5,"output_tokens":10}}}\n'], raw=True)
con = connect()
c.eq("claude_usage: the model made valid UTF-8", [("claude-\ufffd(sonnet",)],
     con.execute("SELECT model FROM claude_usage(?)", (uroot,)).fetchall())
c.eq("claude_messages: texts made valid UTF-8", [("caf\ufffd \ufffd",), ("ok \ufffd\ufffd\ufffd",)],
     con.execute("SELECT text FROM claude_messages(?) ORDER BY timestamp", (uroot,)).fetchall())
c.eq("claude_messages diagnostics", [("u1.jsonl", 1, "invalid_utf8"), ("u1.jsonl", 2, "invalid_utf8")],
     diags(con, "claude_messages"))
scon, summary = synced((uroot, "", "", "", ""), "utf8")
c.eq("lumo_sync diagnostics", [("u1.jsonl", 1, "invalid_utf8"), ("u1.jsonl", 2, "invalid_utf8")], diags(scon, "lumo_sync"))
scon.close()
# Python's sqlite3 (no extension) reads every table and view of the synced database
plain = sqlite3.connect(os.path.join(OUT, "utf8.db"))
names = [n for n, in plain.execute("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")]
failed = []
for n in names:
    try:
        plain.execute('SELECT * FROM "%s"' % n).fetchall()
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        failed.append("%s: %s" % (n, e))
c.eq("every table and view readable by Python's sqlite3 (%d)" % len(names), [], failed)
c.eq("the model as Python reads it", [("claude-\ufffd(sonnet",)], plain.execute("SELECT model FROM usage").fetchall())

# ------------------------------------------------------------------ rewrite in place
# A file rewritten in place (same inode, same first 4 KB, longer) is not an append: the
# rewritten line is read again. Line 1 is a 5,000-byte user record, so the head hash
# covers only it.
rroot = os.path.join(OUT, "rewrite")
rpath = os.path.join(rroot, "projects", "-p", "r1.jsonl")


def assistant(mid, n):
    return ('{"type":"assistant","sessionId":"r1","timestamp":"2026-03-01T10:00:00Z","message":{"id":"%s",'
            '"role":"assistant","model":"claude-sonnet-4-5","content":"x","usage":{"input_tokens":%d,'
            '"output_tokens":1}}}\n' % (mid, n)).encode()


head = ('{"type":"user","sessionId":"r1","message":{"role":"user","content":"%s"}}\n' % ("p" * 5000)).encode()
write(rpath, [head, assistant("msg_r1", 5)], raw=True)
scon, _ = synced((rroot, "", "", "", ""), "rewrite")
with open(rpath, "r+b") as f:  # same inode: the second line replaced, a third appended
    f.seek(len(head))
    f.write(assistant("msg_r2", 6) + assistant("msg_r3", 7))
scon.execute("SELECT lumo_sync(?, '', '', '', '')", (rroot,)).fetchone()
c.eq("rewrite in place: the rewritten line is read", [("msg_r1", 5), ("msg_r2", 6), ("msg_r3", 7)],
     sorted(scon.execute("SELECT message_id, input_tokens FROM usage")))
scon.close()

# ------------------------------------------------------------------ files never seen
import time

seen = os.path.join(OUT, "seen")
elsewhere = os.path.join(OUT, "elsewhere")


def one_response(path, mid, n):
    write(path, [assistant(mid, n)], raw=True)


one_response(os.path.join(elsewhere, "-linked", "l1.jsonl"), "msg_linkdir", 1)  # a project moved and linked back
one_response(os.path.join(elsewhere, "file.jsonl"), "msg_linkfile", 2)         # a linked transcript
one_response(os.path.join(seen, "projects", "-p", "s.jsonl"), "msg_plain", 3)
os.symlink(os.path.join(elsewhere, "-linked"), os.path.join(seen, "projects", "-linked"))
os.symlink(os.path.join(elsewhere, "file.jsonl"), os.path.join(seen, "projects", "-p", "linked.jsonl"))
os.symlink(os.path.join(seen, "projects", "-p"), os.path.join(seen, "projects", "-again"))   # into the root: once
os.symlink(os.path.join(elsewhere, "-linked"), os.path.join(elsewhere, "-linked", "loop"))  # a loop
os.mkfifo(os.path.join(seen, "projects", "-p", "fifo.jsonl"))
deep = os.path.join(seen, "projects", "-deep", *(["d"] * 33))  # past the 32 levels walked
one_response(os.path.join(deep, "x.jsonl"), "msg_deep", 9)
want_seen = [("msg_linkdir", 1), ("msg_linkfile", 2), ("msg_plain", 3)]
want_sdiag = [("-again", 0, "skipped_entry"), ("d", 0, "skipped_entry"), ("fifo.jsonl", 0, "skipped_entry"),
              ("loop", 0, "skipped_entry")]
con = connect()
c.eq("claude_usage: linked project and transcript read, once each",
     want_seen, sorted(con.execute("SELECT message_id, input_tokens FROM claude_usage(?)", (seen,))))
c.eq("claude_usage: the link into the root, the loop and the FIFO reported", want_sdiag, diags(con, "claude_usage"))
# the listing of -p is remembered once it has settled (2 s); then a file is added and
# the directory's mtime set back, as tar, rsync -a and cp -a do
pdir = os.path.join(seen, "projects", "-p")
time.sleep(2.2)
scon, _ = synced((seen, "", "", "", ""), "seen")
c.eq("lumo_sync: linked project and transcript read, once each", want_seen,
     sorted(scon.execute("SELECT message_id, input_tokens FROM usage")))
c.eq("lumo_sync: the link into the root, the loop and the FIFO reported", want_sdiag, diags(scon, "lumo_sync"))
st = os.stat(pdir)
one_response(os.path.join(pdir, "late.jsonl"), "msg_late", 4)
os.utime(pdir, ns=(st.st_atime_ns, st.st_mtime_ns))
scon.execute("SELECT lumo_sync(?, '', '', '', '')", (seen,)).fetchone()
c.eq("lumo_sync: a file added under a directory whose mtime was set back is read", 1,
     scon.execute("SELECT count(*) FROM usage WHERE message_id = 'msg_late'").fetchone()[0])
scon.close()
# a root whose path holds a comma: given alone, or with "\," in a list
comma = os.path.join(OUT, "a,b")
one_response(os.path.join(comma, "projects", "-p", "c.jsonl"), "msg_comma", 5)
c.eq("a root with a comma, given alone", [("msg_comma",)],
     con.execute("SELECT message_id FROM claude_usage(?)", (comma,)).fetchall())
c.eq("a root with a comma, escaped in a list", [("msg_comma",), ("msg_r2",), ("msg_r3",)],
     sorted(con.execute("SELECT message_id FROM claude_usage(?)", (comma.replace(",", "\\,") + "," + rroot,))))

# ------------------------------------------------------------------ damaged gzip
# One flipped byte in the middle of a gzip transcript: the lines before the damage are
# kept (all but those in the last few KiB zlib had in hand), and only genuine lines
# (input tokens as written); the damage is reported (unreadable). The lines a reader
# could get are found apart with Python's zlib, fed a byte at a time.
import gzip
import random
import zlib

zroot = os.path.join(OUT, "gzip")
zlines = []
for i in range(300):
    rnd = random.Random(i)
    zlines.append(('{"type":"assistant","sessionId":"z","timestamp":"2026-03-01T10:00:00Z","message":{"id":"msg_%03d",'
                   '"role":"assistant","model":"claude-sonnet-4-5","content":"%s","usage":{"input_tokens":%d,'
                   '"output_tokens":1}}}\n' % (i, "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(200)),
                                              i + 1)).encode())
zdata = bytearray(gzip.compress(b"".join(zlines), mtime=0))
zdata[len(zdata) // 2] ^= 0xFF
write(os.path.join(zroot, "projects", "-p", "z.jsonl.gz"), [bytes(zdata)], raw=True)
dec, plain_out = zlib.decompressobj(31), b""
try:
    for k in range(len(zdata)):
        plain_out += dec.decompress(bytes(zdata[k:k + 1]))
except zlib.error:
    pass
genuine = {l for l in zlines}
before = sum(1 for l in plain_out.split(b"\n")[:-1] if l + b"\n" in genuine)
window = 4096 // len(zlines[0]) + 1  # lines in the last 4 KiB before the damage
con = connect()
kept = con.execute("SELECT message_id, input_tokens FROM claude_usage(?)", (zroot,)).fetchall()
c.eq("damaged gzip: the lines before the damage kept (%d readable, %d kept)" % (before, len(kept)), True,
     before - window <= len(kept) <= before and all(int(m[4:]) + 1 == n for m, n in kept))
c.eq("damaged gzip: the damage reported", [("z.jsonl.gz", "unreadable")],
     [(os.path.basename(f), k) for f, k in con.execute("SELECT file, kind FROM lumo_diagnostics WHERE source = 'claude_usage'")])
scon, _ = synced((zroot, "", "", "", ""), "gzip")
c.eq("damaged gzip: lumo_sync keeps the same lines", sorted(kept), sorted(scon.execute("SELECT message_id, input_tokens FROM usage")))
scon.close()

# ------------------------------------------------------------------ full disk
# A sync that hits the file size limit (RLIMIT_FSIZE, as a full disk: no privilege
# needed) says so, leaves the database intact, and the next sync is exact.
import resource
import signal
import subprocess

corpus = os.path.join(ROOT, "tests", "out", "corpus", "claude")
if os.path.isdir(corpus):
    con = connect()
    want_n = con.execute("SELECT count(*) FROM claude_usage(?)", (corpus,)).fetchone()[0]
    db = os.path.join(OUT, "full.db")
    synced(("/no/such/root", "", "", "", ""), "full")[0].close()
    limit = os.path.getsize(db) + 200000

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run(["sqlite3", "-cmd", ".load " + SO, db, "SELECT lumo_sync('%s', '', '', '', '')" % corpus],
                       preexec_fn=small_disk, capture_output=True, text=True)
    c.eq("full disk: the sync fails and says the disk is full",
         (1, True), (r.returncode, "disk is full" in r.stderr and "cannot rollback" not in r.stderr))
    con = sqlite3.connect(db)
    c.eq("full disk: the database is intact", [("ok",)], con.execute("PRAGMA integrity_check").fetchall())
    con.close()
    con = connect(db)
    con.execute("SELECT lumo_sync(?, '', '', '', '')", (corpus,)).fetchone()
    c.eq("full disk: the next sync is exact (rows as claude_usage reads them)", want_n,
         con.execute("SELECT count(*) FROM usage").fetchone()[0])
    con.close()

# ------------------------------------------------------------------ price files
con = connect()
for path, want in (("/dev/zero", "cannot open"), (OUT, "Is a directory")):
    try:
        con.execute("SELECT lumo_prices_load(?)", (path,)).fetchone()
        got = "no error"
    except sqlite3.Error as e:
        got = str(e)
    c.eq("lumo_prices_load(%s) refused at once" % path, True, want in got)
big = os.path.join(OUT, "big.json")
with open(big, "wb") as f:
    f.truncate((1 << 30) + (100 << 20))  # sparse: 1.1 GiB of nothing on disk
try:
    con.execute("SELECT lumo_prices_load(?)", (big,)).fetchone()
    got = "no error"
except sqlite3.Error as e:
    got = str(e)
os.unlink(big)
c.eq("a 1.1 GiB price file names the 1 GiB limit", True, "larger than 1 GiB" in got)

# ------------------------------------------------------------------ memory
# Each queued call holds a dozen column buffers (about 3 KB): before calls went out
# between blocks, this 6 MB line took 300 MB. Peak RSS of a child process (VmHWM: the
# high-water mark of ru_maxrss survives exec and would be this process's), not judged
# under ASan (LD_PRELOAD), whose own memory it would measure.
def peak_rss_kb(root):
    import subprocess
    import sys
    code = ("import sqlite3,sys; con=sqlite3.connect(':memory:'); con.enable_load_extension(True);"
            "con.load_extension(sys.argv[1]); print(con.execute(\"SELECT count(*), count(is_error), sum(is_error)"
            " FROM claude_tool_uses(?)\", (sys.argv[2],)).fetchone());"
            "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")
    out = subprocess.run([sys.executable, "-c", code, SO, root], capture_output=True, text=True, check=True).stdout
    rows, rss = out.split("\n")[:2]
    return rows, int(rss)


many = os.path.join(OUT, "many_tools")
one = os.path.join(OUT, "one_tool")
calls = 100000
for root, n in ((many, calls), (one, 1)):
    rec = {"type": "assistant", "sessionId": "mt", "cwd": "/p", "uuid": "a1", "timestamp": "2026-11-02T10:00:00.000Z",
           "message": {"id": "m1", "model": "claude-sonnet-4-5", "role": "assistant",
                       "content": [{"type": "tool_use", "id": "t%d" % i, "name": "Read", "input": {"file_path": "/a"}}
                                   for i in range(n)], "usage": {"input_tokens": 1, "output_tokens": 1}}}
    result = {"type": "user", "sessionId": "mt", "cwd": "/p", "uuid": "u1", "timestamp": "2026-11-02T10:00:01.000Z",
              "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t%d" % (n - 1),
                                                        "is_error": True, "content": "boom"}]}}
    write(os.path.join(root, "projects", "-p", "mt.jsonl"), [rec, result])
rows, rss_many = peak_rss_kb(many)
c.eq("memory: every call of a 100,000-call line is a row; the last has its error result",
     "(%d, 1, 1)" % calls, rows)
if "asan" not in os.environ.get("LD_PRELOAD", ""):
    _, rss_one = peak_rss_kb(one)
    c.eq("memory: the line's calls are not all held at once (RSS growth under 64 MB)", True,
         rss_many - rss_one < 64 * 1024)

# ------------------------------------------------------------------ cut
# The text mixes multi-byte characters, escaped quotes and backslashes and \u escapes,
# so a cut at a wrong place would leave invalid JSON or UTF-8.
unit = 'a\u00e9"\\ \u20ac\U0001F600 '
text = unit * (72 * 1024 * 1024 // (len(json.dumps(unit, ensure_ascii=False).encode()) - 2))
cut_root = os.path.join(OUT, "cut")
small_root = os.path.join(OUT, "cut_small")


def cut_line(mid, n_in, body):
    return {"type": "assistant", "sessionId": "cut", "cwd": "/p", "uuid": "c" + mid,
            "timestamp": "2026-11-02T11:00:00.000Z", "requestId": "r" + mid,
            "message": {"id": mid, "model": "claude-sonnet-4-5", "role": "assistant",
                        "content": [{"type": "text", "text": body}],
                        "usage": {"input_tokens": n_in, "output_tokens": 7}}}


cut_file = os.path.join(cut_root, "projects", "-p", "cut.jsonl")
os.makedirs(os.path.dirname(cut_file), exist_ok=True)
with open(cut_file, "w", encoding="utf-8") as f:
    f.write(json.dumps(cut_line("big", 1000, text), ensure_ascii=False) + "\n")
    f.write(json.dumps(cut_line("next", 20, "after"), ensure_ascii=False) + "\n")
write(os.path.join(small_root, "projects", "-p", "cut.jsonl"), [cut_line("s", 1, "small")])
con = connect()
c.eq("cut: both responses counted exactly", (2, 1020, 14),
     con.execute("SELECT count(*), sum(input_tokens), sum(output_tokens) FROM claude_usage(?)", (cut_root,)).fetchone())
got = con.execute("SELECT text FROM claude_messages(?) WHERE message_id = 'big'", (cut_root,)).fetchone()[0]
kept = len(json.dumps(got, ensure_ascii=False).encode()) - 2
c.eq("cut: the text kept is a prefix of the line's, about its first MiB", (True, True),
     (text.startswith(got), (1 << 20) - 8 <= kept <= (1 << 20) + 8))
c.eq("cut: the next line is read", ["after"],
     [r[0] for r in con.execute("SELECT text FROM claude_messages(?) WHERE message_id = 'next'", (cut_root,))])
c.eq("cut: one diagnostic, for line 1", [("cut.jsonl", 1, "cut")], diags(con, "claude_messages"))
con.close()


def sync_rss_kb(root, db):
    import subprocess
    import sys
    code = ("import sqlite3,sys; con=sqlite3.connect(sys.argv[3]); con.enable_load_extension(True);"
            "con.load_extension(sys.argv[1]); print(con.execute('SELECT lumo_sync(?, \\'\\', \\'\\', \\'\\', \\'\\')',"
            " (sys.argv[2],)).fetchone()[0]); print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")
    out = subprocess.run([sys.executable, "-c", code, SO, root, db], capture_output=True, text=True, check=True).stdout
    return int(out.split("\n")[1])


cut_db = os.path.join(OUT, "cut.db")
rss_big = sync_rss_kb(cut_root, cut_db)
con = connect(cut_db)
c.eq("cut: the sync stores both responses and the diagnostic", (2, 1020, [(1, "cut")]),
     (con.execute("SELECT count(*) FROM usage").fetchone()[0], con.execute("SELECT sum(input_tokens) FROM usage").fetchone()[0],
      con.execute("SELECT line, kind FROM diagnostics").fetchall()))
c.eq("cut: the whole file is consumed", [(os.path.getsize(cut_file),)],
     con.execute("SELECT consumed FROM lumo_files WHERE path LIKE '%cut.jsonl'").fetchall())
con.close()
with open(cut_file, "a") as f:
    f.write(json.dumps(cut_line("appended", 300, "later")) + "\n")
con = connect(cut_db)
con.execute("SELECT lumo_sync(?, '', '', '', '')", (cut_root,)).fetchone()
c.eq("cut: an appended line is read from the right offset", (3, 1320),
     con.execute("SELECT count(*), sum(input_tokens) FROM usage").fetchone())
con.close()
if "asan" not in os.environ.get("LD_PRELOAD", ""):
    rss_small = sync_rss_kb(small_root, os.path.join(OUT, "cut_small.db"))
    c.eq("cut: a sync of the 72 MB line grows RSS by less than 120 MB", True, rss_big - rss_small < 120 * 1024)

c.done()
