"""Reads crosstrain's warnings on real athletes' exports as a coach would (issue 18's evaluation).

For each athlete of the manifest (docs/real_athletes.json) the files under --data are imported as a new
user would, with the CLI (`crosstrain --db X import FILE --athlete NAME`), into one fresh database. Then:

1. `report --json` at several dates per athlete (spread over their active history, plus one a week
   after their longest break), each warning printed with the 28 days of activities before it (date,
   type, name, minutes, km, category, load): what a coach reads to judge it;
2. each warning code's rate over ALL active days (days with at least one activity), from one
   `queries.report.compare` pass per day (2 worker processes);
3. the judgements (docs/warning_judgements.csv: athlete,as_of,code,verdict,reason with verdict true or
   false): the false rate, the red risks that are red only because of false warnings, the warnings not
   judged yet, and the warnings judged true that are no longer raised ("lost").

    .venv/bin/python bench/real_warnings.py --data /work/realdata [--set tuned|held_out|all]
        [--no-rates] [--json OUT]

`--set`: the manifest's `athletes` are the set the warning rules were tuned on ("tuned", the default);
its `held_out` athletes were added afterwards to check the false rate on data no rule was tuned on, and
`held_out_2`, `held_out_3`, `held_out_4`, `held_out_5`, `held_out_6` and `held_out_7` after those (each
judged on the rules before the next session's changes).
With `all`, the figures are printed for each set separately.

It runs the crosstrain of the checkout it sits in (its .venv), so the same script evaluates a branch.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLI = ROOT / ".venv" / "bin" / "crosstrain"
DATES_PER_ATHLETE = 5
BREAK_DAYS = 14  # a gap this long counts as a break: one more report date a week after the return
WINDOW = 28


def select_athletes(manifest: dict, which: str) -> list[dict]:
    """The manifest's athletes of one set ("tuned": `athletes`, "held_out": `held_out`, "held_out_2":
    `held_out_2`, "held_out_3": `held_out_3`, "held_out_4": `held_out_4`, "held_out_5": `held_out_5`,
    "held_out_6": `held_out_6`, "held_out_7": `held_out_7`, or "all"), each marked with its set."""
    sets = {
        "tuned": manifest["athletes"],
        "held_out": manifest.get("held_out", []),
        "held_out_2": manifest.get("held_out_2", []),
        "held_out_3": manifest.get("held_out_3", []),
        "held_out_4": manifest.get("held_out_4", []),
        "held_out_5": manifest.get("held_out_5", []),
        "held_out_6": manifest.get("held_out_6", []),
        "held_out_7": manifest.get("held_out_7", []),
    }
    return [{**a, "set": name} for name, group in sets.items() if which in (name, "all") for a in group]


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), "--db", str(db), *args], capture_output=True, text=True)


def import_all(db: Path, data: Path, athletes: list[dict]) -> None:
    for a in athletes:
        for f in a["files"]:
            p = run_cli(db, "import", str(data / f), "--athlete", a["label"])
            lines = [x for x in (p.stdout + p.stderr).splitlines() if "rows:" in x or "unknown" in x]
            print(f"import {a['label']:16} {f}: {' '.join(lines)[-160:]}")
            if p.returncode not in (0, 1):
                print(p.stderr[-500:])


def active_days(db: Path) -> dict[str, list[date]]:
    """Each athlete's days with at least one counted activity (local date), or a run the import left out
    as slower than a walk or faster than the 3000 m record (ingest/database/plausibility.py SLOW_RUN_SQL,
    FAST_RUN_SQL): those rules came after the judgements of six and seven sets, and the report dates must
    not move under them (a moved date is a new date, its warnings unjudged, not a measurement of a rule)."""
    from ingest.database import db as store

    with store.connect(db, read_only=True) as con:
        rows = con.execute(
            """select a.name, s.start_local::date as day
               from activities s join athletes a using (athlete_id)
               where s.twin_of is null and (not s.excluded or s.excluded_reason like 'run at % km/h%')
               group by all order by 1, 2"""
        ).fetchall()
    days: dict[str, list[date]] = defaultdict(list)
    for name, day in rows:
        days[name].append(day)
    return days


def report_dates(days: list[date], n: int) -> list[tuple[date, str]]:
    """`n` active days at even quantiles of the history (skipping the first 6 weeks, whose chronic
    windows are empty) and the day a week after the return from the longest break."""
    start = days[0] + timedelta(days=42)
    usable = [d for d in days if d >= start] or days
    picked: dict[date, str] = {}
    for i in range(n):
        picked.setdefault(usable[round((i + 0.5) * (len(usable) - 1) / n)], "spread")
    gaps = [(b - a, b) for a, b in zip(days[:-1], days[1:], strict=True) if (b - a).days >= BREAK_DAYS]
    if gaps:
        _, back = max(gaps)
        after = [d for d in days if back <= d <= back + timedelta(days=7)][-1]
        picked[after] = f"after a {max(gaps)[0].days}-day break"
    return sorted(picked.items())


def context(db: Path, athlete: str, day: date) -> list[dict]:
    p = run_cli(
        db,
        "activities",
        "list",
        "--athlete",
        athlete,
        "--from",
        (day - timedelta(days=WINDOW - 1)).isoformat(),
        "--to",
        day.isoformat(),
        "--json",
    )
    return json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else []


def fmt_activity(a: dict) -> str:
    km = a.get("distance_km") or 0
    hr = a.get("avg_hr")
    return (
        f"      {a['start_local'][:10]} {a['type'][:22]:22} {str(a.get('name') or '')[:30]:30} "
        f"{a['minutes'] or 0:6.1f} min {km:6.2f} km {a['category']:8} load {a.get('load') or 0:6.1f}"
        f"{'' if hr is None else f' hr {hr:.0f}'}{' EXCL' if a.get('excluded') else ''}"
        f"{' twin' if a.get('twin_of') else ''}"
    )


def read_judgements(path: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    if not path.exists():
        return {}
    with path.open(newline="") as f:
        return {
            (r["athlete"], r["as_of"], r["code"]): (r["verdict"].strip().lower(), r["reason"])
            for r in csv.DictReader(f)
        }


def is_red(warnings: list[dict], red_warns: int) -> bool:
    return (
        any(w["severity"] == "high" for w in warnings)
        or sum(w["severity"] == "warn" for w in warnings) >= red_warns
    )


def _rates_chunk(args: tuple[str, list[str]]) -> list[tuple[str, str, list[str]]]:
    db, days = args
    from ingest.database import db as store

    report = importlib.import_module("queries.report")
    out = []
    with store.connect(db, read_only=True) as con:
        for i, d in enumerate(days):
            if i % 200 == 0:
                print(f"  rates: {i} of {len(days)} days ({d})", file=sys.stderr, flush=True)
            res = report.compare(con, date.fromisoformat(d), {})
            for a in res["athletes"]:
                out.append((a["athlete"], d, [w if isinstance(w, str) else w["code"] for w in a["warnings"]]))
    return out


def rates(db: Path, days: dict[str, list[date]], workers: int, step: int = 1) -> tuple[Counter, int, dict]:
    """Per code: on how many athlete-days (days with an activity) it is raised; per athlete too.
    `step` > 1 reads every step-th calendar day that has any activity (a systematic sample, said so)."""
    all_days = sorted({d.isoformat() for ds in days.values() for d in ds})[::step]
    keep = set(all_days)
    wanted = {(name, d.isoformat()) for name, ds in days.items() for d in ds if d.isoformat() in keep}
    chunks = [all_days[i::workers] for i in range(workers)]
    counts: Counter = Counter()
    per_athlete: dict[str, Counter] = defaultdict(Counter)
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(_rates_chunk, [(str(db), c) for c in chunks]):
            for athlete, d, codes in part:
                if (athlete, d) in wanted:
                    counts.update(codes)
                    per_athlete[athlete].update(codes)
    return counts, len(wanted), per_athlete


def print_figures(
    which: str,
    raised: list[dict],
    athletes: int,
    reports: int,
    reds: int,
    reds_false_only: int,
    lost: list[tuple[str, str, str]],
    judged: dict[tuple[str, str, str], tuple[str, str]],
) -> dict:
    """Print one set's figures (false rate, reds from false warnings, per code, lost) and return them."""
    real = [r for r in raised if r["code"] != "REPORT_FAILED"]
    false = [r for r in raised if r["verdict"] == "false"]
    unjudged = [r for r in raised if r["verdict"] == "UNJUDGED"]
    by_code: dict[str, Counter] = defaultdict(Counter)
    for r in raised:
        by_code[r["code"]][r["verdict"]] += 1

    print(f"\n## Figures: {which} athletes")
    print(
        f"athletes {athletes}, reports {reports}, warnings {len(real)}, "
        f"failed reports {len(raised) - len(real)}"
    )
    judged_n = len(raised) - len(unjudged)
    print(
        f"false {len(false)} of {judged_n} judged ({len(false) / max(judged_n, 1):.1%}); "
        f"unjudged {len(unjudged)}"
    )
    print(f"red risks {reds}, red only from false warnings {reds_false_only}")
    print(f"warnings judged true and no longer raised (lost): {len(lost)}")
    for k in lost:
        print(f"   LOST {k[0]} {k[1]} {k[2]}: {judged[k][1]}")
    print("\nper code at the report dates: raised / false / unjudged")
    for code, c in sorted(by_code.items()):
        print(f"   {code:22} {sum(c.values()):4} {c['false']:4} {c['UNJUDGED']:4}")
    for r in false:
        print(f"   FALSE {r['athlete']} {r['as_of']} {r['code']}: {r.get('reason', '')}")
    for r in unjudged:
        print(f"   UNJUDGED {r['athlete']},{r['as_of']},{r['code']}")
    return {
        "athletes": athletes,
        "reports": reports,
        "warnings": len(real),
        "false": len(false),
        "judged": judged_n,
        "unjudged": len(unjudged),
        "reds": reds,
        "reds_false_only": reds_false_only,
        "lost": [list(k) for k in lost],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/realdata"))
    ap.add_argument("--manifest", type=Path, default=ROOT / "docs" / "real_athletes.json")
    ap.add_argument("--judgements", type=Path, default=ROOT / "docs" / "warning_judgements.csv")
    ap.add_argument("--db", type=Path, help="database to create (default: a temporary one)")
    ap.add_argument("--dates", type=int, default=DATES_PER_ATHLETE, help="spread dates per athlete")
    ap.add_argument("--no-rates", action="store_true", help="skip the all-active-days rates")
    ap.add_argument("--no-context", action="store_true", help="print warnings without the 28 days")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-import", action="store_true", help="read the --db as it is (imported before)")
    ap.add_argument("--rate-step", type=int, default=1, help="rates on every N-th active day only (a sample)")
    ap.add_argument("--no-reports", action="store_true", help="only the rates")
    ap.add_argument("--json", type=Path, help="write the warnings and figures here")
    ap.add_argument(
        "--set",
        choices=[
            "tuned",
            "held_out",
            "held_out_2",
            "held_out_3",
            "held_out_4",
            "held_out_5",
            "held_out_6",
            "held_out_7",
            "all",
        ],
        default="tuned",
        help="the athletes the rules were tuned on, a held-out set, or all (figures per set)",
    )
    args = ap.parse_args()

    athletes = select_athletes(json.loads(args.manifest.read_text()), args.set)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "real.duckdb"
    t0 = time.monotonic()
    if not (args.no_import and args.db and db.exists()):
        if db.exists():
            db.unlink()
        import_all(db, args.data, athletes)
    days = active_days(db)
    judged = read_judgements(args.judgements)

    raised: list[dict] = []
    reports: Counter = Counter()
    reds: Counter = Counter()
    reds_false_only: Counter = Counter()
    for a in [] if args.no_reports else athletes:
        name = a["label"]
        if name not in days:
            print(f"\n### {name}: nothing imported")
            continue
        ds = days[name]
        print(f"\n### {name} ({a['kind']}): {len(ds)} active days {ds[0]} .. {ds[-1]}")
        for day, why in report_dates(ds, args.dates):
            p = run_cli(db, "report", "--athlete", name, "--as-of", day.isoformat(), "--json")
            if p.returncode != 0:
                print(f"  {day} ({why}): report failed: {p.stderr.strip()[-300:]}")
                raised.append(
                    {
                        "set": a["set"],
                        "athlete": name,
                        "as_of": day.isoformat(),
                        "code": "REPORT_FAILED",
                        "severity": "high",
                        "message": p.stderr.strip()[-300:],
                        "verdict": "false",
                    }
                )
                continue
            rep = json.loads(p.stdout)
            reports[a["set"]] += 1
            s = rep["summary"]
            ws = rep["warnings"]
            red_warns = rep["thresholds"].get("risk_red_warns", 2)
            print(
                f"\n  == {name} as of {day} ({why}): risk {s['risk']}; 28 d run {s['minutes']['run']} min "
                f"{s['run_km']} km, strength {s['minutes']['strength']} min, support share "
                f"{s['support_share']}, ACWR {s['acwr']}, monotony {s['monotony']}"
            )
            verdicts = []
            for w in ws:
                key = (name, day.isoformat(), w["code"])
                verdict, reason = judged.get(key, ("UNJUDGED", ""))
                verdicts.append(verdict)
                raised.append(
                    {
                        "set": a["set"],
                        "athlete": name,
                        "as_of": day.isoformat(),
                        "code": w["code"],
                        "severity": w["severity"],
                        "message": w["message"],
                        "verdict": verdict,
                        "reason": reason,
                        "risk": s["risk"],
                    }
                )
                print(f"   [{w['severity']}] {w['code']}: {w['message']}")
                print(f"       judged: {verdict}{' - ' + reason if reason else ''}")
            if s["risk"] == "red":
                reds[a["set"]] += 1
                kept = [w for w, v in zip(ws, verdicts, strict=True) if v != "false"]
                if not is_red(kept, red_warns):
                    reds_false_only[a["set"]] += 1
                    print("   RED ONLY FROM FALSE WARNINGS")
            if ws and not args.no_context:
                print("    28 days before:")
                for act in context(db, name, day):
                    print(fmt_activity(act))

    now = {(r["athlete"], r["as_of"], r["code"]) for r in raised}
    lost = sorted(
        k
        for k, (v, _) in judged.items()
        if v == "true" and k not in now and k[0] in days and not args.no_reports
    )
    set_of = {a["label"]: a["set"] for a in athletes}
    figures = {}
    for which in dict.fromkeys(a["set"] for a in athletes):
        figures[which] = print_figures(
            which,
            [r for r in raised if r["set"] == which],
            sum(set_of.get(name) == which for name in days),
            reports[which],
            reds[which],
            reds_false_only[which],
            [k for k in lost if set_of.get(k[0]) == which],
            judged,
        )
    if not args.no_rates:
        t = time.monotonic()
        counts, n_days, per_athlete = rates(db, days, args.workers, args.rate_step)
        which = "all" if args.rate_step == 1 else f"a 1-in-{args.rate_step} sample of the"
        print(
            f"\nrate of each code over {which} {n_days} active athlete-days ({time.monotonic() - t:.0f} s):"
        )
        for code, n in counts.most_common():
            print(f"   {code:22} {n:5} {n / n_days:6.1%}")
        figures["rates"] = {
            "active_days": n_days,
            "codes": dict(counts),
            "by_athlete": {a: dict(c) for a, c in per_athlete.items()},
        }
    print(f"\ntotal {time.monotonic() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "warnings": raised}, indent=1, default=str))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    sys.exit(main())
