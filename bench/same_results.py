"""Check: this checkout's code gives the same results as a baseline commit's (issue 22: results equal).

For each input, `crosstrain import` runs with both codes into fresh databases (`git archive` of the
baseline under bench/.data/baseline-<sha>, as bench/files.py); then compared: the import's output
(stdout, stderr, exit code), `activities list --json` (activity ids aside, rows as a set: the same
code numbers activities differently from one run to the next, and lists rows sharing a start by
id), `report --json`, and every table's rows hashed (activity ids replaced by the activity's key;
times of the run itself, pids and paths left out). The sample data of `crosstrain demo --no-serve`
is compared the same way.

Inputs: the 1,000-file Strava export zip and the folder of real files that bench/files.py builds
(bench/.data/strava_export_files.zip, bench/.data/real_files), the 10 shared activity files, the
shared CSV exports (../shared/formats/*.csv), when present, and tests/fixtures' activity files.

    .venv/bin/python bench/same_results.py [--baseline REF] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.files import DATA, REAL, baseline_code  # noqa: E402

WORK = DATA / "same_results"
AS_OF = "2026-12-01"
# Columns that record the run itself, not its results.
VOLATILE = {
    "imported_at", "created_at", "updated_at", "run_at", "started_at", "finished_at", "loaded_at", "at",
    "pid", "applied_at", "path", "athlete_versions.version",  # a random UUID per write
    "session_values_state.marker",  # holds those UUIDs
    "session_values_state.basis",  # a hash of the SQL texts: another commit's differs by design
}  # fmt: skip
ID_COLUMNS = ("activity_id", "twin_of", "kept_activity_id", "other_activity_id")


def crosstrain(code: Path, args: list[str]) -> str:
    """`crosstrain args` with `code`: exit code, stdout and stderr, work paths shortened."""
    env = os.environ | {"PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-m", "crosstrain", *args], capture_output=True, text=True, env=env, cwd=code
    )
    text = f"exit {done.returncode}\n{done.stdout}\n--- stderr\n{done.stderr}"
    return text.replace(str(WORK), "<work>").replace(str(DATA), "<data>").replace(str(code), "<code>")


def tables(db: Path) -> dict[str, tuple[int, int]]:
    """Table -> (rows, hash of its rows), activity ids replaced by (source, source_id, start, type)."""
    con = duckdb.connect(str(db), read_only=True)
    con.execute(
        """create temp table k as select activity_id as aid,
           concat_ws('|', source, source_id, start_at::varchar, sport_type) as key from activities"""
    )
    names = [
        r[0]
        for r in con.execute(
            """select table_name from information_schema.tables
               where table_schema = 'main' and table_type = 'BASE TABLE' order by 1"""
        ).fetchall()
    ]
    out = {}
    for t in names:
        cols = [
            (r[0], r[1])
            for r in con.execute(
                """select column_name, data_type from information_schema.columns
                   where table_schema = 'main' and table_name = ? order by ordinal_position""",
                [t],
            ).fetchall()
            if r[0] not in VOLATILE and f"{t}.{r[0]}" not in VOLATILE
        ]
        # Sums of doubles over many rows (session_months' loads) differ in their last bit from one run
        # of the same code to the next (DuckDB adds in parallel, in no fixed order): compared to 1e-6.
        sel = [
            f'(select key from k where aid = "{c}")'
            if c in ID_COLUMNS
            else f'round("{c}", 6)'
            if kind in ("DOUBLE", "FLOAT")
            else f'"{c}"'
            for c, kind in cols
        ]
        out[t] = con.execute(
            f'select count(*), coalesce(sum(hash(({", ".join(sel)},))), 0) from "{t}"'
        ).fetchone()
    con.close()
    return out


def without_ids(text: str) -> str:
    """`activities list --json` with each activity's id and twin's id left out, its rows sorted: rows
    sharing a start are listed in id order, which differs between two runs of the same code too."""
    try:
        rows = json.loads(text.split("\n", 1)[1].split("\n--- stderr")[0])
    except (json.JSONDecodeError, IndexError):
        return text
    kept = [{k: v for k, v in r.items() if k not in ("id", "twin_of")} for r in rows]
    return "\n".join(sorted(json.dumps(r, sort_keys=True) for r in kept))


def keyed_ids(db: Path, texts: list[str]) -> list[str]:
    """The import output with the ids it names (`excluded: ... ids 4, 7`) replaced by their activities'
    keys, sorted: ids number a write's new rows, and which number a row gets is no result (this
    code numbers a file batch's new sessions in start order; b561b1d in its insert plan's order)."""
    if not db.exists():
        return texts
    with duckdb.connect(str(db), read_only=True) as con:
        keys = dict(
            con.execute(
                "select activity_id, concat_ws('|', source, source_id, start_at::varchar) from activities"
            ).fetchall()
        )

    def named(m: re.Match) -> str:
        ids = [int(i) for i in re.findall(r"\d+", m.group(1))]
        return "ids " + ", ".join(sorted(keys.get(i, f"?{i}") for i in ids)) + (m.group(2) or "")

    return [re.sub(r"ids ((?:\d+, )*\d+)( \.\.\.)?", named, t) for t in texts]


def results(code: Path, name: str, athletes: list[str], make: list[list[str]]) -> dict[str, object]:
    """What the commands `make` leave in a new database (`{db}` in their arguments), with `code`."""
    db = WORK / f"{name}.duckdb".replace(" ", "_").replace(",", "")
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    made = [[a.replace("{db}", str(db)) for a in args] for args in make]
    out: dict[str, object] = {"import": keyed_ids(db, [crosstrain(code, args) for args in made])}
    for a in athletes:
        listed = crosstrain(code, ["--db", str(db), "activities", "list", "--athlete", a, "--json"])
        out[f"list {a}"] = without_ids(listed)
        out[f"report {a}"] = crosstrain(
            code, ["--db", str(db), "report", "--athlete", a, "--as-of", AS_OF, "--json"]
        )
    out["tables"] = tables(db)
    db.unlink(missing_ok=True)
    return out


def cases() -> dict[str, tuple[list[str], list[list[str]]]]:
    """Name -> (athletes to list and report, the commands that fill the database)."""
    found: dict[str, tuple[list[str], list[list[str]]]] = {}
    shared = sorted(p for p in REAL.iterdir() if p.suffix.lower() in (".fit", ".gpx", ".tcx"))
    into = ["--db", "{db}", "import", "--athlete"]
    found["10 shared files"] = (["Runner"], [[*into, "Runner", *map(str, shared)]])
    mirrors = WORK / "fixture_files"  # tests/fixtures' files (real shapes, our data): one path for both codes
    shutil.copytree(ROOT / "tests" / "fixtures" / "mirrors" / "files", mirrors, dirs_exist_ok=True)
    found["tests/fixtures files"] = (["Runner"], [[*into, "Runner", str(mirrors)]])
    csvs = sorted((REAL.parent).glob("*.csv"))
    if csvs:
        found["shared CSV exports"] = (["Runner"], [[*into, "Runner", str(c)] for c in csvs])
    if (DATA / "real_files").is_dir():
        found["folder of real files"] = (["Bench"], [[*into, "Bench", str(DATA / "real_files")]])
        # into a database holding some of the sessions already: keys stored, twins with stored rows
        again = [[*into, "Bench", *map(str, shared)], [*into, "Bench", str(DATA / "real_files")]]
        again += [[*into, "Bench", str(DATA / "real_files")], [*into, "Bench", str(mirrors)]]
        found["real files over stored ones"] = (["Bench"], again)
    if (DATA / "strava_export_files.zip").exists():
        found["1,000-file Strava zip"] = (["Zip"], [[*into, "Zip", str(DATA / "strava_export_files.zip")]])
    sample = ["Bea Balanced (synthetic)", "Tri Tom (synthetic)"]
    demo = ["--db", str(WORK / "unused.duckdb"), "demo", "--demo-db", "{db}", "--no-serve"]
    found["sample data (demo)"] = (sample, [demo])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="merge-base", help="commit to compare with")
    parser.add_argument("--only", action="append", default=[], help="only the cases whose name holds this")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    base = baseline_code(args.baseline)
    if base is None:
        sys.exit("no baseline to compare with")
    differ = 0
    for name, (athletes, make) in cases().items():
        if args.only and not any(o in name for o in args.only):
            continue
        got = {code: results(code, name, athletes, make) for code in (ROOT, base)}
        mine, theirs = got[ROOT], got[base]
        same = [k for k in mine if mine[k] == theirs[k]]
        other = [k for k in mine if mine[k] != theirs[k]]
        rows = {t: n for t, (n, _) in mine["tables"].items() if n}  # type: ignore[union-attr]
        print(f"{name}: same {', '.join(same)}; tables with rows: {rows}")
        for k in other:
            differ += 1
            print(f"  DIFFERENT: {k}\n    this code: {str(mine[k])[:600]}")
            print(f"    baseline:  {str(theirs[k])[:600]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
