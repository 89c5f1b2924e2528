"""lumo_sql.py: helpers for the Python cross-checks: run SQL through the sqlite3 shell
with dist/lumo loaded and return rows as dicts. The checks compare lumo with numbers
computed independently (expected.json written by the corpus generator, or a plain
Python reading of the fixtures), never with lumo's own earlier output."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SO = os.environ.get("LUMO_SO", os.path.join(ROOT, "dist", "lumo"))


def query(sql, db=":memory:", before=None):
    """Rows of sql; `before` runs first on the same connection, its output dropped."""
    pre = ["-cmd", ".output /dev/null", "-cmd", before, "-cmd", ".output stdout"] if before else []
    out = subprocess.run(["sqlite3", "-json", "-cmd", ".load " + SO] + pre + [db, sql],
                         capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, TZ="UTC"))
    if out.returncode != 0:
        raise SystemExit("sqlite3 failed: " + out.stderr)
    return json.loads(out.stdout or "[]")


class Checker:
    def __init__(self):
        self.bad = 0
        self.checked = 0

    def eq(self, what, want, got):
        self.checked += 1
        if want != got:
            self.bad += 1
            print("MISMATCH %s: expected %r, lumo %r" % (what, want, got))

    def done(self):
        print("%d values checked, %d mismatches" % (self.checked, self.bad))
        raise SystemExit(1 if self.bad or not self.checked else 0)
