"""Real training calendars from public repositories, read by `crosstrain plan import` and `plan check`.

Documentation, not a test: the calendars are other people's files, so they stay outside the project
(downloaded into /work/realdata/<owner+repo>/, not committed). The tests read calendars we wrote in the
same shapes (tests/fixtures/plans, tests/fixtures/README.md says which mirrors which). This script
imports each real calendar into a fresh database, prints the sessions by kind, the skipped and
rejected events and the plan check's findings, and says when a command printed a traceback. A calendar
that is missing is listed as such.

`--pairs` checks each calendar alone (athlete "-", no history) and against real athletes' histories
(docs/real_athletes.json, PAIRS: athletes whose level fits the plan): the athletes' exports are imported
once, and each calendar is moved by whole weeks (weekdays kept) so that its first planned day is the day
after the athlete's as-of date, imported for that athlete and checked. Every finding is keyed by
(calendar, athlete, as_of, code, plan week) and compared with the hand judgements in
docs/plan_judgements.csv: counts per rule and severity, the false rate, findings not judged yet and
judged-true findings no longer raised ("lost"). `--show` prints each finding with the planned week
behind it and the athlete's four weeks before the plan (what the judgements were read against).

    .venv/bin/python bench/real_calendars.py [--data /work/realdata]
    .venv/bin/python bench/real_calendars.py --pairs [--show] [--json OUT]
    .venv/bin/python bench/real_calendars.py --counts OUT     # the counts of a --json file, no rerun
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.database.db import connect  # noqa: E402

# raxdne/training's season plan writes sessions as its author's codes (its README's legend)
RAXDNE_CODES = {
    "RB": "easy run",
    "RR": "recovery run",
    "RC": "race run",
    "FB": "strength",
    "BB": "easy ride",
    "BR": "recovery ride",
    "BI": "intervals ride",
}

# (repository @ commit of the snapshot read, path in it, folder under --data, --as-of, [plan_keywords])
CALENDARS: list[tuple[str, str, str, str, dict[str, str]]] = [
    (
        "matthewbeckler/training_plan_to_ics @444b2abe",
        "training_plan.ics",
        "matthewbeckler+training_plan_to_ics",
        "2018-05-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "marathon.ics",
        "alexteal+runplan-calendar-inator",
        "2023-10-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "plan.ics",
        "alexteal+runplan-calendar-inator",
        "2023-09-01",
        {},
    ),
    (
        "alexteal/runplan-calendar-inator @3487580a",
        "running_plan.ics",
        "alexteal+runplan-calendar-inator",
        "2023-10-30",
        {},
    ),
    ("Armaan-Mangat/race-plan @1aeddb98", "plan.ics", "Armaan-Mangat+race-plan", "2025-07-01", {}),
    ("lennee/strava-mcp @1fb85755", "training_plan.ics", "lennee+strava-mcp", "2026-02-01", {}),
    ("duarteocarmo/tandarunner @70033650", "training_plan.ics", "duarteocarmo+tandarunner", "2026-03-01", {}),
    ("bendecoste/running-scheduler @ef6a6291", "plan.ics", "bendecoste+running-scheduler", "2019-01-01", {}),
    ("raxdne/training @42cb3dee", "demo/Season2021.ics", "raxdne+training", "2021-01-01", RAXDNE_CODES),
    ("raxdne/training @42cb3dee", "demo/TriathlonPlan.ics", "raxdne+training", "2022-03-01", {}),
    ("raxdne/training @42cb3dee", "demo/SimplePlan.ics", "raxdne+training", "2021-01-01", {}),
    (
        "schmiewliski-cycling/mytrainingapp-calendar @bebe7294",
        "training_plan.ics",
        "schmiewliski-cycling+mytrainingapp-calendar",
        "2026-02-01",
        {},
    ),
    ("mmichelli/training @7f3ecd52", "plan.ics", "mmichelli+training", "2026-05-01", {}),
    ("erichmahringer/training @77bca6aa", "plan.ics", "erichmahringer+training", "2025-10-15", {}),
    # plan tables in their own columns (ingest/plans/table.py), found in evaluation 10
    ("EulateMikel/Behobia @2fb98419", "training_plan.csv", "EulateMikel+Behobia", "2026-06-22", {}),
    ("jimhigginson/fitness @38cb40b7", "training_plan.csv", "jimhigginson+fitness", "2021-03-08", {}),
    # a week grid without dates: week 1 starts on the Monday of --as-of
    (
        "bdimitrako/training-calendar @6be58f3e",
        "training_plan.csv",
        "bdimitrako+training-calendar",
        "2026-01-05",
        {},
    ),
    # plans4 (2026-12-07): calendars never looked at before, imported as a coach would
    ("ntustison/MoreThanAFeeling @6507b047", "plan.ics", "ntustison+MoreThanAFeeling", "2025-09-07", {}),
    ("lexiestar24/runcoach @2f5d48b4", "plan.ics", "lexiestar24+runcoach", "2026-06-21", {}),
    (
        "StephenDillon/stephendillon.github.io @b1bfe11f",
        "training.ics",
        "StephenDillon+stephendillon.github.io",
        "2025-12-27",
        {},
    ),
    (
        "reichenbach1891-byte/training-calendar @4e91bb9d",
        "training-plan.ics",
        "reichenbach1891-byte+training-calendar",
        "2025-07-27",
        {},
    ),
    (
        "pugu-prog/training-guy-dashboard @7c7a514a",
        "training.ics",
        "pugu-prog+training-guy-dashboard",
        "2026-08-16",
        {},
    ),
    # a dated table in miles (refused at b561b1d: "not a generic CSV"; read since plans4)
    ("parcon/Rocky @0d6dd90b", "training_plan.csv", "parcon+Rocky", "2025-10-12", {}),
    # refused by the import (plans4): a countdown week table without dates, a spreadsheet (one line
    # saying to save it as CSV since plans4), a table of weekly totals
    (
        "ntustison/MoreThanAFeeling @6507b047",
        "PfitzingerPlans/Pfitzinger_55to70_18week.csv",
        "ntustison+MoreThanAFeeling",
        "2025-09-07",
        {},
    ),
    (
        "ntustison/MoreThanAFeeling @6507b047",
        "OtherPlans/NickT_Marathon Training Plan_Elite.xlsx",
        "ntustison+MoreThanAFeeling",
        "2025-09-07",
        {},
    ),
    (
        "calinortan/training-plan-visualizer @9ecf63fe",
        "training_plan.csv",
        "calinortan+training-plan-visualizer",
        "2025-07-13",
        {},
    ),
]

SKIPPED = re.compile(r"(\d+) skipped \(([^)]*)\)")
REJECTED = re.compile(r"(\d+) rejected")


def crosstrain(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """One CLI call in its own process, with the settings and data folders inside `home`."""
    env = os.environ | {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    env.pop("CROSSTRAIN_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "crosstrain", "--db", str(home / "plan.duckdb"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def read_one(path: Path, as_of: str, keywords: dict[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if keywords:
            config = home / "config" / "crosstrain" / "config.toml"
            config.parent.mkdir(parents=True)
            body = "".join(f'{k} = "{v}"\n' for k, v in keywords.items())
            config.write_text("[plan_keywords]\n" + body, encoding="utf-8")
        imported = crosstrain(["plan", "import", str(path), "--athlete", "Ann", "--as-of", as_of], home)
        out = imported.stdout + imported.stderr
        summary = next((line for line in out.splitlines() if "planned sessions" in line), "")
        kinds = "-"
        if (home / "plan.duckdb").exists():
            with connect(home / "plan.duckdb", read_only=True) as con:
                rows = con.execute(
                    "select category, count(*) from planned_sessions group by 1 order by 2 desc, 1"
                ).fetchall()
            kinds = ", ".join(f"{category} {n}" for category, n in rows) or "none"
        skipped = SKIPPED.search(summary)
        rejected = REJECTED.search(summary)
        day_limit = sum("max_sessions_per_day" in line for line in out.splitlines())
        checked = crosstrain(["plan", "check", "--athlete", "Ann", "--as-of", as_of, "--json"], home)
        if checked.returncode == 0:
            severities = Counter(f["severity"] for f in json.loads(checked.stdout)["findings"])
            findings = ", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"
        elif kinds in ("none", "-"):
            findings = "nothing stored, nothing to check"
        else:
            findings = (checked.stdout + checked.stderr).strip().splitlines()[-1]
        tracebacks = sum("Traceback" in p.stdout + p.stderr for p in (imported, checked))
        return {
            "kinds": kinds,
            "skipped": f"{skipped.group(1)} ({skipped.group(2)})" if skipped else "0",
            "rejected": (rejected.group(1) if rejected else "?")
            + (f" ({day_limit} days over the per-day limit)" if day_limit else ""),
            "check": findings,
            "traceback": "yes" if tracebacks else "no",
        }


# Calendar (folder/file under --data) -> the real athletes (docs/real_athletes.json labels) whose level
# fits it, each at a day of their history when they trained (moved back to the weekday before the
# plan's first weekday). Chosen by weekly running km and the kinds they train (evaluation 10).
PAIRS: dict[str, list[tuple[str, str]]] = {
    "matthewbeckler+training_plan_to_ics/training_plan.ics": [
        ("loweas", "2018-05-10"),
        ("dill", "2021-03-15"),
        ("aakash", "2024-06-01"),
    ],
    "alexteal+runplan-calendar-inator/marathon.ics": [("aakash", "2023-10-29"), ("kostaskes", "2021-10-15")],
    "alexteal+runplan-calendar-inator/plan.ics": [
        ("jeremy", "2021-10-10"),
        ("thenewthinktank", "2021-05-20"),
        ("bergolito", "2023-09-03"),
    ],
    "alexteal+runplan-calendar-inator/running_plan.ics": [
        ("dill", "2021-04-20"),
        ("kostaskes", "2022-02-01"),
    ],
    "Armaan-Mangat+race-plan/plan.ics": [("carl", "2025-07-13"), ("kostaskes", "2023-05-01")],
    "lennee+strava-mcp/training_plan.ics": [("bergolito", "2024-05-15"), ("marya", "2025-04-20")],
    "duarteocarmo+tandarunner/training_plan.ics": [("bjarke", "2025-08-20"), ("aakash", "2024-09-15")],
    "bendecoste+running-scheduler/plan.ics": [("caturrell", "2022-06-10"), ("mattwasd", "2021-08-20")],
    "raxdne+training/Season2021.ics": [("darixxxon", "2025-02-01")],
    "schmiewliski-cycling+mytrainingapp-calendar/training_plan.ics": [
        ("marya", "2026-02-08"),
        ("financenik", "2024-10-20"),
    ],
    "mmichelli+training/plan.ics": [("kostaskes", "2022-04-10"), ("bjarke", "2025-09-10")],
    "erichmahringer+training/plan.ics": [("financenik", "2024-10-20"), ("marya", "2026-01-20")],
    # plan tables added in evaluation 10 (judged after the fixes: refused at 3af46b6)
    "EulateMikel+Behobia/training_plan.csv": [("kostaskes", "2023-04-20"), ("bjarke", "2025-08-20")],
    "jimhigginson+fitness/training_plan.csv": [
        ("thenewthinktank", "2021-03-01"),
        ("bergolito", "2021-05-01"),
    ],
    "bdimitrako+training-calendar/training_plan.csv": [("marya", "2025-04-20"), ("carl", "2025-06-01")],
    # plans4: levels as the calendars above of the same kind (marathon, beginner half, run + gym, triathlon)
    "ntustison+MoreThanAFeeling/plan.ics": [("loweas", "2018-05-10"), ("aakash", "2024-06-01")],
    "lexiestar24+runcoach/plan.ics": [("jeremy", "2021-10-10"), ("thenewthinktank", "2021-05-20")],
    "StephenDillon+stephendillon.github.io/training.ics": [
        ("dill", "2021-03-15"),
        ("kostaskes", "2021-10-15"),
    ],
    "reichenbach1891-byte+training-calendar/training-plan.ics": [("kostaskes", "2023-05-01")],
    "pugu-prog+training-guy-dashboard/training.ics": [("darixxxon", "2025-02-01")],
    # read since plans4's table columns (refused before): a Daniels-style marathon table in miles
    "parcon+Rocky/training_plan.csv": [("aakash", "2024-06-01"), ("kostaskes", "2021-10-15")],
}
JUDGEMENTS = ROOT / "docs" / "plan_judgements.csv"
KEY = ("calendar", "athlete", "as_of", "code", "week")
# Date-valued properties a whole-week move shifts (RRULE: its UNTIL); VTIMEZONE blocks are left alone.
DATED = re.compile(r"^(DTSTART|DTEND|DUE|EXDATE|RDATE|RECURRENCE-ID|RRULE)[;:]")
STAMP = re.compile(r"(?<![0-9])(\d{8})(?=T\d{6}|[^0-9]|$)")


def moved_calendar(text: str, days: int) -> str:
    """The calendar with every event date moved by `days` (a multiple of 7: weekdays and BYDAY rules
    stay true)."""
    out, in_zone = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("BEGIN:VTIMEZONE"):
            in_zone = True
        elif line.startswith("END:VTIMEZONE"):
            in_zone = False
        if not in_zone and DATED.match(line):
            name, _, value = line.partition(":")
            value = STAMP.sub(
                lambda m: (
                    date(int(m[1][:4]), int(m[1][4:6]), int(m[1][6:])) + timedelta(days=days)
                ).strftime("%Y%m%d"),
                value,
            )
            line = f"{name}:{value}"
        out.append(line)
    return "".join(out)


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
SLASHED_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def moved_table(text: str, days: int) -> str:
    """A plan table with every date moved by `days` (ISO, or d/m/y or m/d/y as its own dates decide);
    a week grid has none (its weeks start on the Monday of --as-of)."""

    def iso(m: re.Match[str]) -> str:
        return (date(int(m[1]), int(m[2]), int(m[3])) + timedelta(days=days)).isoformat()

    day_first = any(int(m[1]) > 12 for m in SLASHED_DAY.finditer(text))

    def slashed(m: re.Match[str]) -> str:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        moved = (date(y, b, a) if day_first else date(y, a, b)) + timedelta(days=days)
        return moved.strftime("%d/%m/%Y" if day_first else "%m/%d/%Y")

    return SLASHED_DAY.sub(slashed, ISO_DAY.sub(iso, text))


def athletes_db(data: Path, folder: Path) -> Path:
    """docs/real_athletes.json's tuned athletes imported once by the CLI (their labels as names)."""
    db = folder / "athletes.duckdb"
    manifest = json.loads((ROOT / "docs" / "real_athletes.json").read_text(encoding="utf-8"))
    home = folder / "home"
    for a in manifest["athletes"]:
        for f in a["files"]:
            got = crosstrain_db(["import", str(data / f), "--athlete", a["label"]], home, db)
            if got.returncode not in (0, 1) or "Traceback" in got.stderr:
                raise SystemExit(f"{f}: import failed: {got.stderr.strip().splitlines()[-1:]}")
    return db


