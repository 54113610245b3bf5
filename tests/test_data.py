"""The data package: frictionless validity, the check command, who said what, and every source's own words."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from frictionless import validate

from kztrade import DATA_DIR
from kztrade.check import check_data
from kztrade.cli import main
from kztrade.i18n import Tr
from kztrade.load import InvalidData, load_dataset
from kztrade.quotes import bound_in, find_value
from kztrade.statements import Words

from .conftest import ROOT, edit_cell


def run_check(capsys, data_dir) -> tuple[int, list[str]]:
    """Exit code and stdout lines of `python -m kztrade check --data DIR`, in process."""
    code = main(["check", "--data", str(data_dir)])
    return code, capsys.readouterr().out.splitlines()


def test_frictionless_validates_the_package():
    report = validate(str(DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in report.tasks} == {
        "interview",
        "interview-text",
        "turns",
        "sources",
        "figures",
        "events",
        "derivations",
        "evidence",
        "claims",
        "claim-history",
        "translations-ru",
    }


def test_frictionless_cli_validates_the_package():
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "data/datapackage.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "INVALID" not in proc.stdout


def test_every_field_is_described_in_the_codebook():
    pkg = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    undocumented = [
        f"{r['name']}.{f['name']}"
        for r in pkg["resources"]
        if r["type"] == "table"
        for f in r["schema"]["fields"]
        if not f.get("description")
    ]
    assert undocumented == []
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"
    assert "(approximate)" in pkg["description"]


def test_check_prints_a_clean_summary_on_the_real_data():
    proc = subprocess.run(
        [sys.executable, "-m", "kztrade", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "3 headline" in lines[0] and "interview text matches its turns" in lines[0]


def test_check_on_a_bad_folder_exits_1_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kztrade", "check", "--data", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    # the folder by its name, never the server's absolute path (the same message reaches the public problem page)
    assert proc.stdout.strip().startswith(
        f"datapackage.json: not found in {tmp_path.name}/; point --data at the folder"
    )
    assert str(tmp_path) not in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


TASS = (
    'Last year, bilateral trade between the two neighbors "increased by 10.2% to reach a $28.2-billion record, and in '
    'this January - August it grew 7.6% more to equal to $18.9 billion."'
)

# Each mutation of a copy of data/ and exactly the problem lines it must produce.
MUTATIONS = {
    "value disagrees with its span": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")],
        [
            "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field value: 17.3 does not match its span '$17.2 "
            "billion', which prints 17.2"
        ],
    ),
    "percent value disagrees with its span": (
        [("figures", "containers_ru_cn_via_kz_growth", "value", "36")],
        [
            "figures.csv, row 3 (containers_ru_cn_via_kz_growth), field matches: commission_ru_cn_growth_9m2024 says "
            "63 "
            "pct, not 36 pct",
            "figures.csv, row 3 (containers_ru_cn_via_kz_growth), field value: 36 does not match its span '63%', which "
            "prints 63",
        ],
    ),
    "span deleted from its turn": (
        [("turns", "q3", "text", None)],  # None: replace the span inside the real text, below
        [
            # the Russian turn still says 17,2, which the changed English no longer does
            "translations-ru.csv, row 15 (turns/q3/text), field text: does not keep every number and unit of its "
            "English: it drops 17; adds 17.2",
            "turns.csv, row 8 (q3), field text: differs from interview.txt (lines 9–9) at character 91; copy the text "
            "verbatim",
            "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field span: '$17.2 billion' does not occur verbatim in "
            "turn q3",
            "claims.csv, row 26 (q3_turnover), field span: 'Trade turnover between Kazakhstan and R…' does not occur "
            "verbatim in turn q3",
        ],
    ),
    "figure points at a missing turn": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "turn_id", "q7")],
        ["figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field turn_id: 'q7' does not exist in turns.csv"],
    ),
    "figure points at a missing source": (
        [("figures", "kz_turnover_2021", "source_id", "nowhere")],
        ["figures.csv, row 8 (kz_turnover_2021), field source_id: 'nowhere' does not exist in sources.csv"],
    ),
    "http address": (
        [("sources", "tass_1702995", "url", "http://tass.com/politics/1702995")],
        ["sources.csv, row 8 (tass_1702995), field url: 'http://tass.com/politics/1702995' is not an https:// address"],
    ),
    "date that is no real day": (
        [("figures", "ru_turnover_2022", "stated_on", "2023-02-30")],
        ["figures.csv, row 11 (ru_turnover_2022), field stated_on: '2023-02-30' is not a real date"],
    ),
    "date in the wrong shape": (
        [("events", "brics_2024_10_16_uali", "date", "16 Oct 2024")],
        [
            "events.csv, row 5 (brics_2024_10_16_uali), field date: '16 Oct 2024' is not a date written YYYY, YYYY-MM "
            "or YYYY-MM-DD"
        ],
    ),
    "period date that does not parse": (
        [("figures", "kz_turnover_2022", "period_end", "2022-12-32")],
        [
            "figures.csv, row 10 (kz_turnover_2022), field period_end: '2022-12-32' is not a valid date (write it "
            "YYYY-MM-DD)"
        ],
    ),
    "duplicate id": (
        [("sources", "tass_1680067", "source_id", "tass_1702995")],
        [
            "sources.csv, row 10 (tass_1702995), field source_id: 'tass_1702995' is used again (first used in row 8): "
            "ids must be unique",
            "figures.csv, row 15 (ru_turnover_2023_jan_jul_rub), field source_id: 'tass_1680067' does not exist in "
            "sources.csv",
        ],
    ),
    "number field that is not a number": (
        [("figures", "ru_turnover_2023", "value", "over 28")],
        ["figures.csv, row 20 (ru_turnover_2023), field value: 'over 28' is not a valid number"],
    ),
    "context figure without a source": (
        [("figures", "ru_turnover_2023", "source_id", "")],
        ["figures.csv, row 20 (ru_turnover_2023), field source_id: a context figure must name its source"],
    ),
    "context figure without a side": (
        [("figures", "ru_turnover_2023", "side", "")],
        ["figures.csv, row 20 (ru_turnover_2023), field side: is required but empty"],
    ),
    "headline attributed to Spanov": (
        [("figures", "containers_cn_eu_cn_growth", "stated_by", "Magbat Spanov")],
        [
            # the Russian still names question 3, which the changed English no longer does
            "translations-ru.csv, row 122 (figures/containers_cn_eu_cn_growth/stated_by), field text: does not keep "
            "every number and unit of its English: it adds 3",
            "figures.csv, row 4 (containers_cn_eu_cn_growth), field stated_by: 'Magbat Spanov' must start with "
            "'News.Az': the headline figures are stated in the interviewer's questions",
        ],
    ),
    "headline moved to Spanov's answer": (
        [("figures", "kz_ru_turnover_2024_jan_aug", "turn_id", "a3")],
        [
            "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field span: '$17.2 billion' does not occur verbatim in "
            "turn a3",
            "figures.csv, row 2 (kz_ru_turnover_2024_jan_aug), field turn_id: turn a3 is not a question (Magbat "
            "Spanov, "
            "answer); headline figures are the interviewer's",
        ],
    ),
    "question given to Spanov": (
        [("turns", "q3", "speaker", "Magbat Spanov")],
        ["turns.csv, row 8 (q3), field speaker: Magbat Spanov only speaks in answers"],
    ),
    "match that disagrees": (
        [("figures", "containers_cn_eu_cn_growth", "matches", "commission_ru_cn_growth_9m2024")],
        [
            "figures.csv, row 4 (containers_cn_eu_cn_growth), field matches: commission_ru_cn_growth_9m2024 says 63 "
            "pct, not 65 pct"
        ],
    ),
    "interview claim whose words are not in its turn": (
        [("events", "brics_2024_08_claim", "span", "July 2024")],
        ["events.csv, row 4 (brics_2024_08_claim), field span: 'July 2024' does not occur verbatim in turn a1"],
    ),
    "period that ends before it starts": (
        [("figures", "kz_turnover_2021", "period_end", "2020-12-31")],
        ["figures.csv, row 8 (kz_turnover_2021), field period_end: 2020-12-31 is before period_start 2021-01-01"],
    ),
    "derivation with a base in another unit": (
        [("derivations", "turnover_change_vs_kz_base", "base_id", "ru_turnover_2022_growth")],
        ["derivations.csv, row 2 (turnover_change_vs_kz_base), field base_id: base unit 'pct' differs from 'usd_bn'"],
    ),
    # Issue 8: the number is in the source's own sentence, its bound agrees with the sentence's words,
    # and a source line's date comes from the page.
    "value not in its quote": (
        [("figures", "kz_turnover_2022", "value", "26.2")],
        [
            "figures.csv, row 10 (kz_turnover_2022), field value: 26.2 is not in its quote; copy the number as the "
            "source prints it, or fix the value"
        ],
    ),
    "lower bound marked exact": (
        [("figures", "ru_turnover_2024_jan_sep", "bound", "exact")],
        [
            "figures.csv, row 21 (ru_turnover_2024_jan_sep), field bound: is 'exact', but the quote says “exceeded”, "
            "which makes it a lower bound; set bound to 'lower_bound'"
        ],
    ),
    "“mark” marked as a lower bound": (
        [("figures", "ru_turnover_2023", "bound", "lower_bound")],
        [
            "figures.csv, row 20 (ru_turnover_2023), field bound: is 'lower_bound', but the quote says “billion mark”, "
            "which makes it exact; set bound to 'exact'"
        ],
    ),
    "approximation marked exact, in Russian": (
        [("figures", "kz_turnover_2025_11_no_period", "bound", "exact")],
        [
            "figures.csv, row 27 (kz_turnover_2025_11_no_period), field bound: is 'exact', but the quote says “почти”, "
            "which makes it approximate; set bound to 'approximate'"
        ],
    ),
    "bare number marked approximate": (
        [("figures", "kz_turnover_2021", "bound", "approximate")],
        [
            "figures.csv, row 8 (kz_turnover_2021), field bound: is 'approximate', but the quote prints it bare, which "
            "makes it exact; set bound to 'exact'"
        ],
    ),
    "quote emptied but still marked reported": (
        [("figures", "kz_turnover_2021", "quote", ""), ("figures", "kz_turnover_2021", "quote_lang", "")],
        [
            "figures.csv, row 8 (kz_turnover_2021), field quote: status 'reported' needs the source's sentence, read "
            "in "
            "a stored copy; without one, set status to 'quote_not_verified'"
        ],
    ),
    "quote present but marked not verified": (
        [("figures", "kz_turnover_2021", "status", "quote_not_verified")],
        ["figures.csv, row 8 (kz_turnover_2021), field status: the quote was read: set status to 'reported'"],
    ),
    "Russian quote without our translation": (
        [("figures", "kz_turnover_2024", "quote_en", "")],
        ["figures.csv, row 22 (kz_turnover_2024), field quote_en: a quote in 'ru' needs our English translation"],
    ),
    "quote language unlike its source's": (
        [("figures", "kz_turnover_2021", "quote_lang", "ru"), ("figures", "kz_turnover_2021", "quote_en", "x")],
        [
            "figures.csv, row 8 (kz_turnover_2021), field quote_lang: is 'ru', but its source astanatimes_2022_08 is "
            "in "
            "'en'"
        ],
    ),
    "own data claimed without the words": (
        [("figures", "kz_turnover_2021", "data_basis", "own_data")],
        [
            "figures.csv, row 8 (kz_turnover_2021), field data_basis: 'own_data' needs a quote that says so "
            "(“according "
            "to our data”); otherwise use 'not_stated'"
        ],
    ),
    "own data in the words but not in data_basis": (
        [("figures", "kz_turnover_2022", "data_basis", "not_stated")],
        [
            "figures.csv, row 10 (kz_turnover_2022), field data_basis: the quote says “According to our data”: set "
            "data_basis to 'own_data'"
        ],
    ),
    "conversion not in the quote": (
        [("figures", "ru_turnover_2022_rub", "converted_value", "24.4")],
        ["figures.csv, row 13 (ru_turnover_2022_rub), field converted_value: 24.4 is not in its quote"],
    ),
    "stated after its page was published": (
        [("figures", "ru_turnover_2022", "stated_on", "2023-12-01")],
        [
            "figures.csv, row 11 (ru_turnover_2022), field stated_on: 2023-12-01 is after its page was published "
            "(2023-11-08); a source line's date must come from the page"
        ],
    ),
    "event cited to a page written before it": (
        [("sources", "tass_1861533", "published", "2024-10-17")],
        [
            "events.csv, row 6 (brics_2024_10_kazan), field source_id: tass_1861533 was published 2024-10-17, before "
            "the event (2024-10-22); cite a page that reports it as done"
        ],
    ),
    "documented event without its quote": (
        [("events", "brics_2024_10_16_uali", "quote", "")],
        [
            "events.csv, row 5 (brics_2024_10_16_uali), field quote: status 'documented' needs the source's sentence, "
            "read in a stored copy; without one, set status to 'quote_not_verified'"
        ],
    ),
    # Issue 10: data that would break loading is reported with file, row and field.
    "a percent change on a zero base": (
        [("figures", "kz_turnover_2023_jan_aug", "value", "0")],
        [
            "figures.csv, row 16 (kz_turnover_2023_jan_aug), field value: 0 is not in its quote; copy the number as "
            "the "
            "source prints it, or fix the value",
            "derivations.csv, row 2 (turnover_change_vs_kz_base), field base_id: kz_turnover_2023_jan_aug is 0; a "
            "percent change needs a base above zero",
        ],
    ),
    "NaN as a value": (
        [("figures", "kz_turnover_2021", "value", "NaN")],
        ["figures.csv, row 8 (kz_turnover_2021), field value: 'NaN' is not a finite number"],
    ),
    "INF as a conversion": (
        [("figures", "ru_turnover_2022_rub", "converted_value", "INF")],
        ["figures.csv, row 13 (ru_turnover_2022_rub), field converted_value: 'INF' is not a finite number"],
    ),
    "a carriage return inside a cell": (
        [("figures", "kz_turnover_2021", "label", "Kazakhstan–Russia trade turnover\r=cmd|' /C calc'!A0")],
        [
            "figures.csv, row 8 (kz_turnover_2021), field label: holds a control character (\\r) at position 33; "
            "remove "
            "it"
        ],
    ),
    "a cell over the size limit": (
        [("figures", "kz_turnover_2021", "description", "x" * 131_073)],
        [
            "figures.csv, row 8 (kz_turnover_2021), field description: holds 131,073 characters, over the 16,384 a "
            "cell "
            "may hold"
        ],
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
    # The app's cheap guard (no frictionless) finds the same problems: loading never gets past them.
    with pytest.raises(InvalidData) as e:
        load_dataset(data_copy, None)
    assert [str(p) for p in e.value.problems] == [line for line in expected if not line.startswith(("interview.txt",))]


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
    assert lines == [
        "datapackage.json: cannot be read as a data package (JSONDecodeError); restore it from the repository "
        "(datapackage.json)"
    ]


def test_a_resource_path_pointing_elsewhere_is_refused(data_copy, capsys):
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in pkg["resources"] if r["name"] == "figures")["path"] = "../figures.csv"
    (data_copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == [
        "datapackage.json (figures), field path: '../figures.csv' must be a plain file name inside the data folder (no "
        "folders, no '..')"
    ]


def test_the_loader_reads_the_file_the_schema_names(data_copy):
    """A resource renamed in datapackage.json is read under its new name, the one the schema validated."""
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in pkg["resources"] if r["name"] == "events")["path"] = "statements.csv"
    (data_copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    (data_copy / "events.csv").rename(data_copy / "statements.csv")
    ds = load_dataset(data_copy, None, full=True)
    assert len(ds.events) == 5
    (data_copy / "statements.csv").write_text(
        (data_copy / "statements.csv").read_text(encoding="utf-8").replace("2023-08-09", "2023-08-99"), encoding="utf-8"
    )
    with pytest.raises(InvalidData) as e:
        load_dataset(data_copy, None)
    assert [str(p) for p in e.value.problems] == [
        "statements.csv, row 2 (brics_2023_08_09_smadiarov), field date: '2023-08-99' is not a date written YYYY, "
        "YYYY-MM or YYYY-MM-DD"
    ]


def test_a_symlinked_file_is_never_followed(data_copy, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (data_copy / "figures.csv").unlink()
    os.symlink(secret, data_copy / "figures.csv")
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == ["figures.csv: is a symbolic link; replace it with the file itself"]
    assert "root:" not in "\n".join(lines)


def test_a_byte_order_mark_is_accepted(data_copy):
    """Excel saves CSV with a BOM: every table may start with one and still loads the same."""
    for name in ("interview", "turns", "sources", "figures", "events", "derivations"):
        path = data_copy / f"{name}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = load_dataset(data_copy, None, full=True)
    assert ds.interview.interview_id == "newsaz_spanov_2024"
    assert len(ds.figures) == len(load_dataset().figures)


def test_column_problems_say_what_is_wrong(data_copy, capsys):
    path = data_copy / "figures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",bound,", ",bound_x,", 1), encoding="utf-8")
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == [
        "figures.csv, row 1, field bound: column is missing from the header row",
        "figures.csv, row 1, field bound_x: column is not in the schema in datapackage.json",
    ]
    assert all(not line.endswith(": ") for line in lines)


def test_an_unquoted_carriage_return_is_a_row_that_does_not_fit(data_copy, capsys):
    """A bare CR written unquoted (as to_csv with '\\n' line endings did) splits the row; check names both pieces."""
    path = data_copy / "figures.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Kazakhstan–Russia trade turnover,24.5", "Kazakhstan–Russia trade turnover\r=cmd,24.5", 1
        ),
        encoding="utf-8",
    )
    header = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    code, lines = run_check(capsys, data_copy)
    assert code == 1
    assert lines == [
        f"figures.csv, row 8 (kz_turnover_2021): has 5 cells, the header has {header}",
        f"figures.csv, row 9 (=cmd): has {header - 4} cells, the header has {header}",
    ]


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
    assert lines == [
        f"interview.txt: differs from the research copy {reference}; copy it again without any edit",
        "turns.csv, row 3 (lead), field text: differs from interview.txt (lines 2–2) at character 45; copy the text "
        "verbatim",
    ]


def test_no_headline_figure_is_attributed_to_spanov():
    ds = load_dataset(DATA_DIR)
    w = Words(ds, Tr())
    heads = ds.headline()
    assert [f.figure_id for f in heads] == [
        "kz_ru_turnover_2024_jan_aug",
        "containers_ru_cn_via_kz_growth",
        "containers_cn_eu_cn_growth",
    ]
    for f in heads:
        turn = ds.turn(f.turn_id)
        assert turn.kind == "question" and turn.role == "interviewer" and turn.speaker == "News.Az"
        assert "Spanov" not in turn.speaker and not f.stated_by.startswith("Magbat")
        assert f.span in turn.text
        assert "Spanov" not in w.cite(f)
    answers_by_spanov = {t.turn_id for t in ds.turns if t.speaker == ds.interview.interviewee}
    assert answers_by_spanov == {"a1", "a2", "a3"}


def test_headline_values_spans_and_statuses():
    ds = load_dataset(DATA_DIR)
    got = {f.figure_id: (f.value, f.unit, f.span, f.status, f.matches) for f in ds.headline()}
    assert got == {
        "kz_ru_turnover_2024_jan_aug": (17.2, "usd_bn", "$17.2 billion", "no_independent_source", ""),
        "containers_ru_cn_via_kz_growth": (63.0, "pct", "63%", "matches_report", "commission_ru_cn_growth_9m2024"),
        "containers_cn_eu_cn_growth": (65.0, "pct", "65%", "matches_report", "commission_cn_eu_cn_growth_9m2024"),
    }
    # The one phrase of question 3 covers both rates.
    assert {f.comparison_base for f in ds.headline() if f.unit == "pct"} == {"the same period of 2023"}
    assert ds.interview.published == "2024-10" and ds.interview.completeness == "excerpt"


def test_the_commission_figures_are_the_kazakh_governments_report_not_a_joint_statement():
    ds = load_dataset(DATA_DIR)
    for fid in ("commission_ru_cn_growth_9m2024", "commission_cn_eu_cn_growth_9m2024"):
        f = ds.figures[fid]
        assert f.side == "KZ" and f.stated_by.startswith("Government of Kazakhstan")
        assert "joint statement" not in (f.stated_by + f.description).lower()
        assert "совместной работы железных дорог" in f.quote  # "the joint work of the railways", in the source's words
    for f in ds.headline():
        assert "joint statement" not in f.status_note.lower() and "corroborat" not in f.status_note.lower()


def test_every_context_figure_and_event_carries_its_sources_sentence():
    """Each quote states its figure's value, as the page printed it; a missing one would say 'quote not verified'."""
    ds = load_dataset(DATA_DIR)
    for f in ds.context():
        assert f.status == "reported" and f.quote, f.figure_id
        found = find_value(f.quote, f.value)
        assert found is not None, f.figure_id
        assert bound_in(f.quote, found)[0] == f.bound, f.figure_id
        assert f.quote_lang == ds.sources[f.source_id].language
        assert (f.quote_lang == "en") == (f.quote_en == ""), f.figure_id
        accessed = ds.sources[f.source_id].accessed.isoformat()
        assert accessed in ("2026-11-29", "2026-12-01", "2026-12-07"), (
            f.figure_id
        )  # the days the stored copies were read
    for e in ds.events:
        assert (e.status, bool(e.quote)) in {("documented", True), ("no_source_found", False)}, e.event_id


