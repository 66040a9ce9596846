"""The bundled synthetic sample data set and `load_sample`."""

from __future__ import annotations

from pathlib import Path

from import_helpers import one, rows

from ingest.sample.synthetic import END, generate, load_sample, sample_path


def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    assert generate(tmp_path / "s.csv").read_bytes() == sample_path().read_bytes()


def test_load_sample_imports_four_labelled_athletes(db_path: Path) -> None:
    result = load_sample(db_path, {})
    assert result.error is None and not result.rejects and result.counts.new == result.rows > 1000
    names = [r[0] for r in rows(db_path, "select name from athletes order by name")]
    assert len(names) == 4 and all(n.endswith("(synthetic)") for n in names)
    assert one(db_path, "select max(start_local)::date from activities") == END

    def cats(who: str) -> dict[str, int]:
        sql = """select category, count(*) from activities join athletes a using (athlete_id)
                 where a.name like ? group by all"""
        return dict(rows(db_path, sql, [who + "%"]))

    assert set(cats("Mona")) == {"run"} and cats("Mona")["run"] > 300
    bea = cats("Bea")
    assert bea["strength"] + bea["pilates"] >= 2 * 50 and bea["mobility"] > 20
    assert set(cats("Tri Tom")) == {"run", "cross", "strength", "mobility"}
    variety = one(
        db_path,
        """select count(distinct regexp_extract(lower(t.name), 'interval|hill|sprint|long run'))
           from activities t join athletes a using (athlete_id)
           where a.name like 'Bea%' and category = 'run'""",
    )
    assert variety >= 5  # the empty match plus four kinds
    # Jack's last two weeks against the two before: more than 30% more running
    recent, before = rows(
        db_path,
        """select sum(distance_m) filter (where start_local::date > ?::date - 14),
                  sum(distance_m) filter (where start_local::date <= ?::date - 14)
           from activities t join athletes a using (athlete_id)
           where a.name like 'Jack%' and start_local::date > ?::date - 28""",
        [END, END, END],
    )[0]
    assert recent > 1.3 * before
    # every load input path is present: RPE, heart rate only, and neither
    assert one(db_path, "select count(*) from activities where rpe is not null") > 100
    assert one(db_path, "select count(*) from activities where rpe is null and avg_hr is not null") > 100
    assert one(db_path, "select count(*) from activities where rpe is null and avg_hr is null") > 100
    assert one(db_path, "select count(*) from activities where not has_time") == 3

    again = load_sample(db_path, {})
    assert again.counts.new == 0 and again.counts.duplicate == again.rows