def crosstrain_db(args: list[str], home: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    env.pop("CROSSTRAIN_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "crosstrain", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1200,
        check=False,
    )


def write_keywords(home: Path, keywords: dict[str, str]) -> None:
    if keywords:
        config = home / "config" / "crosstrain" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f'{k} = "{v}"\n' for k, v in keywords.items())
        config.write_text("[plan_keywords]\n" + body, encoding="utf-8")


def check_pair(
    path: Path, keywords: dict[str, str], athlete: str, as_of: date, template: Path | None, shift: int
) -> dict:
    """Import the calendar (moved by `shift` days) for `athlete` from the day after `as_of` into a copy
    of `template` (or an empty database) and run plan check: its JSON, the planned sessions, and the
    athlete's sessions of the 28 days before the plan."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        write_keywords(home, keywords)
        db = home / "plan.duckdb"
        if template is not None:
            shutil.copy(template, db)
        cal = home / path.name
        move = moved_table if path.suffix.lower() == ".csv" else moved_calendar
        cal.write_text(move(path.read_text(encoding="utf-8"), shift), encoding="utf-8")
        first = (as_of + timedelta(days=1)).isoformat()
        imported = crosstrain_db(
            ["plan", "import", str(cal), "--athlete", athlete, "--as-of", first], home, db
        )
        checked = crosstrain_db(
            ["plan", "check", "--athlete", athlete, "--as-of", as_of.isoformat(), "--json"], home, db
        )
        tracebacks = sum("Traceback" in p.stdout + p.stderr for p in (imported, checked))
        if checked.returncode != 0:
            return {"error": (checked.stdout + checked.stderr).strip()[-300:], "tracebacks": tracebacks}
        with connect(db, read_only=True) as con:
            planned = con.execute(
                """select cast(start_local as date), p.name, category, round(coalesce(moving_s, 0) / 60),
                          round(coalesce(distance_m, 0) / 1000, 1), p.intensity, p.rpe
                   from planned_sessions p join athletes a using (athlete_id) where a.name = ?
                   order by start_local""",
                [athlete],
            ).fetchall()
            done = con.execute(
                """select cast(start_local as date), x.name, category,
                          round(coalesce(moving_s, elapsed_s, 0) / 60),
                          round(coalesce(distance_m, 0) / 1000, 1)
                   from activities x join athletes a using (athlete_id)
                   where a.name = ? and not coalesce(excluded, false)
                     and cast(start_local as date) between cast(? as date) - 27 and cast(? as date)
                   order by start_local""",
                [athlete, as_of, as_of],
            ).fetchall()
        return {
            "check": json.loads(checked.stdout),
            "planned": planned,
            "done": done,
            "tracebacks": tracebacks,
        }


def first_planned(path: Path, as_of: str, keywords: dict[str, str]) -> date | None:
    """The calendar's first planned day read alone from `as_of` (where the pairs move it from)."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        write_keywords(home, keywords)
        db = home / "plan.duckdb"
        crosstrain_db(["plan", "import", str(path), "--athlete", "Ann", "--as-of", as_of], home, db)
        if not db.exists():
            return None
        with connect(db, read_only=True) as con:
            [(first,)] = con.execute("select min(cast(start_local as date)) from planned_sessions").fetchall()
        return first