def test_derived_ranges_honour_the_printed_precision():
    ds = load_dataset(DATA_DIR)
    d = ds.derived
    kz, ru = d["turnover_change_vs_kz_base"], d["turnover_change_vs_ru_base"]
    # 17.2 is 17.15..17.25; Tokayev's 17 is 16.5..17.5; Putin's 18.9 is 18.85..18.95. Worked by hand:
    assert (kz.low, kz.high) == pytest.approx((17.15 / 17.5 * 100 - 100, 17.25 / 16.5 * 100 - 100))
    assert round(kz.low, 1) == -2.0 and round(kz.high, 1) == 4.5  # the sign is unknown
    assert (ru.low, ru.high) == pytest.approx((17.15 / 18.95 * 100 - 100, 17.25 / 18.85 * 100 - 100))
    assert round(ru.low, 1) == -9.5 and round(ru.high, 1) == -8.5
    assert d["containers_ru_cn_index"].value == 163 and d["containers_cn_eu_cn_index"].value == 165
    # Implied rates: 2 trillion roubles for $24.3 bn, 1.5 trillion for $15.6 bn.
    assert round(d["rate_2022_rub"].value) == 82 and round(d["rate_2023_jan_jul_rub"].value) == 96


def test_bounds_sides_and_conversions_are_kept():
    ds = load_dataset(DATA_DIR)
    bounds = {f.figure_id for f in ds.figures.values() if f.bound == "lower_bound"}
    assert {
        "ru_turnover_2023_jan_jul_rub",
        "ru_turnover_2024_jan_sep",
        "ru_turnover_2024",
        "kz_turnover_2025_jan_aug",
    } <= bounds
    assert ds.figures["ru_turnover_2023"].bound == "exact"  # “the $28 billion mark”: the wording we could read
    assert {f.side for f in ds.context("turnover")} == {"KZ", "RU", "not_stated"}
    assert [f.figure_id for f in ds.context() if f.data_basis == "own_data"] == ["kz_turnover_2022"]
    # Rouble totals keep their roubles; the dollar figure is the outlet's and is never the value.
    roubles = {
        f.figure_id: (f.value, f.unit, f.converted_value) for f in ds.context("turnover") if f.unit.startswith("rub")
    }
    assert roubles["ru_turnover_2022_rub"] == (2.0, "rub_trn", 24.3)
    assert roubles["ru_turnover_2023_jan_jul_rub"] == (1.5, "rub_trn", 15.6)
    claim = next(e for e in ds.events if e.turn_id)
    assert (claim.span, claim.status, claim.nearest_event_id) == (
        "August 2024",
        "no_source_found",
        "brics_2023_08_24_johannesburg",
    )


