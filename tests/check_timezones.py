"""check_timezones: local days, weeks, months and hours come from ONE local-time
expression and follow TZ (the peers' reports T14-T16), worked by hand:
- T14: a request at 2026-01-25T04:08Z is 2026-01-24 (20:08) in Los Angeles, 2026-01-25 in
  UTC and 2026-01-25 (13:08) in Tokyo;
- T15: 2024-02-01T01:00Z in New York (UTC-5) is 2024-01-31: daily and monthly agree
  (January), not Feb daily / Jan monthly;
- DST: 2026-03-08T06:58Z and 07:03Z are 01:58 EST and 03:03 EDT: the same local day,
  hours 1 and 3 of the hourly view;
- T16: the stored rows do not depend on the zone of the sync."""
import os
import subprocess
from lumo_sql import ROOT, Checker, fresh_db, insert_usage

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "tz")
os.makedirs(OUT, exist_ok=True)
db = os.path.join(OUT, "tz.db")
rows = [("t14", "2026-01-25T04:08:00.000Z"), ("t15", "2024-02-01T01:00:00.000Z"),
        ("dst1", "2026-03-08T06:58:00.000Z"), ("dst2", "2026-03-08T07:03:00.000Z")]
fresh_db(db)
insert_usage(db, rows)


def in_zone(tz, sql):
    out = subprocess.run(["sqlite3", "-separator", " ", db, sql], capture_output=True, text=True,
                         env=dict(os.environ, TZ=tz), check=True)
    return out.stdout.split()


day_of_t14 = "SELECT day FROM usage_local WHERE key = 't14'"
c.eq("T14 Los Angeles", ["2026-01-24"], in_zone("America/Los_Angeles", day_of_t14))
c.eq("T14 UTC", ["2026-01-25"], in_zone("UTC", day_of_t14))
c.eq("T14 Tokyo", ["2026-01-25"], in_zone("Asia/Tokyo", day_of_t14))
c.eq("T14 daily view in Los Angeles", ["2026-01-24"],
     in_zone("America/Los_Angeles", "SELECT day FROM daily WHERE day LIKE '2026-01-2%'"))
c.eq("T15 daily and monthly agree in New York", ["2024-01-31", "2024-01"],
     in_zone("America/New_York", "SELECT (SELECT day FROM daily WHERE day LIKE '2024%'), (SELECT month FROM monthly WHERE month LIKE '2024%')"))
c.eq("DST: one local day, hours 1 and 3", ["2026-03-08", "2", "1", "3"],
     in_zone("America/New_York", "SELECT (SELECT day FROM daily WHERE day LIKE '2026-03%'), "
             "(SELECT requests FROM daily WHERE day LIKE '2026-03%'), "
             "(SELECT min(hour) FROM buckets_local WHERE day = '2026-03-08'), (SELECT max(hour) FROM buckets_local WHERE day = '2026-03-08')"))
c.eq("T16: stored rows are UTC instants, read the same in any zone", [t for _, t in rows],
     in_zone("Asia/Tokyo", "SELECT timestamp FROM usage ORDER BY CASE key WHEN 't14' THEN 1 WHEN 't15' THEN 2"
                           " WHEN 'dst1' THEN 3 ELSE 4 END"))
c.done()