def pair_findings(data: Path, only: str | None, show: bool) -> tuple[list[dict], int, dict]:
    """Every finding of every calendar alone and with its paired athletes, as rows keyed by KEY; and
    each pair's planned sessions and the athlete's 28 days before the plan."""
    rows: list[dict] = []
    context: dict[str, dict] = {}
    tracebacks = 0
    with tempfile.TemporaryDirectory() as tmp:
        template = athletes_db(data, Path(tmp))
        for _repo, inner, folder, cal_as_of, keywords in CALENDARS:
            key = f"{folder}/{Path(inner).name}"
            path = data / key
            if key not in PAIRS or not path.exists() or (only and not any(o in key for o in only.split(","))):
                continue
            first = first_planned(path, cal_as_of, keywords)
            if first is None:
                continue
            runs = [("-", first - timedelta(days=1))]
            for athlete, near in PAIRS[key]:
                day = date.fromisoformat(near)
                while (day + timedelta(days=1) - first).days % 7:
                    day -= timedelta(days=1)
                runs.append((athlete, day))
            for athlete, as_of in runs:
                shift = (as_of + timedelta(days=1) - first).days
                got = check_pair(
                    path,
                    keywords,
                    athlete if athlete != "-" else "Ann",
                    as_of,
                    None if athlete == "-" else template,
                    shift,
                )
                tracebacks += got["tracebacks"]
                if "error" in got:
                    print(f"{key} {athlete} {as_of}: {got['error']}", file=sys.stderr)
                    continue
                start = as_of + timedelta(days=1)
                week1 = start - timedelta(days=start.weekday())
                context[f"{key}|{athlete}"] = {
                    "as_of": as_of.isoformat(),
                    "planned": [[str(c) for c in r] for r in got["planned"]],
                    "done": [[str(c) for c in r] for r in got["done"]],
                }
                for f in got["check"]["findings"]:
                    day = date.fromisoformat(f["date"])
                    week = f"{(day - timedelta(days=day.weekday()) - week1).days // 7 + 1}"
                    if f["code"] == "back_to_back_hard":  # one a day, not a week: the day is in its key
                        week += f".{day.isoweekday()}"
                    rows.append(
                        {
                            "calendar": key,
                            "athlete": athlete,
                            "as_of": as_of.isoformat(),
                            "code": f["code"],
                            "week": week,
                            "severity": f["severity"],
                            "date": f["date"],
                            "message": f["message"],
                            "sessions": [f"{x['date']} {x['name']}" for x in f["sessions"]],
                        }
                    )
                if show:
                    show_pair(key, athlete, as_of, got)
    return rows, tracebacks, context


