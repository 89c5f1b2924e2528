#!/usr/bin/python3
"""check_prices.py: every model id the agents have written is priced (issue 17 point 1).

1. The historical ids Claude Code, Codex CLI, Gemini CLI and OpenCode have recorded,
   retired models included, in the forms they log (plus provider prefixes and date
   suffixes): each resolves to a price row (lumo_model) and gets a cost.
2. Hand-checked rates against the vendors' published lists (USD per million tokens),
   including the corrected LiteLLM cells (scripts/prices/vendor.json).
3. Every model named in tests/fixtures (the corpus tarball too) and in the bench
   generator is priced, except the few listed below with the reason.
4. The generated table: one source per row, no overlapping validity for a model."""
import glob
import gzip
import json
import os
import re
import sqlite3
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
con = sqlite3.connect(":memory:")
con.enable_load_extension(True)
con.load_extension(os.path.join(ROOT, "dist", "lumo"))
bad = 0
checked = 0


def fail(msg):
    global bad
    bad += 1
    print("MISMATCH " + msg)


def priced(m, when="2026-09-26"):
    key = con.execute("SELECT lumo_model(?)", (m,)).fetchone()[0]
    cost = con.execute("SELECT lumo_cost(?, 1000, 1000, 0, 0, 0, ?)", (m, when)).fetchone()[0]
    return key, cost


HISTORICAL = """
claude-3-haiku-20240307 claude-3-sonnet-20240229 claude-3-opus-20240229 claude-3-opus-latest
claude-3-5-haiku-20241022 claude-3-5-haiku-latest claude-3-5-sonnet-20240620 claude-3-5-sonnet-20241022
claude-3-5-sonnet-latest claude-3-7-sonnet-20250219 claude-3-7-sonnet-latest claude-opus-4-20250514
claude-opus-4-0 claude-opus-4 claude-sonnet-4 openrouter/anthropic/claude-sonnet-4 claude-opus-4-1-20250805 claude-opus-4-1 claude-sonnet-4-20250514 claude-sonnet-4-0
claude-sonnet-4-5-20250929 claude-haiku-4-5-20251001 claude-opus-4-5-20251101 claude-opus-4-6
claude-sonnet-4-6 claude-opus-4-7 claude-opus-4-8 claude-opus-5 claude-sonnet-5 claude-fable-5
claude-opus-4-6[1m] claude-sonnet-4-5@20250929 anthropic/claude-3-5-haiku-20241022
us.anthropic.claude-3-5-haiku-20241022-v1:0 anthropic.claude-3-7-sonnet-20250219-v1:0
gpt-4.1 gpt-4.1-2025-04-14 gpt-4.1-mini gpt-4.1-nano gpt-4o gpt-4o-mini o1 o3 o3-2025-04-16 o3-mini
o3-pro o4-mini o4-mini-2025-04-16 codex-mini-latest openai/o4-mini
gpt-5 gpt-5-2025-08-07 gpt-5-mini gpt-5-nano gpt-5-codex gpt-5-pro gpt-5.1 gpt-5.1-codex
gpt-5.1-codex-mini gpt-5.1-codex-max gpt-5.2 gpt-5.2-codex gpt-5.2-pro gpt-5.3-codex gpt-5.4
gpt-5.4-mini gpt-5.4-pro gpt-5.5 gpt-5.5-pro gpt-5.6-sol gpt-5.6-luna gpt-5.6-terra
gemini-1.5-pro gemini-1.5-pro-002 gemini-1.5-flash gemini-1.5-flash-002 gemini-1.5-flash-8b
gemini-2.0-flash gemini-2.0-flash-001 gemini-2.0-flash-lite gemini-2.0-flash-exp
gemini-2.0-flash-thinking-exp gemini-2.0-flash-thinking-exp-01-21 gemini-2.0-pro-exp-02-05
gemini-2.5-pro gemini-2.5-pro-exp-03-25 gemini-2.5-pro-preview-03-25 gemini-2.5-pro-preview-05-06
gemini-2.5-pro-preview-06-05 gemini-2.5-flash gemini-2.5-flash-preview-04-17
gemini-2.5-flash-preview-05-20 gemini-2.5-flash-lite gemini-2.5-flash-lite-preview-06-17
gemini-2.5-flash-preview-09-2025 gemini-2.5-flash-lite-preview-09-2025 gemini-3-pro-preview
gemini-3-flash-preview gemini-3.1-pro-preview models/gemini-2.5-flash-preview-05-20
google/gemini-1.5-pro gemini/gemini-1.5-pro
""".split()
# Written by Codex but never given an API price by OpenAI (ChatGPT sign-in only):
# unpriced on purpose, so their cost shows as unknown rather than a guess.
NO_PUBLISHED_PRICE = {"gpt-5-codex-mini", "gpt-5.3-codex-spark", "codex-auto-review"}
for m in HISTORICAL:
    checked += 1
    key, cost = priced(m)
    if key is None or cost is None:
        fail("historical id %s is not priced (lumo_model %r, lumo_cost %r)" % (m, key, cost))
for m in sorted(NO_PUBLISHED_PRICE):
    checked += 1
    if priced(m)[1] is not None:
        fail("%s has a price now: move it to HISTORICAL" % m)

