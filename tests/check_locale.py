#!/usr/bin/python3
"""check_locale.py: lumo in a host whose locale writes numbers with a decimal comma
(issue 16 point 5). A Python program that calls setlocale(LC_ALL, 'de_DE.UTF-8') loads
lumo through the sqlite3 module: prices loaded from a LiteLLM file, the built-in
prices, overrides given as text, and a sync of the real fixture trees (Claude, Codex,
Gemini, OpenCode, OTLP: JSON numbers parsed and printed) must give exactly what the same
steps give in a child process under the C locale. de_DE.UTF-8 comes from
scripts/deps.sh (make deps-test generates it); exit 77 only when it cannot be had."""
import json
import locale
import os
import sqlite3
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SO = os.path.join(ROOT, "dist", "lumo")
OUT = os.path.join(ROOT, "tests", "out", "locale")
REAL = os.path.join(ROOT, "tests", "fixtures", "real")

STEPS = [
    "SELECT lumo_cost('claude-sonnet-4-5', 5, 812, 118422, 2876, 0, '2026-09-26')",
    "SELECT lumo_cost('gemini-2.5-pro', 150001, 1000, 50000, 0, 0, '2026-09-26')",
    "SELECT lumo_price_set('my-model', '1.5', '2.25', '0.15', NULL, NULL)",
    "SELECT lumo_cost('my-model', 1000000, 1000000, 1000000, 0, 0)",
    "SELECT lumo_prices_load('%s')" % os.path.join(ROOT, "tests", "fixtures", "prices-changed.json"),
    "SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0)",
    "SELECT group_concat(model || '=' || input || '/' || output || '/' || ifnull(cache_read, ''), ' ') FROM lumo_prices",
    "SELECT lumo_prices_load(NULL) > 0",
]
SYNC = "SELECT lumo_sync('{r}/claude', '{r}/gemini', '{r}/codex', '{r}/opencode', '{r}/otlp')".format(r=REAL)
TABLES = ["usage", "messages", "tool_uses", "otel_points", "otel_events"]


def run(db_path):
    """Every step and the synced rows, as text, in this process's locale."""
    con = sqlite3.connect(db_path)
    con.enable_load_extension(True)
    con.load_extension(SO)
    got = [repr(con.execute(q).fetchone()[0]) for q in STEPS]
    summary = json.loads(con.execute(SYNC).fetchone()[0])
    got.append("sync rows: %d usage, %d otel" % (summary["usage_rows_written"], summary["otel_rows_written"]))
    for t in TABLES:
        cols = [r[1] for r in con.execute("SELECT * FROM pragma_table_info(?)", (t,))
                if r[1] not in ("synced_at", "first_synced_at", "updated_at")]
        rows = con.execute("SELECT %s FROM %s ORDER BY 1, 2, 3" % (", ".join(cols), t)).fetchall()
        got.append("%s: %d rows, %s" % (t, len(rows), repr(rows)))
    con.close()
    return got


if len(sys.argv) > 1 and sys.argv[1] == "--child":
    print(json.dumps(run(sys.argv[2])))
    sys.exit(0)

os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))
env = dict(os.environ, LC_ALL="C", TZ="UTC")
want = json.loads(subprocess.run([sys.executable, __file__, "--child", os.path.join(OUT, "c.db")], env=env,
                                 check=True, capture_output=True, text=True).stdout)
try:
    locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
except locale.Error:
    print("SKIP de_DE.UTF-8 locale not available (make deps-test generates it as root)")
    sys.exit(77)
assert locale.localeconv()["decimal_point"] == ",", "de_DE has no decimal comma?"
assert "%.2f" % 0.5 == "0.50"  # Python's own % ignores the locale; C's printf does not
os.environ["TZ"] = "UTC"
got = run(os.path.join(OUT, "de.db"))
bad = 0
for i, (w, g) in enumerate(zip(want, got)):
    if w != g:
        bad += 1
        print("MISMATCH step %d:\n  C:     %s\n  de_DE: %s" % (i, w[:300], g[:300]))
checks = {"a02 priced, not 0": got[0] == repr(0.0585066), "loaded file read": got[5] == repr(0.0115),
          "override from text": got[3] == repr(3.9), "rows synced": "0 usage" not in got[8]}
for name, ok in checks.items():
    if not ok:
        bad += 1
        print("MISMATCH %s" % name)
print("%d values checked, %d mismatches" % (len(want) + len(checks), bad))
sys.exit(1 if bad else 0)