def test_the_year_the_interview_speaks_of_has_its_full_year_totals():
    ds = load_dataset(DATA_DIR)
    totals = {
        (f.side, f.value, f.bound) for f in ds.context("turnover") if f.is_full_year and f.period_start.year == 2024
    }
    assert totals == {("KZ", 28.0, "exact"), ("RU", 27.0, "lower_bound"), ("not_stated", 28.0, "approximate")}
    no_period = [f.figure_id for f in ds.context("turnover") if not f.has_period]
    assert len(no_period) == 5 and all(
        ds.figures[i].period_label == "period not stated" for i in no_period if i != "ru_turnover_2025_so_far"
    )
    # "this year" with no months: said so, never a made-up period
    assert ds.figures["ru_turnover_2025_so_far"].period_label == "2025 so far, months not stated"


@pytest.mark.parametrize(
    "token, message",
    [
        ("{date:2024-13}", "does not name one real date"),
        ("{period:2024-01-01}", "needs two real days"),
        ("{range:2024-10-24/2024-10-22}", "ends before it starts"),
        ("{when}", "is not a date token"),
        ("{date:2024-08", "is not a date token"),
    ],
)
def test_a_date_token_that_names_no_real_date_is_named_by_file_row_and_field(data_copy, token, message):
    edit_cell(data_copy, "events", "brics_2024_08_claim", "status_note", f"No such announcement in {token}.")
    found = [str(p) for p in check_data(data_copy, None, full=False) if "field status_note" in str(p)]
    assert (
        found
        and found[0].startswith("events.csv, row 4 (brics_2024_08_claim), field status_note: ")
        and message in found[0]
    ), found