# (model, kind, vendor figure, when): hand-checked against the vendors' price lists.
VENDOR = [
    ("claude-3-haiku-20240307", "input", 0.25, None), ("claude-3-haiku-20240307", "output", 1.25, None),
    ("claude-3-haiku-20240307", "cache_write_1h", 0.5, None),       # LiteLLM: $6
    ("claude-3-opus-20240229", "cache_write_1h", 30, None),         # LiteLLM: $6
    ("claude-3-opus-latest", "output", 75, None),
    ("claude-3-5-haiku-20241022", "input", 0.8, None), ("claude-3-5-haiku-20241022", "cache_write_1h", 1.6, None),
    ("claude-3-5-haiku-latest", "input", 0.8, None), ("claude-3-5-haiku-latest", "output", 4, None),
    ("claude-3-5-haiku-latest", "cache_write_5m", 1, None), ("claude-3-5-haiku-latest", "cache_read", 0.08, None),
    ("claude-3-5-haiku-latest", "cache_write_1h", 1.6, None),
    ("claude-3-5-sonnet-20240620", "output", 15, None), ("claude-3-7-sonnet-latest", "cache_write_1h", 6, None),
    ("claude-3-sonnet-20240229", "input", 3, None),
    ("claude-opus-4-1-20250805", "input", 15, None), ("claude-opus-4-0", "cache_read", 1.5, None),
    ("claude-sonnet-4-0", "input_above_tier", 6, None),
    ("gpt-4.1", "input", 2, None), ("gpt-4.1", "cache_read", 0.5, None), ("gpt-4.1", "output", 8, None),
    ("o3", "input", 2, None), ("o3", "output", 8, None),
    ("o3", "input", 10, "2025-05-01"), ("o3", "output", 40, "2025-05-01"),   # before the 2025-06-10 cut
    ("o4-mini", "input", 1.1, None), ("o4-mini", "cache_read", 0.275, None), ("o4-mini", "output", 4.4, None),
    ("codex-mini-latest", "input", 1.5, None), ("codex-mini-latest", "output", 6, None),
    ("gpt-5", "input", 1.25, None), ("gpt-5", "cache_read", 0.125, None), ("gpt-5", "output", 10, None),
    ("gemini-2.5-flash", "input", 0.3, None), ("gemini-2.5-flash", "output", 2.5, None),
    ("gemini-2.0-flash", "input", 0.1, None), ("gemini-2.0-flash", "output", 0.4, None),
    ("gemini-1.5-flash", "input_above_tier", 0.15, None),            # LiteLLM: $1
    ("gemini/gemini-1.5-pro", "input", 1.25, "2025-01-01"),           # LiteLLM: $3.50 (before 2024-10-01)
    ("gemini/gemini-1.5-pro", "input", 3.5, "2024-09-01"),
    ("gemini-2.5-flash-preview-05-20", "input", 0.15, None),          # LiteLLM: $0.30 (GA price)
    ("gemini-2.5-flash-preview-05-20", "output", 0.6, None),
    ("gemini-2.0-flash-exp", "input", 0, None),                       # LiteLLM Vertex row: $0.15
    ("gemini-2.0-pro-exp-02-05", "output", 0, None),
]
for m, kind, want, when in VENDOR:
    checked += 1
    got = con.execute("SELECT lumo_price(?, ?, ?)", (m, kind, when or "2026-09-26")).fetchone()[0]
    if got is None or abs(got - want) > 1e-9:
        fail("%s %s at %s: lumo %r, vendor %r" % (m, kind, when or "2026-09-26", got, want))

# 3. Models in the fixtures and the bench generator.
KNOWN_UNPRICED = NO_PUBLISHED_PRICE | {"aide-gpt-5"}  # a custom name (tests/sql/070_codex.sql, T13)
found = set()
rx = re.compile(r'"(?:model|modelID|modelId|gen_ai\.request\.model|gen_ai\.response\.model)"\s*:\s*(?:\{\s*"stringValue"\s*:\s*)?"([^"]+)"')


def scan(text):
    found.update(rx.findall(text))


for path in glob.glob(os.path.join(ROOT, "tests", "fixtures", "**", "*"), recursive=True):
    if os.path.isdir(path):
        continue
    if path.endswith(".tar.gz"):
        with tarfile.open(path) as tf:
            for mem in tf.getmembers():
                if mem.isfile():
                    data = tf.extractfile(mem).read()
                    if mem.name.endswith(".gz"):
                        data = gzip.decompress(data)
                    scan(data.decode("utf-8", "replace"))
        continue
    try:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        scan(data.decode("utf-8", "replace"))
    except (OSError, EOFError, gzip.BadGzipFile):
        pass
gen = open(os.path.join(ROOT, "tests", "bench", "gen_corpus.py"), encoding="utf-8").read()
found.update(re.findall(r'\("((?:claude|gpt|gemini|o\d)[^"]*)", \d+\)', gen))
for lst in re.findall(r"model = r\.choice\(\[([^\]]+)\]\)", gen):
    found.update(re.findall(r'"([^"]+)"', lst))
found.discard("<synthetic>")
for m in sorted(found):
    checked += 1
    if m in KNOWN_UNPRICED:
        continue
    if priced(m)[1] is None:
        fail("model %s (tests/fixtures or tests/bench/gen_corpus.py) is not priced" % m)
if len(found) < 25:
    fail("only %d fixture models found: the scan is broken" % len(found))

# 4. The table itself.
checked += 1
n = con.execute("""SELECT count(*) FROM lumo_prices a JOIN lumo_prices b ON a.model = b.model AND a.rowid < b.rowid
   AND (a.valid_to IS NULL OR b.valid_from IS NULL OR b.valid_from < a.valid_to)
   AND (b.valid_to IS NULL OR a.valid_from IS NULL OR a.valid_from < b.valid_to)""").fetchone()[0]
if n:
    fail("%d overlapping validity pairs" % n)
checked += 1
if con.execute("SELECT count(*) FROM lumo_prices WHERE source IS NULL OR source = ''").fetchone()[0]:
    fail("rows without a source")
print("%d fixture/bench models, %d historical ids" % (len(found), len(HISTORICAL)))
print("%d values checked, %d mismatches" % (checked, bad))
sys.exit(1 if bad else 0)
