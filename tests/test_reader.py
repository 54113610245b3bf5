"""What a reader sees, as an editor would check it: statuses that do not overstate, a legend of them, and
citations that read cleanly, in both languages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kztrade.charts import CHARTS, STATUS_COLOURS
from kztrade.i18n import LANGS, Tr
from kztrade.load import load_dataset
from kztrade.statements import STATUSES, Words

from .conftest import unfolded
from .plotted import texts as drawn_texts
from .test_app import page_text, plain, run_app


def contrast(hex_colour: str) -> float:
    """WCAG contrast of a colour against white."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_no_status_is_drawn_in_green_and_every_status_text_reads_on_white():
    assert all(s.badge != "green" for s in STATUSES.values())  # green reads as "verified"; nothing here is
    assert STATUSES["matches_report"].badge not in ("green", STATUSES["derived"].badge)
    assert all(contrast(c) >= 4.5 for c in STATUS_COLOURS.values()), STATUS_COLOURS
    assert int(STATUS_COLOURS["matches_report"][3:5], 16) < int(
        STATUS_COLOURS["matches_report"][1:3], 16
    )  # not a green hue


def test_a_badge_that_would_tell_the_reader_nothing_is_not_drawn():
    at = run_app({"view": "turnover", "lang": "en"})
    text = page_text(at)
    assert "Quote read in the source" not in text  # the usual case, once on nearly every source card before
    overview = page_text(run_app({"view": "overview", "lang": "en"}))
    assert ":orange-badge[Partly supported]" in overview and "-badge[No source found]" in overview  # the verdicts
    assert "-badge[Quote read in the source]" not in overview


@pytest.mark.parametrize("lang", LANGS)
def test_the_data_view_explains_every_status_once(lang):
    ds = load_dataset()
    w = Words(ds, Tr(lang, ds.translations.get(lang, {})))
    text = plain(page_text(run_app({"view": "data", "lang": lang})))
    for key, status in STATUSES.items():
        definition = " ".join(w.status_definition(key).replace("\u00a0", " ").split())
        assert text.count(definition) == 1, (key, definition)
        if status.badge:
            assert f":{status.badge}-badge[{w.status(key)}]: {definition}" in text, key


@pytest.mark.parametrize("lang", LANGS)
def test_cite_this_has_no_nested_brackets_and_says_when_it_was_read(lang, monkeypatch):
    monkeypatch.setenv("KZTRADE_PUBLIC_URL", "https://kztrade.example.org/")  # hosted: the citation has its address
    at = unfolded(run_app({"view": "data", "lang": lang}))  # each chart's citation is behind "Cite one chart"
    cites = [c.value for c in at.code if c.value.startswith("kztrade, ")]
    assert len(cites) == 1 + len(CHARTS)
    today = Tr(lang).date(date.today().isoformat())
    for cite in cites:
        depth, deepest = 0, 0
        for ch in cite:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            deepest = max(deepest, depth)
        assert deepest <= 1, cite
        assert today in cite and ("accessed" in cite if lang == "en" else "дата обращения" in cite)
        assert re.search(r"\?view=[a-z_]+&lang=" + lang, cite)


# Where a Russian line may not break: between a number and its unit or scale word, before a dash, before «г.».
BREAKABLE = "[ \u2009]"
NO_BREAK_FAULTS = [
    re.compile(rf"\d{BREAKABLE}(?=млрд|млн|трлн|тыс\.|долл|руб|%|гг?\.)"),
    re.compile(rf"\S{BREAKABLE}[—–]{BREAKABLE}"),
    re.compile(rf"долл\.{BREAKABLE}США"),
]


def breakable_faults(text: str) -> list[str]:
    return [text[max(0, m.start() - 15) : m.end() + 15] for rule in NO_BREAK_FAULTS for m in rule.finditer(text)]


def chart_texts(fig) -> list[str]:
    return [t for _p, _y, t in drawn_texts(fig)] + [str(t.customdata) for t in fig.data if t.customdata is not None]


def test_russian_chart_and_card_text_never_breaks_where_russian_forbids():
    from kztrade.cards import CARD_SIZES, quote_card
    from kztrade.charts import CHARTS, build_chart, compose

    ds = load_dataset()
    tr = Tr("ru", ds.translations["ru"])
    texts = []
    for chart_id in CHARTS:
        texts += chart_texts(compose(build_chart(ds, chart_id, tr)))
    for f in ds.headline():
        for size in CARD_SIZES:
            card = quote_card(ds, f.figure_id, tr, size)
            texts += chart_texts(card.figure)
    faults = [fault for t in texts for fault in breakable_faults(t)]
    assert faults == []
    assert any("млрд" in t for t in texts) and any(
        "\u00a0— " in t or "\u00a0– " in t for t in texts
    )  # the rules had work to do


