"""Reads the database: the balance analytics, as SQL run by DuckDB (queries/sql/*.sql).

Every function takes an open connection (`ingest.database.db.connect(path, read_only=True)`) and the settings
the caller resolved (the parsed settings file, `{}` for the defaults: nothing here reads a file), and
returns plain data: dicts for the report JSON (with the `thresholds` in force), DataFrames for the
dashboard's charts. They leave temp tables
(`q_*`) and DuckDB's thread setting on that connection (one thread after a single-athlete call, every
core after `compare`): use one connection per thread, as DuckDB asks anyway.

Sources of the formulas and thresholds (queries/params.py says, for each threshold, what its source
found or that it is crosstrain's convention): Foster 1998 (monotony, strain), Foster et al. 2001 and,
for resistance training, Day et al. 2004 and Sweet et al. 2004 (session-RPE load), Banister 1991
(TRIMP; the fitness-fatigue model behind Coggan's performance-management chart), Gabbett 2016 and
Williams et al. 2017 (acute:chronic workload ratio, rolling and EWMA), Nielsen et al. 2014 (week-on-week
running progression), Lauersen et al. 2014 (strength training and injuries).
"""

from queries.frames import daily_metrics, overview, sessions, weekly_balance
from queries.report import compare, report, reports

__all__ = ["compare", "daily_metrics", "overview", "report", "reports", "sessions", "weekly_balance"]