def show_pair(key: str, athlete: str, as_of: date, got: dict) -> None:
    """The findings of one calendar x athlete with the planned weeks and the 4 weeks before the plan."""
    print(f"\n======== {key} x {athlete} (as of {as_of}, plan from {as_of + timedelta(days=1)})")
    weeks: dict[date, list] = {}
    for when, *rest in got["done"]:
        weeks.setdefault(when - timedelta(days=when.weekday()), []).append(("done", when, *rest))
    for when, *rest in got["planned"]:
        weeks.setdefault(when - timedelta(days=when.weekday()), []).append(("plan", when, *rest))
    findings: dict[date, list] = {}
    for f in got["check"]["findings"]:
        day = date.fromisoformat(f["date"])
        findings.setdefault(day - timedelta(days=day.weekday()), []).append(f)
    start = as_of + timedelta(days=1)
    week1 = start - timedelta(days=start.weekday())
    for monday in sorted(set(weeks) | set(findings)):
        items = weeks.get(monday, [])
        km = sum(i[5] for i in items if i[3] == "run")
        mins = Counter()
        for i in items:
            mins[i[3]] += i[4]
        label = f"plan week {(monday - week1).days // 7 + 1}" if monday >= week1 else "history"
        print(
            f"-- {monday} ({label}): run {km:.1f} km; "
            + ", ".join(f"{c} {m:.0f} min" for c, m in mins.items())
        )
        for i in items:
            extra = f" [{i[6]} rpe {i[7]}]" if i[0] == "plan" else ""
            print(f"   {i[0]} {i[1]:%a %d} {i[2]!s:.50} ({i[3]}, {i[4]:.0f} min, {i[5]} km){extra}")
        for f in findings.get(monday, []):
            print(f"   >>> {f['date']} {f['severity'].upper()} {f['code']}: {f['message'][:260]}")


