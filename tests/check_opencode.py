"""check_opencode: opencode_usage reads OpenCode's SQLite database (v1.2+), and a message
present both in opencode.db and as a JSON file counts once, from the database. Built by
hand here: one database message (gpt-5: 2000 in, 300 out + 200 reasoning, 5000 cache
read = 2000x1.25 + 500x10 + 5000x0.125 = 8,125 micro-USD) and the same message id as a
JSON file with other numbers, plus a JSON-only message."""
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, Checker, query

c = Checker()
home = os.path.join(ROOT, "tests", "out", "opencode")
shutil.rmtree(home, ignore_errors=True)
os.makedirs(os.path.join(home, "storage", "message", "ses_db"))
data = {"role": "assistant", "time": {"created": 1760000000000}, "modelID": "gpt-5", "providerID": "openai",
        "path": {"cwd": "/home/u/shop"}, "cost": 0.02,
        "tokens": {"input": 2000, "output": 300, "reasoning": 200, "cache": {"read": 5000, "write": 0}}}
subprocess.run(["sqlite3", os.path.join(home, "opencode.db"),
                "CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INT, time_updated INT, data TEXT);"
                "INSERT INTO message VALUES ('msg_db1', 'ses_db', 0, 0, '%s');" % json.dumps(data)], check=True)
dup = dict(data, id="msg_db1", sessionID="ses_db", tokens={"input": 1, "output": 1})
json.dump(dup, open(os.path.join(home, "storage", "message", "ses_db", "msg_db1.json"), "w"))
only = dict(data, id="msg_json1", sessionID="ses_db")
json.dump(only, open(os.path.join(home, "storage", "message", "ses_db", "msg_json1.json"), "w"))
rows = query("SELECT message_id, source, input_tokens, output_tokens, cache_read_tokens, reasoning_tokens,"
             " printf('%.6f', cost_usd) AS usd, stored_cost_usd, project FROM opencode_usage('tests/out/opencode')"
             " ORDER BY message_id")
c.eq("database message and JSON-only message, the database copy of msg_db1 wins",
     [["msg_db1", "db", 2000, 500, 5000, 200, "0.008125", 0.02, "shop"],
      ["msg_json1", "json", 2000, 500, 5000, 200, "0.008125", 0.02, "shop"]],
     [list(r.values()) for r in rows])
# lumo_sync(NULL, NULL, NULL, opencode_root): the same two messages, the database copy kept
from lumo_sql import fresh_db
db = os.path.join(home, "lumo.db")
fresh_db(db)
query("SELECT lumo_sync(NULL, NULL, NULL, 'tests/out/opencode')", db=db)
query("SELECT lumo_sync(NULL, NULL, NULL, 'tests/out/opencode')", db=db)
got = query("SELECT message_id, input_tokens, output_tokens, file FROM usage WHERE agent = 'opencode' ORDER BY 1", db=db)
c.eq("sync: one row per message, the database copy of msg_db1", [["msg_db1", 2000, 500, "opencode.db"],
     ["msg_json1", 2000, 500, "storage/message/ses_db/msg_json1.json"]], [list(r.values()) for r in got])
# Many messages (past the id index's first growth), a hundred of them also in a second
# session folder with zero input: one row per id, the first copy (ses_a, walked first)
# kept, so the input sum is 1 + 2 + ... + 300 = 45150.
many = os.path.join(ROOT, "tests", "out", "opencode_many")
shutil.rmtree(many, ignore_errors=True)
for ses in ("ses_a", "ses_b"):
    os.makedirs(os.path.join(many, "storage", "message", ses))
for i in range(300):
    m = dict(data, id="m%03d" % i, sessionID="ses_a", tokens={"input": i + 1, "output": 1})
    json.dump(m, open(os.path.join(many, "storage", "message", "ses_a", "m%03d.json" % i), "w"))
    if i < 100:
        json.dump(dict(m, sessionID="ses_b", tokens={"input": 0, "output": 1}),
                  open(os.path.join(many, "storage", "message", "ses_b", "m%03d.json" % i), "w"))
got = query("SELECT count(*) AS n, count(DISTINCT message_id) AS ids, sum(input_tokens) AS input,"
            " sum(file LIKE '%/ses_b/%') AS from_b FROM opencode_usage('tests/out/opencode_many')")
c.eq("300 ids, 100 of them twice: one row each, the first copy kept", [[300, 300, 45150, 0]],
     [list(r.values()) for r in got])
c.done()
