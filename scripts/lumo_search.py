"""lumo_search: `lumo search QUERY`, full-text search over the stored message text and tool
calls (the FTS5 indexes search_messages and search_tools of the lumo database, sql/schema.sql).

The indexes are off until the first search turns them on (search_state.enabled), so a first
sync does not pay for them; that search indexes every stored row in one pass, and every sync
after it indexes what it added. A query of plain words matches rows holding all of them
(each word taken literally, punctuation and all: "foo-bar" is the phrase foo bar); a query
with FTS5 syntax (double quotes, OR, NOT, NEAR, a trailing *, parentheses) is passed as it
is. Results are newest first: local time, agent, session, role (user, assistant, ... or
tool:NAME for a tool call's input or result) and a snippet with the match in [brackets].
Python 3 standard library only (its sqlite3 has FTS5)."""
import re
import sqlite3

OPERATORS = re.compile(r'["*()^]|\b(AND|OR|NOT|NEAR)\b')


def fts_query(text):
    """The user's words as an FTS5 expression."""
    if OPERATORS.search(text):
        return text
    words = text.split()
    return " ".join('"%s"' % w.replace('"', '""') for w in words)


def enable(path):
    """Turns the indexes on and indexes every stored row; (messages, tool calls) indexed."""
    con = sqlite3.connect(path, timeout=30)
    try:
        with con:
            con.execute("UPDATE search_state SET enabled = 1, runs = runs + 1")
        return con.execute("SELECT messages_rowid, tools_rowid FROM search_state").fetchone()
    finally:
        con.close()


# The two indexes: (FTS table, content table, its time index, the role of a row).
SOURCES = (("search_messages", "messages", "messages_time", "coalesce(c.role, c.type)"),
           ("search_tools", "tool_uses", "tool_uses_time", "'tool:' || c.tool_name"))
# Up to this many matches, the matched rows are read and sorted by time; past it, the
# content table's time index is walked from the newest row until enough of them match
# (a common word: the matches are dense, the walk is short).
DENSE = 2000


def search(con, text, since=None, until=None, agent=None, limit=20):
    """Rows (dicts) of the newest matches; raises ValueError for a query FTS5 refuses."""
    where, params = ["1"], {"q": fts_query(text), "limit": limit}
    if since:
        where.append("date(c.timestamp, 'localtime') >= :since")
        params["since"] = since
    if until:
        where.append("date(c.timestamp, 'localtime') <= :until")
        params["until"] = until
    if agent:
        where.append("c.agent = :agent")
        params["agent"] = agent
    hits = []
    try:
        for fts, table, time_index, role in SOURCES:
            # how many match, up to DENSE + 1 (FTS5 yields matches one by one: a common word stops early)
            n = con.execute("SELECT count(*) FROM (SELECT rowid FROM %s WHERE %s MATCH :q LIMIT %d)"
                            % (fts, fts, DENSE + 1), params).fetchone()[0]
            if not n:
                continue
            cols = "c.rowid, c.timestamp, datetime(c.timestamp, 'localtime'), c.agent, c.session_id, %s" % role
            if n <= DENSE:
                sql = ("SELECT %s FROM %s f JOIN %s c ON c.rowid = f.rowid WHERE %s MATCH :q AND %s"
                       " ORDER BY c.timestamp DESC, c.rowid DESC LIMIT :limit" % (cols, fts, table, fts, " AND ".join(where)))
            else:
                sql = ("SELECT %s FROM %s c INDEXED BY %s WHERE c.rowid IN (SELECT rowid FROM %s WHERE %s MATCH :q)"
                       " AND %s ORDER BY c.timestamp DESC, c.rowid DESC LIMIT :limit"
                       % (cols, table, time_index, fts, fts, " AND ".join(where)))
            hits += [(fts,) + tuple(r) for r in con.execute(sql, params)]
    except sqlite3.OperationalError as e:
        if "fts5" in str(e) or "syntax error" in str(e) or "unterminated" in str(e):
            raise ValueError(str(e))
        raise
    hits.sort(key=lambda h: h[2] or "", reverse=True)  # stable: each index's order within one instant
    out = []
    for fts, rowid, ts, local, agent_, session, role_ in hits[:limit]:
        snip = con.execute("SELECT snippet(%s, -1, '[', ']', '...', 16) FROM %s WHERE %s MATCH :q AND rowid = :id"
                           % (fts, fts, fts), dict(params, id=rowid)).fetchone()[0]
        out.append({"timestamp": ts, "local_time": local, "agent": agent_, "session_id": session, "role": role_,
                    "snippet": " ".join((snip or "").split())})
    return out
