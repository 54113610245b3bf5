"""Sentences built from records: honest precision, signs, who stated what, and the findings."""

from __future__ import annotations

import dataclasses

import pytest

from kztrade.i18n import Tr
from kztrade.load import load_dataset
from kztrade.model import Derived
from kztrade.statements import Words

from .conftest import edit_cell


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def w(ds):
    return Words(ds, Tr())


def pct(low: float, high: float, value: float) -> Derived:
    return Derived(
        "x", "x", "pct_change", value, low, high, "pct", "kz_ru_turnover_2024_jan_aug", "kz_turnover_2023_jan_aug", ""
    )


def test_a_range_that_crosses_zero_is_shown_as_a_range_and_called_flat(w):
    assert w.derived_value(pct(-1.714, 4.242, 1.18)) == "−1.7% to +4.2% (roughly flat)"


def test_a_range_wider_than_a_point_is_shown_as_a_range(w):
    assert w.derived_value(pct(-9.5, -8.49, -8.99)) == "−9.5% to −8.5%"


def test_a_narrow_range_is_a_value_with_about(w):
    assert w.derived_value(pct(-9.2, -8.8, -8.99)) == "about −9%"
    assert w.derived_value(pct(-9.05, -8.95, -8.99)) == "about −9.0%"


def test_signed_values_use_a_true_minus_and_never_plus_minus(ds, w):
    f = dataclasses.replace(ds.figures["ktz_ru_cn_teu_2023_jan_nov_growth"], value=-69.0)
    assert w.value(f) == "−69%"
    assert "+-" not in w.value(f) and "+−" not in w.value(f)
    assert Tr().signed(-9.0) == "−9.0" and Tr().signed(1.18) == "+1.2" and Tr().pct(0, 0, True) == "0%"


def test_the_interviews_turnover_finding_states_both_bases(ds, w):
    f = w.findings()[0]
    assert f.lead == "US$17.2 billion" and f.status == "no_independent_source" and f.target == "turnover_ytd"
    kz, ru = ds.derived["turnover_change_vs_kz_base"], ds.derived["turnover_change_vs_ru_base"]
    assert f"{w.derived_value(kz)} on the figure of Kazakh officials" in f.text
    assert f"{w.derived_value(ru)} on the figure of Russian officials" in f.text
    assert "(roughly flat)" in w.derived_value(kz) and "The interview does not say whose figures it uses." in f.text


def test_findings_follow_the_data(data_copy):
    """Give Tokayev's Jan–Aug 2023 total as 18.9 (as Putin's): the finding's range moves with it."""
    edit_cell(data_copy, "figures", "kz_turnover_2023_jan_aug", "value", "18.9")
    edit_cell(
        data_copy,
        "figures",
        "kz_turnover_2023_jan_aug",
        "quote",
        "Based on the results of 8 months of this year, mutual trade amounted to $18.9 billion, which is also a record "
        "figure,",
    )
    changed = Words(load_dataset(data_copy, None), Tr()).findings()[0].text
    assert "−9.5% to −8.5% on the figure of Kazakh officials" in changed


def test_the_container_findings_say_one_report_not_independent(w):
    for f in w.findings()[1:3]:
        assert f.status == "matches_report"
        assert "Matches the Kazakh government's report" in f.text and "One report, not an independent check." in f.text
        assert "joint" not in f.text.lower() and "corroborat" not in f.text.lower()


def test_the_claim_and_the_years_end(w):
    claim, end = w.findings()[3], w.findings()[4]
    assert (
        claim.lead == "“August 2024”"
        and claim.status == "no_source_found"
        and "nearest dated statement we found is from 24 Aug 2023" in claim.text
    )
    assert (
        "A later Foreign Ministry reply, after 24 Jun 2024, says the timing of accession is open." in claim.text
    )  # undated page
    assert " ".join(end.text.split()) == (
        "How the year ended. Kazakh officials: US$28 billion. Russian officials: over US$27 billion. An outlet's "
        "figure, no source named: about US$28 billion. For Jan – Nov 2024, Kazakh officials gave US$24.2 billion, so "
        "the year's totals may not be on one basis."
    )


def test_who_stated_it_not_whose_statistics(ds, w):
    assert w.who(ds.figures["kz_turnover_2021"]) == "Kazakh officials"
    assert w.who(ds.figures["kz_turnover_2022"]) == "Kazakh officials, “according to our data”"
    assert w.series("KZ_rail") == "Kazakh railway (KTZ) operating data"
    assert all("statistics" not in w.series(s) for s in ("KZ", "RU", "KZ_rail", "outlet", "interview"))


def test_a_source_line_prints_the_pages_date_never_the_events(ds, w):
    kazan = next(e for e in ds.events if e.event_id == "brics_2024_10_kazan")
    assert w.cite_event(kazan) == "TASS, 24 Oct 2024"
    undated = dataclasses.replace(ds.sources["tass_1861533"], published="")
    ds2 = dataclasses.replace(ds, sources={**ds.sources, "tass_1861533": undated})
    assert Words(ds2, Tr()).cite_event(kazan) == "TASS"  # no date on the page: none printed, not the summit's 22 Oct
    assert w.cite(ds.figures["ru_turnover_2022_rub"]) == "Caliber.az"


def test_a_russian_source_line_names_each_outlet_as_russian_writes_it(ds):
    ru = Words(ds, Tr("ru", ds.translations["ru"]))
    events = [e for e in ds.events if e.source_id in ("tass_1861533", "efe_taraz_2023_08")]
    line = ru.source_line(events=events)
    assert "ТАСС, 24 окт. 2024\u202fг." in line and "EFE (перепечатка Taraz Novosti), 5 сент. 2023\u202fг." in line
    assert "TASS" not in line and "republished" not in line
    assert ru.cite(ds.figures["ru_turnover_2023"]).startswith("Вестник Кавказа, ")


def test_derived_methods_say_what_was_read_as_what(ds, w):
    assert w.derived_method(ds.derived["turnover_change_vs_kz_base"]).startswith(
        "(17.2 ÷ 17 − 1) × 100, reading 17.2 as 17.15 to 17.25 and 17 as 16.5 to 17.5, as their printed digits allow."
    )
    assert w.derived_value(ds.derived["rate_2022_rub"]) == "about 82 roubles per US$"


def test_a_period_never_breaks_inside_itself():
    """'Jan –' at a line's end and 'Aug 2024' on the next: every period the dashboard writes keeps its spaces whole,
    in every language, so a page, a chart and a card wrap around it, never inside it."""
    from datetime import date

    from kztrade.i18n import LANGS, Tr

    for lang in LANGS:
        tr = Tr(lang)
        for start, end in ((date(2024, 1, 1), date(2024, 8, 31)), (date(2023, 1, 1), date(2023, 11, 30))):
            text = tr.period(start, end)
            assert " " not in text and "\u2009" not in text, (lang, text)
            assert "2024" in text or "2023" in text
