"""check_blocks: lumo's `blocks` view against ccusage's own `blocks --json` on the same
files (tests/fixtures/ccusage-blocks-s25.json, recorded once from ccusage 20.0.24; see
tests/fixtures/CCUSAGE.md): the same blocks and gaps, the same start, end and last-entry
times, the same number of entries and the same token counts. Costs are not compared:
ccusage prices the 200K tier per bucket (pricing spec section 8), lumo per request.
Also the four block fixtures of the peers' bug report T17, worked by hand."""
import json
import os
from lumo_sql import ROOT, Checker, fresh_db, insert_usage, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "blocks")
os.makedirs(OUT, exist_ok=True)
db = os.path.join(OUT, "s25.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.unlink(db + suffix)
os.environ["LUMO_MACHINE"] = "test"
query("SELECT lumo_sync('tests/out/corpus/claude')", db=db)
mine = query("SELECT * FROM blocks ORDER BY start_at, is_gap", db=db)
theirs = json.load(open(os.path.join(ROOT, "tests", "fixtures", "ccusage-blocks-s25.json")))["blocks"]
# Where ccusage is wrong, by the generator's ground truth (which lumo matches exactly,
# check_corpus_claude.py): it counts <synthetic> API-error records as entries (zero
# tokens: same tokens, one entry more), and in the block of 2025-11-18T18:00 it counts a
# /btw sidechain replay of a main-thread response (new requestId, more cache read) that
# the truth does not bill (spec 1.6 rule 4).
KNOWN = {"2025-11-12T09:00:00.000Z": "one <synthetic> entry more, same tokens",
         "2025-11-18T18:00:00.000Z": "ccusage also bills a /btw sidechain replay"}
c.eq("number of blocks and gaps", len(theirs), len(mine))
for t, m in zip(theirs, mine):
    tc = t["tokenCounts"]
    times = [t["id"], t["isGap"], t["startTime"], t["endTime"], t.get("actualEndTime")]
    c.eq("block %s: id, gap, start, end, last entry" % t["id"], times,
         [m["block_id"], bool(m["is_gap"]), m["start_at"], m["end_at"], m["actual_end_at"]])
    want = [t["entries"], tc["inputTokens"], tc["outputTokens"], tc["cacheCreationInputTokens"], tc["cacheReadInputTokens"]]
    got = [m["requests"], m["input_tokens"], m["output_tokens"], m["cache_creation_tokens"], m["cache_read_tokens"]]
    if t["id"] in KNOWN:
        c.eq("block %s differs from ccusage (%s)" % (t["id"], KNOWN[t["id"]]), True, want != got)
    else:
        c.eq("block %s: entries and tokens" % t["id"], want, got)
truth = json.load(open(os.path.join(ROOT, "tests", "out", "corpus", "expected.json")))["totals"]["claude"]
c.eq("blocks add up to the generator's truth", [truth["messages"], truth["output"], truth["cache_read"]],
     [sum(m["requests"] for m in mine), sum(m["output_tokens"] for m in mine), sum(m["cache_read_tokens"] for m in mine)])

# The cache (blocks_cache, made by lumo_sync): the comparison above read it. A request
# written into the middle of the history (as a merge would) is taken into account before
# the next sync (the view computes the blocks from the one before it on) and after it
# (lumo_sync refreshes the cache); either way the blocks equal a computation from scratch.
import shutil
import subprocess


def all_blocks(path):
    return query("SELECT block_id, is_gap, start_at, end_at, actual_end_at, requests, input_tokens, output_tokens,"
                 " cache_creation_tokens, cache_read_tokens, round(cost_usd, 9) AS c FROM blocks ORDER BY start_at, is_gap",
                 db=path)


def from_scratch(path):
    p = os.path.join(OUT, "scratch.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(p + suffix):
            os.unlink(p + suffix)
    subprocess.run(["sqlite3", path, "VACUUM INTO '%s'" % p], check=True)
    subprocess.run(["sqlite3", p, "DELETE FROM blocks_cache; UPDATE blocks_state SET since = ''"], check=True)
    return all_blocks(p)


c.eq("after lumo_sync the cache is current", [None, len([m for m in mine if not m["is_gap"]])],
     [query("SELECT since FROM blocks_state", db=db)[0]["since"], query("SELECT count(*) n FROM blocks_cache", db=db)[0]["n"]])
mid = mine[len(mine) // 2]["start_at"]
insert_usage(db, [("mid-history-1", mid.replace(":00:00.000Z", ":07:00.000Z")),
                  ("mid-history-2", mine[len(mine) // 3]["end_at"].replace(":00:00.000Z", ":30:00.000Z"))])
c.eq("a request in the middle of the history, before the next sync: blocks = from scratch",
     from_scratch(db), all_blocks(db))
query("SELECT lumo_sync('tests/out/corpus/claude')", db=db)
c.eq("after the next sync (cache refreshed): blocks = from scratch", from_scratch(db), all_blocks(db))
c.eq("and the cache is current again", None, query("SELECT since FROM blocks_state", db=db)[0]["since"])


def blocks_of(times):
    """blocks view over usage rows at the given UTC times (a fresh database)."""
    p = os.path.join(OUT, "t17.db")
    fresh_db(p)
    insert_usage(p, [("k%d" % i, t) for i, t in enumerate(times)])
    return [(r["start_at"][11:16], r["is_gap"], r["requests"]) for r in
            query("SELECT * FROM blocks ORDER BY start_at, is_gap", db=p)]


# T17, by hand with the spec's algorithm: 10:55 + 11:10 -> one block from 10:00;
# 10:55 then 16:10 -> the silence is 5 h 15 min (> 5 h): a gap from 15:55 and a block
# from 16:00; 10:00 then 16:30 -> a gap from 15:00 and a block from 16:00; a request
# exactly 5 h after the start (and after the previous one) does not split.
c.eq("T17 10:55 + 11:10", [("10:00", 0, 2)], blocks_of(["2026-01-05T10:55:00.000Z", "2026-01-05T11:10:00.000Z"]))
c.eq("T17 10:55 then 16:10", [("10:00", 0, 1), ("15:55", 1, 0), ("16:00", 0, 1)],
     blocks_of(["2026-01-05T10:55:00.000Z", "2026-01-05T16:10:00.000Z"]))
c.eq("T17 10:00 then 16:30", [("10:00", 0, 1), ("15:00", 1, 0), ("16:00", 0, 1)],
     blocks_of(["2026-01-05T10:00:00.000Z", "2026-01-05T16:30:00.000Z"]))
c.eq("T17 exactly 5 h after the start stays in the block", [("10:00", 0, 2)],
     blocks_of(["2026-01-05T10:00:00.000Z", "2026-01-05T15:00:00.000Z"]))
# The request exactly 5 h after the start shares its quarter hour with the next block's
# first request (the view reads whole quarter hours from the usage_buckets rollup and this
# one from the rows): 10:00, 15:00 stay together; 15:05 opens a block from 15:00, with no
# gap (the silence is 5 minutes).
c.eq("exactly 5 h, then 5 minutes later in the same quarter hour",
     [("10:00", 0, 2), ("15:00", 0, 1)],
     blocks_of(["2026-01-05T10:00:00.000Z", "2026-01-05T15:00:00.000Z", "2026-01-05T15:05:00.000Z"]))
c.done()
