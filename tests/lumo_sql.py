"""lumo_sql.py: helpers for the Python cross-checks: run SQL through the sqlite3 shell
with dist/lumo loaded and return rows as dicts. The checks compare lumo with numbers
computed independently (expected.json written by the corpus generator, or a plain
Python reading of the fixtures), never with lumo's own earlier output."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SO = os.environ.get("LUMO_SO", os.path.join(ROOT, "dist", "lumo"))


def query(sql, db=":memory:", before=None, timeout=None):
    """Rows of sql; `before` runs first on the same connection, its output dropped.
    timeout (seconds): where a hang is the failure looked for (subprocess.TimeoutExpired)."""
    pre = ["-cmd", ".output /dev/null", "-cmd", before, "-cmd", ".output stdout"] if before else []
    out = subprocess.run(["sqlite3", "-json", "-cmd", ".load " + SO] + pre + [db, sql],
                         capture_output=True, text=True, cwd=ROOT, timeout=timeout,
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


def fresh_db(path):
    """An empty lumo database at path (schema and views from a sync of no files)."""
    import os
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    os.environ["LUMO_MACHINE"] = "test"
    query("SELECT lumo_sync('tests/fixtures/no-such-root')", db=path)


def insert_usage(path, rows):
    """Usage rows (key, timestamp) of one 2-token request each, inserted as sync would."""
    values = ",".join("('%s', 'claude', 'test', '%s', '%s', 'claude-sonnet-4-5', 1, 1, 0, 0, 0, 2, 0, 0)" % (k, k, t)
                      for k, t in rows)
    subprocess.run(["sqlite3", path, "INSERT INTO usage (key, agent, machine, session_id, timestamp, model, input_tokens,"
                    " output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, rank_total,"
                    " rank_has_speed, rank_mtime_ns) VALUES " + values], check=True)


def demo_env():
    """Point every source at the shipped demo home (examples/demo-home), UTC, machine 'demo'."""
    import os
    home = os.path.join(ROOT, "examples", "demo-home")
    os.environ.update(TZ="UTC", LUMO_MACHINE="demo", CLAUDE_CONFIG_DIR=os.path.join(home, ".claude"),
                      GEMINI_CLI_HOME=home, CODEX_HOME=os.path.join(home, ".codex"),
                      LUMO_OTLP_DIR=os.path.join(home, ".lumo", "otlp"))
    return home
