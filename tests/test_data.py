"""The data package: frictionless validity, the check command, and who said what."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from frictionless import validate

from kztrade import DATA_DIR
from kztrade.charts import cite
from kztrade.cli import main
from kztrade.figures import load_dataset

from .conftest import ROOT, edit_cell


def run_check(capsys, data_dir) -> tuple[int, list[str]]:
    """Exit code and stdout lines of `python -m kztrade check --data DIR`, in process."""
    code = main(["check", "--data", str(data_dir)])
    return code, capsys.readouterr().out.splitlines()


def test_frictionless_validates_the_package():
    report = validate(str(DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in report.tasks} == {"interview", "interview-text", "turns", "sources", "figures", "events", "derivations"}


def test_frictionless_cli_validates_the_package():
    proc = subprocess.run([sys.executable, "-m", "frictionless", "validate", "data/datapackage.json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "INVALID" not in proc.stdout


def test_every_field_is_described_in_the_codebook():
    pkg = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    undocumented = [f"{r['name']}.{f['name']}" for r in pkg["resources"] if r["type"] == "table" for f in r["schema"]["fields"] if not f.get("description")]
    assert undocumented == []
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"


def test_check_prints_a_clean_summary_on_the_real_data():
    proc = subprocess.run([sys.executable, "-m", "kztrade", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "3 headline" in lines[0] and "interview text matches its turns" in lines[0]


def test_check_on_a_bad_folder_exits_1_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kztrade", "check", "--data", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout.strip() == f"datapackage.json: not found in {tmp_path}; point --data at the folder that holds it"
    assert "Traceback" not in proc.stdout + proc.stderr


# Each mutation of a copy of data/ and exactly the problem lines it must produce.
MUTATIONS = {
    "value disagrees with its span": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")],
        ["figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field value: 17.3 does not match its span '$17.2 billion', which prints 17.2"],
    ),
    "percent value disagrees with its span": (
        [("figures", "containers_ru_cn_via_kz_growth", "value", "36")],
        ["figures.csv, row 3 (containers_ru_cn_via_kz_growth), field corroborated_by: commission_ru_cn_growth_9m2024 says 63 pct, not 36 pct",
         "figures.csv, row 3 (containers_ru_cn_via_kz_growth), field value: 36 does not match its span '63%', which prints 63"],
    ),
    "span deleted from its turn": (
        [("turns", "q3", "text", None)],  # None: replace the span inside the real text, below
        ["turns.csv, row 8 (q3), field text: differs from interview.txt (lines 9–9) at character 91; copy the text verbatim",
         "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field span: '$17.2 billion' does not occur verbatim in turn q3"],
    ),
    "figure points at a missing turn": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "turn_id", "q7")],
        ["figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field turn_id: 'q7' does not exist in turns.csv"],
    ),
    "figure points at a missing source": (
        [("figures", "kz_turnover_2021", "source_id", "nowhere")],
        ["figures.csv, row 5 (kz_turnover_2021), field source_id: 'nowhere' does not exist in sources.csv"],
    ),
    "http address": (
        [("sources", "tass_1702995", "url", "http://tass.com/politics/1702995")],
        ["sources.csv, row 4 (tass_1702995), field url: 'http://tass.com/politics/1702995' is not an https:// address"],
    ),
    "date that is no real day": (
        [("figures", "ru_turnover_2022", "stated_on", "2023-02-30")],
        ["figures.csv, row 7 (ru_turnover_2022), field stated_on: '2023-02-30' is not a real date"],
    ),
    "date in the wrong shape": (
        [("events", "brics_2024_10_16_uali", "date", "16 Oct 2024")],
        ["events.csv, row 5 (brics_2024_10_16_uali), field date: '16 Oct 2024' is not a date written YYYY, YYYY-MM or YYYY-MM-DD"],
    ),
    "period date that does not parse": (
        [("figures", "kz_turnover_2022", "period_end", "2022-12-32")],
        ["figures.csv, row 6 (kz_turnover_2022), field period_end: '2022-12-32' is not a valid date"],
    ),
    "duplicate id": (
        [("sources", "tass_1680067", "source_id", "tass_1702995")],
        ["sources.csv, row 6 (tass_1702995), field source_id: 'tass_1702995' is used again (first used in row 4): ids must be unique",
         "figures.csv, row 10 (ru_turnover_2023_jan_jul), field source_id: 'tass_1680067' does not exist in sources.csv"],
    ),
    "number field that is not a number": (
        [("figures", "ru_turnover_2023", "value", "over 28")],
        ["figures.csv, row 15 (ru_turnover_2023), field value: 'over 28' is not a valid number"],
    ),
    "context figure without a source": (
        [("figures", "ns_turnover_2023", "source_id", "")],
        ["figures.csv, row 14 (ns_turnover_2023), field source_id: a context figure must name its source"],
    ),
    "context figure without a side": (
        [("figures", "ns_turnover_2023", "side", "")],
        ["figures.csv, row 14 (ns_turnover_2023), field side: is required but empty"],
    ),
    "headline attributed to Spanov": (
        [("figures", "containers_cn_eu_cn_growth", "stated_by", "Magbat Spanov")],
        ["figures.csv, row 4 (containers_cn_eu_cn_growth), field stated_by: 'Magbat Spanov' must start with 'News.Az': the headline figures are stated in the interviewer's questions"],
    ),
    "headline moved to Spanov's answer": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "turn_id", "a3")],
        ["figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field span: '$17.2 billion' does not occur verbatim in turn a3",
         "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field turn_id: turn a3 is not a question (Magbat Spanov, answer); headline figures are the interviewer's"],
    ),
    "question given to Spanov": (
        [("turns", "q3", "speaker", "Magbat Spanov")],
        ["turns.csv, row 8 (q3), field speaker: Magbat Spanov only speaks in answers"],
    ),
    "corroboration that disagrees": (
        [("figures", "containers_cn_eu_cn_growth", "corroborated_by", "commission_ru_cn_growth_9m2024")],
        ["figures.csv, row 4 (containers_cn_eu_cn_growth), field corroborated_by: commission_ru_cn_growth_9m2024 says 63 pct, not 65 pct"],
    ),
    "interview claim whose words are not in its turn": (
        [("events", "brics_2024_08_claim", "span", "July 2024")],
        ["events.csv, row 4 (brics_2024_08_claim), field span: 'July 2024' does not occur verbatim in turn a1"],
    ),
    "period that ends before it starts": (
        [("figures", "kz_turnover_2021", "period_end", "2020-12-31")],
        ["figures.csv, row 5 (kz_turnover_2021), field period_end: 2020-12-31 is before period_start 2021-01-01"],
    ),
    "derivation with a base in another unit": (
        [("derivations", "turnover_change_vs_kz_base", "base_id", "ru_turnover_2022_growth")],
        ["derivations.csv, row 2 (turnover_change_vs_kz_base), field base_id: base unit 'pct' differs from 'usd_bn'"],
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_check_reports_exactly_the_problem(name, data_copy, capsys):
    edits, expected = MUTATIONS[name]
    for table, key, field, value in edits:
        if value is None:  # cut the span out of the verbatim text
            q3 = next(t for t in load_dataset(DATA_DIR).turns if t.turn_id == key)
            value = q3.text.replace("$17.2 billion", "$17 billion")
        edit_cell(data_copy, table, key, field, value)
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == expected


def test_check_reports_every_problem_at_once(data_copy, capsys):
    for name in ("value disagrees with its span", "http address", "context figure without a source"):
        for table, key, field, value in MUTATIONS[name][0]:
            edit_cell(data_copy, table, key, field, value)
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert len(lines) == 3
    assert [line.split(",")[0] for line in lines] == ["sources.csv", "figures.csv", "figures.csv"]


def test_unreadable_descriptor_is_one_problem(data_copy, capsys):
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("datapackage.json: cannot be read as JSON")


def test_turns_rebuild_the_interview_byte_for_byte():
    ds = load_dataset(DATA_DIR)
    rebuilt = "\n".join(t.text for t in ds.turns).encode("utf-8")
    assert rebuilt == (DATA_DIR / "interview.txt").read_bytes()


def test_data_copy_is_the_research_copy_byte_for_byte(reference):
    assert (DATA_DIR / "interview.txt").read_bytes() == reference.read_bytes()


def test_an_edited_data_copy_is_reported(data_copy, capsys, reference):
    text = (data_copy / "interview.txt").read_bytes().replace(b"News.Az , Magbat", b"News.Az, Magbat")
    (data_copy / "interview.txt").write_bytes(text)
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == [f"interview.txt: differs from the research copy {reference}; copy it again without any edit",
                     "turns.csv, row 3 (lead), field text: differs from interview.txt (lines 2–2) at character 45; copy the text verbatim"]


def test_no_headline_figure_is_attributed_to_spanov():
    ds = load_dataset(DATA_DIR)
    heads = ds.headline()
    assert [f.figure_id for f in heads] == ["kz_ru_turnover_2024_jan_aug", "containers_ru_cn_via_kz_growth", "containers_cn_eu_cn_growth"]
    for f in heads:
        turn = ds.turn(f.turn_id)
        assert turn.kind == "question" and turn.role == "interviewer" and turn.speaker == "News.Az"
        assert "Spanov" not in turn.speaker and not f.stated_by.startswith("Magbat")
        assert f.span in turn.text
        assert "Spanov" not in cite(ds, f)
    answers_by_spanov = {t.turn_id for t in ds.turns if t.speaker == ds.interview.interviewee}
    assert answers_by_spanov == {"a1", "a2", "a3"}


def test_headline_values_spans_and_statuses():
    ds = load_dataset(DATA_DIR)
    got = {f.figure_id: (f.value, f.unit, f.span, f.status) for f in ds.headline()}
    assert got == {
        "kz_ru_turnover_2024_jan_aug": (17.2, "usd_bn", "$17.2 billion", "no_independent_source"),
        "containers_ru_cn_via_kz_growth": (63.0, "pct", "63%", "corroborated"),
        "containers_cn_eu_cn_growth": (65.0, "pct", "65%", "corroborated"),
    }
    assert ds.interview.published == "2024-10" and ds.interview.completeness == "excerpt"


def test_derived_numbers_against_each_base():
    ds = load_dataset(DATA_DIR)
    d = ds.derived
    # 17.2 / 17 - 1 = +1.18 %; 17.2 / 18.9 - 1 = -8.99 %, worked by hand.
    assert d["turnover_change_vs_kz_base"].value == pytest.approx(1.176, abs=1e-3)
    assert d["turnover_change_vs_ru_base"].value == pytest.approx(-8.995, abs=1e-3)
    assert d["turnover_change_vs_ru_base"].inputs == ("kz_ru_turnover_2024_jan_aug", "ru_turnover_2023_jan_aug")
    assert d["containers_ru_cn_index"].value == 163 and d["containers_cn_eu_cn_index"].value == 165


def test_lower_bounds_and_sides_are_kept():
    ds = load_dataset(DATA_DIR)
    bounds = {f.figure_id for f in ds.figures.values() if f.bound == "lower_bound"}
    assert bounds == {"ru_turnover_2023", "ru_turnover_2024_jan_sep"}
    assert {f.side for f in ds.figures.values() if f.kind == "context" and f.topic == "turnover"} == {"KZ", "RU", "not_stated"}
    claim = next(e for e in ds.events if e.turn_id)
    assert (claim.span, claim.status, claim.nearest_event_id) == ("August 2024", "no_source_found", "brics_2023_08_24_johannesburg")