@pytest.mark.parametrize("view", ["overview", "turnover", "containers", "brics", "interview", "data"])
def test_russian_page_text_of_ours_never_breaks_where_russian_forbids(view):
    at = run_app({"view": view, "lang": "ru"})
    ds = load_dataset()
    verbatim = [t.words[:30] for t in ds.turns if len(t.words) > 30]  # the interview is shown as printed, never typeset
    verbatim += [c.span for c in ds.claims]  # and so are the claims' words, quoted from it
    shown = [re.sub(r"\\([^\w\s])", r"\1", e.value) for kind in ("markdown", "caption") for e in getattr(at, kind)]
    ours = [t for t in shown if not t.startswith("> ") and not any(v in t for v in verbatim)]
    faults = [fault for t in ours for fault in breakable_faults(t)]
    assert faults == [], faults


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_line_is_sentences_each_ending_in_a_full_stop(lang):
    from kztrade.charts import CHARTS, build_chart

    ds = load_dataset()
    tr = Tr(lang, ds.translations.get(lang, {}))
    derived = tr._("Derived by kztrade: {methods}.").split("{")[0].strip()
    for chart_id in CHARTS:
        line = build_chart(ds, chart_id, tr).source
        assert line.endswith(".") and not line.endswith(".."), (chart_id, line)
        if derived in line:
            assert f". {derived}" in line, (chart_id, line)  # the sources' sentence ends before kztrade's begins
    one = build_chart(ds, "brics_timeline", tr).source
    assert one.startswith(tr.n_("Source: {sources}.", "Sources: {sources}.", 5).split("{")[0])


def test_the_russian_interview_gives_our_translation_under_every_turn_and_keeps_the_original():
    ds = load_dataset()
    at = run_app({"view": "interview", "lang": "ru"})
    text = plain(page_text(at))
    for t in ds.turns:
        ours = ds.translations["ru"][("turns", t.turn_id, "text")]
        assert ours.split("\n")[0][:60] in text, t.turn_id  # our translation, labelled
        start = t.words.split("\n")[0][len("By Tural Heybatov") :] if t.kind == "lead" else t.words.split("\n")[0]
        assert plain(start[:60]) in text  # beside the words as printed (the lead's byline on a line of its own)
    # ours first, at reading size and labelled, the original after it: every turn's translation comes before its
    # original on the page, and the title's translation is the page's heading
    for t in ds.turns[1:]:
        ours = plain(ds.translations["ru"][("turns", t.turn_id, "text")].split("\n")[0][:40])
        start = t.words.split("\n")[0][len("By Tural Heybatov") :] if t.kind == "lead" else t.words.split("\n")[0]
        assert text.index(ours) < text.index(plain(start[:40])), t.turn_id
    assert text.count("Наш перевод: ") == len(ds.turns) - 1  # each answer's and question's, labelled as ours
    title = ds.turns[0]
    assert plain(f"## {ds.translations['ru'][('turns', title.turn_id, 'text')]}") in plain(page_text(at))
    assert plain(f"Оригинал, на английском: {title.text}") in text
    english = plain(page_text(run_app({"view": "interview", "lang": "en"})))
    assert "Our translation" not in english and "Товарооборот между Казахстаном" not in english


def test_the_question_on_a_russian_view_has_our_translation_a_click_away():
    at = run_app({"view": "turnover", "lang": "ru"})
    assert "Наш перевод" in [e.label for e in at.expander]
    ds = load_dataset()
    assert ds.translations["ru"][("turns", "q3", "text")].startswith(
        "Товарооборот между Казахстаном и Россией в январе — августе 2024"
    )


def test_the_lead_shows_its_byline_apart_and_every_character_as_printed():
    from kztrade.ui.pages import split_byline

    ds = load_dataset()
    lead = ds.turn("lead").words
    byline, rest = split_byline(lead, ds.interview.interviewer)
    assert byline == "By Tural Heybatov" and rest.startswith("In an interview for News.Az") and byline + rest == lead
    assert split_byline("By Someone else wrote", "Tural Heybatov") == ("", "By Someone else wrote")
    at = run_app({"view": "interview", "lang": "en"})
    assert "By Tural Heybatov" in [c.value for c in at.caption]