def read_judgements(path: Path, untuned: bool = False) -> dict[tuple[str, ...], dict]:
    """The judgements by KEY; `untuned`: the verdict of the finding main 3af46b6 raised at that key
    where the import fixes made it another finding (column `untuned`)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {tuple(r[k] for k in KEY): r for r in csv.DictReader(fh)}
    if untuned:
        rows = {k: {**r, "verdict": r.get("untuned") or r["verdict"]} for k, r in rows.items()}
    return rows


def print_counts(rows: list[dict], judged: dict[tuple[str, ...], dict]) -> None:
    """Findings per rule and severity, judged true/false, the false rate, unjudged and lost."""
    seen = set()
    table: Counter = Counter()
    unjudged = []
    for r in rows:
        key = tuple(r[k] for k in KEY)
        seen.add(key)
        verdict = judged.get(key, {}).get("verdict")
        table[(r["code"], r["severity"], verdict or "unjudged")] += 1
        if verdict is None:
            unjudged.append(r)
    print("\n| rule | severity | findings | true | false |")
    print("|---|---|---|---|---|")
    for code, severity in sorted({(c, s) for c, s, _ in table}):
        n = sum(v for (c, s, _), v in table.items() if (c, s) == (code, severity))
        yes, no = table[(code, severity, "true")], table[(code, severity, "false")]
        print(f"| {code} | {severity} | {n} | {yes} | {no} |")
    true = sum(v for (_, _, j), v in table.items() if j == "true")
    false = sum(v for (_, _, j), v in table.items() if j == "false")
    alone = [r for r in rows if r["athlete"] == "-"]
    paired = [r for r in rows if r["athlete"] != "-"]
    for label, group in (("alone", alone), ("with athletes", paired), ("all", rows)):
        f = sum(judged.get(tuple(r[k] for k in KEY), {}).get("verdict") == "false" for r in group)
        print(f"{label}: {len(group)} findings, {f} false ({100 * f / max(len(group), 1):.1f}%)")
    print("\n| calendar | findings alone | false | findings with athletes | false |")
    print("|---|---|---|---|---|")
    for cal in sorted({r["calendar"] for r in rows}):
        cells = []
        for group in (alone, paired):
            mine = [r for r in group if r["calendar"] == cal]
            f = sum(judged.get(tuple(r[k] for k in KEY), {}).get("verdict") == "false" for r in mine)
            cells += [str(len(mine)), str(f)]
        print(f"| {cal} | " + " | ".join(cells) + " |")
    print(f"judged: {true} true, {false} false; not judged: {len(unjudged)}")
    for r in unjudged:
        print("  not judged: " + ",".join(r[k] for k in KEY) + f" ({r['severity']}) {r['message'][:120]}")
    # only the calendars this run checked (a --only run is no loss of the others')
    checked = {r["calendar"] for r in rows}
    lost = [k for k, j in judged.items() if j["verdict"] == "true" and k not in seen and k[0] in checked]
    print(f"judged-true findings no longer raised (lost): {len(lost)}")
    for k in lost:
        print("  lost: " + ",".join(k))
    gone = [k for k, j in judged.items() if j["verdict"] == "false" and k not in seen and k[0] in checked]
    print(f"judged-false findings no longer raised: {len(gone)}")


SAMPLE_SEED = 20261207  # the hand re-check's draw (docs/plan_judgements_sample.csv)


def draw_sample(rows: list[dict], judged: dict[tuple[str, ...], dict], seed: int = SAMPLE_SEED) -> list[dict]:
    """Judged findings to re-read by hand, stratified by rule: 5 of each rule and one more of the five
    rules with the most findings (60 of 11 rules), drawn with a fixed seed in the --json file's order."""
    by_code: dict[str, list[dict]] = {}
    for r in rows:
        if tuple(r[k] for k in KEY) in judged:
            by_code.setdefault(r["code"], []).append(r)
    largest = sorted(by_code, key=lambda c: -len(by_code[c]))[:5]
    rng = random.Random(seed)
    picked: list[dict] = []
    for code in sorted(by_code):
        picked += rng.sample(by_code[code], min(5 + (code in largest), len(by_code[code])))
    return picked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/realdata"))
    parser.add_argument("--pairs", action="store_true", help="check calendars alone and with athletes")
    parser.add_argument("--show", action="store_true", help="with --pairs: each finding with its weeks")
    parser.add_argument(
        "--only", help="with --pairs: calendars whose folder/file contains this (or one of a,b,...)"
    )
    parser.add_argument("--json", type=Path, help="with --pairs: write the findings to this file")
    parser.add_argument("--judged", type=Path, default=JUDGEMENTS, help="the judgements CSV")
    parser.add_argument("--counts", type=Path, help="count the findings of a --json file against --judged")
    parser.add_argument("--untuned", action="store_true", help="with --counts: main 3af46b6's verdicts")
    parser.add_argument("--sample", type=Path, help="the hand re-check's sample of a --json file's findings")
    args = parser.parse_args()
    if args.sample:
        rows = json.loads(args.sample.read_text(encoding="utf-8"))["findings"]
        for r in draw_sample(rows, read_judgements(args.judged)):
            print(",".join(r[k] for k in KEY))
        return 0
    if args.counts:
        rows = json.loads(args.counts.read_text(encoding="utf-8"))["findings"]
        print_counts(rows, read_judgements(args.judged, args.untuned))
        return 0
    if args.pairs:
        rows, tracebacks, context = pair_findings(args.data, args.only, args.show)
        if args.json:
            args.json.write_text(json.dumps({"findings": rows, "pairs": context}, indent=1), encoding="utf-8")
        print_counts(rows, read_judgements(args.judged))
        print(f"tracebacks: {tracebacks}")
        return 1 if tracebacks else 0
    print("| repository | file | sessions by kind | skipped | rejected | plan check findings | traceback |")
    print("|---|---|---|---|---|---|---|")
    failed = 0
    for repo, inner, folder, as_of, keywords in CALENDARS:
        path = args.data / folder / Path(inner).name
        if not path.exists():
            print(f"| {repo} | {inner} | (not downloaded: {path}) | | | | |")
            continue
        got = read_one(path, as_of, keywords)
        failed += got["traceback"] == "yes"
        cells = [repo, inner, got["kinds"], got["skipped"], got["rejected"], got["check"], got["traceback"]]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