def test_an_edit_that_lands_during_a_load_is_checked_on_the_next_and_never_passes(data_copy, monkeypatch):
    """The race a receipt once lost: refused data written between the read and the check. The check reads only the
    bytes the guard read, so the load serves what it checked, and the next load refuses the edit."""
    import kztrade.load

    real = kztrade.load.read_package

    def read_then_edit(folder):
        read = real(folder)
        edit_cell(data_copy, "figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")  # only the rules see it
        return read

    monkeypatch.setattr(kztrade.load, "read_package", read_then_edit)
    served = load_dataset(data_copy, None)
    assert served.figures["kz_ru_turnover_2024_jan_aug"].value == 17.2  # what was read and checked
    monkeypatch.setattr(kztrade.load, "read_package", real)
    for _ in range(2):  # and again: a refusal is never remembered as a pass
        with pytest.raises(InvalidData) as e:
            load_dataset(data_copy, None)
        assert "kz_ru_turnover_2024_jan_aug" in str(e.value.problems[0]) and "17.3" in str(e.value.problems[0])


def test_a_planted_receipt_cannot_stand_for_a_check(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "kztrade").mkdir(parents=True)
    for name in ("passed", "0" * 40 + ".passed"):
        (cache / "kztrade" / name).write_bytes(b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("KZTRADE_CACHE_DIR", str(cache / "kztrade"))
    edit_cell(data_copy, "figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")
    with pytest.raises(InvalidData):
        load_dataset(data_copy, None)
    assert not (ROOT / "kztrade" / "receipts.py").exists()  # no receipt code left to trust one
