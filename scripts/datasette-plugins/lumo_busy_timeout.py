"""lumo_busy_timeout: a Datasette plugin that scripts/lumo-datasette loads (--plugins-dir).
Every connection Datasette opens to the lumo database waits up to BUSY_TIMEOUT_MS for a
writer that holds it (issue 18 point 8): a WAL reader waits only for an exclusive lock (a
writer in exclusive locking mode, a rollback-journal database's commit, recovery), and
Python's default of 5 s is not something to rely on. Past it, Datasette's error says
"database is locked". The same wait as the lumo command's (lumo_cli.BUSY_TIMEOUT_S)."""
from datasette import hookimpl

BUSY_TIMEOUT_MS = 10000


@hookimpl
def prepare_connection(conn):
    conn.execute("PRAGMA busy_timeout = %d" % BUSY_TIMEOUT_MS)
