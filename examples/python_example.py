"""python_example.py: reading lumo from Python's own sqlite3 module.

    /usr/bin/python3 examples/python_example.py [path/to/lumo.db]

Part 1 loads the extension (needs a Python whose sqlite3 module can load extensions:
Debian's python3 can, a pyenv build usually cannot: then part 1 says so and is skipped).
Part 2 reads the synced database without the extension, as any client can; with pandas
installed it also shows a DataFrame."""
import os
import sqlite3
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
db = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.lumo/lumo.db")

con = sqlite3.connect(":memory:")
if hasattr(con, "enable_load_extension"):
    con.enable_load_extension(True)
    con.load_extension(os.path.join(ROOT, "dist", "lumo"))
    con.enable_load_extension(False)
    (usd,) = con.execute("SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0)").fetchone()
    print("extension loaded: 1,000 in + 500 out on Sonnet 4.5 = $%.4f" % usd)
else:
    print("this python's sqlite3 cannot load extensions (use /usr/bin/python3); skipping part 1")

con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)  # wait up to 10 s for a writer
for day, cost, requests in con.execute("SELECT day, total(priced_cost_usd), sum(requests) FROM daily GROUP BY day ORDER BY day DESC LIMIT 5"):
    print("%s  $%8.2f  %5d requests" % (day, cost, requests))
try:
    import pandas
    print(pandas.read_sql_query("SELECT model, requests, cost_usd FROM models ORDER BY cost_usd DESC", con))
except ImportError:
    print("(pandas not installed: skipped the DataFrame)")