# Dates in our text come from Babel's skeletons only: abbreviated months, spaced dashes. A spelled-out month or an
# unspaced "Jan–Aug" is a hand-written date that drifted from the one style.
OTHER_DATE_FORMS = [
    re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"),
    re.compile(r"\b[A-Z][a-z]{2,3}–[A-Z][a-z]{2,3}\b"),
    # Babel's stand-alone Russian abbreviations are «март», «май», «июнь», «июль»: those are the style, not a drift.
    re.compile(
        r"(?i)\b(январ[ьяе]|феврал[ьяе]|марта|апрел[ьяе]|июня|июля|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])\b"
    ),
]


def verbatim_texts(ds) -> list[str]:
    """Words we show as written or translate as written: the interview, our translations of it, sources' sentences."""
    out = (
        [t.text for t in ds.turns]
        + [t.words for t in ds.turns]
        + list(ds.translations["ru"].get(k) for k in ds.translations["ru"] if k[0] == "turns")
    )
    out += [x for f in ds.figures.values() for x in (f.quote, f.quote_en, f.span) if x] + [
        x for e in ds.events for x in (e.quote, e.quote_en, e.span) if x
    ]
    out += [ds.translations["ru"].get(("figures", f.figure_id, "quote_en"), "") for f in ds.figures.values()]
    return [v for v in out if v]


def other_date_forms(text: str) -> list[str]:
    return [text[max(0, m.start() - 20) : m.end() + 20] for rule in OTHER_DATE_FORMS for m in rule.finditer(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_date_on_screen_in_images_and_in_the_csv_comes_from_one_style(lang):
    from kztrade.cards import CARD_SIZES, quote_card
    from kztrade.charts import CHARTS, build_chart, compose
    from kztrade.table import figures_table

    ds = load_dataset()
    tr = Tr(lang, ds.translations.get(lang, {}))
    fragments = [" ".join(v.split())[:25] for v in verbatim_texts(ds) if len(v) >= 25]

    def ours(text: str) -> bool:
        flat = " ".join(re.sub(r"\\([^\w\s])", r"\1", re.sub(r"<[^>]+>", " ", text)).split())
        return not flat.startswith(">") and not any(f in flat for f in fragments)

    texts = []
    for view in ("overview", "turnover", "containers", "brics", "interview", "data"):
        at = run_app({"view": view, "lang": lang})
        texts += [e.value for kind in ("markdown", "caption", "code") for e in getattr(at, kind)] + [
            e.label for e in at.expander
        ]
    for chart_id in CHARTS:
        texts += [t for _p, _y, t in drawn_texts(compose(build_chart(ds, chart_id, tr)))]
    for f in ds.headline():
        for size in CARD_SIZES:
            texts += [
                a.text for a in quote_card(ds, f.figure_id, tr, size).figure.layout.annotations if a.name != "excerpt"
            ]
    for row in figures_table(ds, Words(ds, tr)):
        texts += [str(v) for k, v in row.items() if k not in ("quote", "quote_translation", "address")]
    spans = [
        x for x in [*(f.span for f in ds.figures.values()), *(e.span for e in ds.events)] if x
    ]  # quoted as printed
    plain_texts = []
    for t in texts:
        if ours(t):
            t = re.sub(r"\\([^\w\s])", r"\1", t).replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
            for span in spans:
                t = t.replace(span, "")
            plain_texts.append(t)
    assert len(plain_texts) > 200
    faults = [fault for t in plain_texts for fault in other_date_forms(t)]
    assert faults == [], faults[:10]


def test_our_english_uses_the_typographic_apostrophe_beside_curly_quotes():
    """Our words, on the page and in the images: ’ not ' (the interview and the sources keep theirs, as printed)."""
    from kztrade.charts import CHARTS, build_chart, compose

    ds = load_dataset()
    at = run_app({"view": "overview", "lang": "en"})
    ours = [
        re.sub(r"\\([^\w\s])", r"\1", m.value)
        for m in at.markdown
        if not m.value.startswith("> ") and "[See the chart]" in m.value
    ]
    assert ours and not any(re.search(r"[A-Za-z]'[A-Za-z]", t) for t in ours), ours
    assert any("News.Az’s" in re.sub(r"\\([^\w\s])", r"\1", m.value) for m in at.markdown)
    for chart_id in CHARTS:
        composed = compose(build_chart(ds, chart_id))
        drawn = [t for name in ("label", "subtitle", "title", "source") for _p, _y, t in drawn_texts(composed, name)]
        assert not any(re.search(r"[A-Za-z]'[A-Za-z]", t) for t in drawn), chart_id
