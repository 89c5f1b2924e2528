"""lumo_doctor.py: `lumo doctor` (the extension, the database, the agent homes, the time
zone) and the retention warning `lumo doctor` and `lumo sync` give: which transcripts
Claude Code deletes next (cleanupPeriodDays) and whether the lumo database holds them.
Split from lumo_cli.py, whose helpers it uses; loaded only by those two commands."""
import os
import sys

from lumo_cli import (Fail, agent_homes, check_homes, db_path, extension, has_transcripts, open_ro, opt, today,
                      warn, zone_name)


RETENTION_LOOKAHEAD_DAYS = 7  # "what goes next": the files Claude Code deletes within this many days


def retention(roots, con):
    """Claude Code deletes the transcripts it last wrote more than cleanupPeriodDays ago
    (settings.json in its config directory, default 30), when it starts. For each Claude
    root: (ok, text) saying what it deletes in the next RETENTION_LOOKAHEAD_DAYS days (the
    days and files) and whether each file is in the lumo database as it is on disk now
    (lumo_files holds its path with the same size and mtime). ok is False when some are not."""
    import time
    out = []
    for root in roots:
        if not has_transcripts("claude", root):
            continue
        settings = os.path.join(root, "settings.json")
        days, where = 30, "the default; %s does not set it" % settings
        if os.path.isfile(settings):
            import json
            try:
                v = json.load(open(settings, encoding="utf-8")).get("cleanupPeriodDays")
            except (OSError, ValueError, AttributeError) as e:
                out.append((False, "Claude Code's %s cannot be read (%s): assuming cleanupPeriodDays 30"
                            % (settings, str(e).splitlines()[0])))
                v = None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                days, where = v, settings
            elif v is not None:
                out.append((False, "cleanupPeriodDays in %s is %r, not a number of days: assuming 30" % (settings, v)))
        now = time.time()
        horizon = now - (days - RETENTION_LOOKAHEAD_DAYS) * 86400
        going = []
        # os.scandir, not os.walk: the entry's type comes with the listing (os.walk also
        # lstats every directory); a stat per transcript only (10 GB home, 53,000 files:
        # `lumo sync` 0.52-0.54 -> 0.45-0.53 s; the rest is two stats a file, the sync's and this)
        dirs = [os.path.join(root, "projects")]
        while dirs:
            try:
                entries = list(os.scandir(dirs.pop()))
            except OSError:
                continue
            for e in entries:
                try:
                    if e.is_dir(follow_symlinks=False):
                        dirs.append(e.path)
                    # as os.walk: a link to a directory is not a file
                    elif e.name.endswith((".jsonl", ".jsonl.gz")) and not e.is_dir():
                        st = e.stat()
                        if st.st_mtime < horizon:
                            going.append((e.path, st))
                except OSError:
                    continue
        head = "Claude Code keeps transcripts %s days (cleanupPeriodDays, %s)" % (format(days, "g"), where)
        if not going:
            out.append((True, "%s: none of %s is due in the next %d days" % (head, root, RETENTION_LOOKAHEAD_DAYS)))
            continue
        local = sorted({time.strftime("%Y-%m-%d", time.localtime(st.st_mtime)) for _, st in going})
        missing = len(going)
        if con is not None:
            try:
                have = {}
                for path, size, mtime in con.execute("SELECT path, size, mtime_ns FROM lumo_files"
                                                     " WHERE path >= ? AND path < ?", (root + "/", root + "0")):
                    have.setdefault(path, set()).add((size, mtime))
                missing = sum(1 for p, st in going if (st.st_size, st.st_mtime_ns) not in have.get(p, ()))
            except Exception:
                pass
        text = ("%s: in the next %d days it deletes %d file(s) of %s, last written on %d day(s), %s"
                % (head, RETENTION_LOOKAHEAD_DAYS, len(going), root, len(local),
                   local[0] if len(local) == 1 else "%s to %s" % (local[0], local[-1])))
        if missing:
            out.append((False, text + "; %d of them not (as they are now) in the lumo database: `lumo sync` copies them"
                        % missing))
        else:
            out.append((True, text + "; all of them are in the lumo database"))
    return out


def claude_roots_for_retention(args):
    explicit = (opt(args, "claude") or []) + (opt(args, "root") or [])
    if explicit:
        return [os.path.abspath(os.path.expanduser(p)) for p in explicit]
    return [os.path.abspath(p) for p in agent_homes()["claude"][0]]
def cmd_doctor(args):
    bad = 0

    def line(ok, what):
        nonlocal bad
        bad += 0 if ok else 1
        print("%s %s" % ("ok  " if ok else "FAIL", what))
    line(True, "time zone %s (today is %s there)" % (zone_name(), today()))
    ext = extension()
    import sqlite3
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        try:
            c = sqlite3.connect(":memory:")
            c.enable_load_extension(True)
            c.load_extension(ext)
            line(True, "extension %s loads (lumo %s)" % (ext, c.execute("SELECT lumo_version()").fetchone()[0]))
        except sqlite3.Error as e:
            line(False, "extension %s does not load: %s (make builds it; $LUMO_EXTENSION names another)" % (ext, e))
    else:  # this python cannot load extensions: `lumo sync` goes through the sqlite3 shell
        import subprocess
        try:
            r = subprocess.run(["sqlite3", "-cmd", ".load " + ext, ":memory:", "SELECT lumo_version()"],
                               capture_output=True, text=True)
            line(r.returncode == 0, "extension %s %s through the sqlite3 shell (this python, %s, cannot load"
                 " extensions)" % (ext, "loads (lumo %s)" % r.stdout.strip() if r.returncode == 0 else
                                   "does not load: " + r.stderr.strip(), sys.executable))
        except OSError:
            line(False, "this python (%s) cannot load SQLite extensions and there is no sqlite3 shell: run lumo with"
                        " a python that can (Debian's /usr/bin/python3)" % sys.executable)
    path, src = db_path(args)
    if os.path.isfile(path):
        try:
            con = open_ro(args)
            v = con.execute("SELECT max(version) FROM lumo_schema_version").fetchone()[0]
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
            line(ok == "ok", "database %s (%s): schema version %s, quick_check %s" % (path, src, v, ok))
            last = con.execute("SELECT finished_at, files_seen, skipped_lines FROM lumo_sync_runs"
                               " ORDER BY finished_at DESC LIMIT 1").fetchone()
            print("     last sync %s" % ("%s: %s files, %s skipped lines" % last if last else "never"))
        except Fail as e:
            line(False, str(e))
    else:
        print("--   no database yet at %s (%s): `lumo sync` creates it" % (path, src))
    homes = agent_homes()
    _, problems = check_homes(homes)
    for agent, (paths, source, is_set) in homes.items():
        found = [p for p in paths if os.path.exists(p) and has_transcripts(agent, p)]
        mine = [p for p in problems if p.startswith(agent + " ")]
        if mine:
            for p in mine:
                line(False, p)
        else:
            print("%s %-8s %s (%s)" % ("ok  " if found else "--  ", agent, ", ".join(found) if found else
                                          "none at " + ", ".join(paths), source))
    try:
        con = open_ro(args) if os.path.isfile(path) else None
    except Fail:
        con = None
    for ok, text in retention([os.path.abspath(p) for p in homes["claude"][0]], con):
        print("%s %s" % ("ok  " if ok else "warn", text))  # a warning: `lumo sync` fixes it
    return 1 if bad else 0
