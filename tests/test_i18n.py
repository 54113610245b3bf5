"""Russian: the catalogue is complete and current, numbers and dates follow Russian conventions through Babel,
data text has its Russian, quotes are never translated, every view at ?lang=ru shows none of our English,
and the charts, cards and exports come out in Russian with Cyrillic that renders."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import Image
from streamlit.testing.v1 import AppTest

from kztrade import export
from kztrade.cards import quote_card
from kztrade.charts import CHARTS, build_chart, compose
from kztrade.cli import main as cli_main
from kztrade.i18n import LOCALE_DIR, Tr
from kztrade.load import load_dataset
from kztrade.routes import VIEWS

from .conftest import ROOT, edit_cell, edit_translation, nav_links, unfolded

POT = LOCALE_DIR / "kztrade.pot"
PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / "kztrade.po"
MO = LOCALE_DIR / "ru" / "LC_MESSAGES" / "kztrade.mo"
APP = str(ROOT / "app.py")


def catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def msgids(m) -> tuple[str, ...]:
    """A message's English: its id, or its singular and plural for a message with a count."""
    return tuple(m.id) if isinstance(m.id, (tuple, list)) else (m.id,)


def test_the_template_is_what_the_code_says_now(tmp_path):
    """Run the same extraction as `make i18n`: the committed template must hold exactly its messages."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "n_:1,2",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert sorted(map(str, (m.id for m in catalogue(fresh) if m.id))) == sorted(
        map(str, (m.id for m in catalogue(POT) if m.id))
    )


def test_every_message_has_its_russian_and_the_compiled_catalogue_is_current():
    po = catalogue(PO)
    ids = {m.id for m in catalogue(POT) if m.id}
    assert {m.id for m in po if m.id} == ids
    assert [m.id for m in po if m.id and (not m.string or m.fuzzy)] == []
    with open(MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    singular = [m for m in po if m.id and not m.pluralizable]
    assert {m.id: mo.gettext(m.id) for m in singular} == {m.id: m.string for m in singular}
    plural = [m for m in po if m.id and m.pluralizable]
    assert plural  # counts are said in every Russian plural form
    for m in plural:
        assert all(m.string) and len(m.string) == 3, m.id
        # 1, 3 and 5 take Russian's three forms (one, few, many): each must come out of the compiled catalogue
        assert [mo.ngettext(m.id[0], m.id[1], n) for n in (1, 3, 5)] == list(m.string), m.id
    assert len(ids) >= 150


def test_no_message_hides_inside_an_f_string():
    """Babel cannot see a call inside an f-string's braces: such a string would never reach the catalogue."""
    hidden = []
    for path in ROOT.glob("kztrade/**/*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""f["'][^"']*\{[^}]*\b_\(\s*["']""", line):
                hidden.append(f"{path.name}:{n}")
    assert hidden == []


def test_russian_numbers_dates_and_periods_come_from_babel():
    ru = Tr("ru")
    assert ru.num(17.2, 1) == "17,2" and ru.num(1234.5, 1) == "1\u00a0234,5"
    assert ru.pct(63, 0, True) == "+63\u00a0%" and ru.pct(-9.5, 1, True) == "−9,5\u00a0%"
    # CLDR puts a narrow no-break space before "г." and spaced dashes in Russian intervals
    assert ru.date("2023-11-09") == "9 нояб. 2023\u202fг." and ru.date("2024-10") == "окт. 2024\u202fг."
    from datetime import date

    # Babel's intervals, their spaces made unbreakable (a period is one item on a line)
    assert ru.period(date(2024, 1, 1), date(2024, 8, 31)) == "янв.\u00a0—\u00a0авг.\u00a02024\u202fг."
    assert Tr().period(date(2024, 1, 1), date(2024, 8, 31)) == "Jan\u202f–\u202fAug\u00a02024"


def test_chart_and_card_text_never_splits_a_year_from_its_mark():
    # the interview's Russian date is data text with a plain space: a plotly line must never start with "г."
    from kztrade.charts import wrap

    text = "вопрос 3 (собеседник: Магбат Спанов), октябрь 2024 г. (приблизительно), и 2023–2024 гг. подряд"
    for width in range(8, 60):
        lines = wrap(text, width)
        assert not any(line.startswith("г") for line in lines), (width, lines)
        assert " ".join(lines).replace("\u00a0", " ") == text


def test_a_missing_russian_text_fails_check_with_file_row_and_field(data_copy, capsys):
    edit_translation(data_copy, "ru", "figures", "kz_turnover_2021", "label", None)
    edit_translation(data_copy, "ru", "events", "brics_2024_10_16_uali", "short_label", None)
    assert cli_main(["check", "--data", str(data_copy)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "figures.csv, row 8 (kz_turnover_2021), field label: has no Russian text: add the row "
        "figures,kz_turnover_2021,label to translations-ru.csv",
        "events.csv, row 5 (brics_2024_10_16_uali), field short_label: has no Russian text: add the row "
        "events,brics_2024_10_16_uali,short_label to translations-ru.csv",
    ]


def test_a_translation_cannot_outlive_its_english(data_copy, capsys):
    edit_translation(data_copy, "ru", "figures", "kz_turnover_2021", "status_note", "лишний текст")
    edit_translation(data_copy, "ru", "figures", "no_such_figure", "label", "нет такой")
    edit_translation(data_copy, "ru", "figures", "kz_turnover_2021", "value", "14")
    assert cli_main(["check", "--data", str(data_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    rows = {line.split(" (")[0]: line for line in out}
    assert len(out) == 3, out
    assert any(
        line.endswith(
            "(figures/kz_turnover_2021/status_note), field text: translates figures.status_note, which is "
            "empty: remove this row"
        )
        for line in out
    ), out
    assert any(
        "(figures/no_such_figure/label), field id: figures has no record 'no_such_figure'" in line for line in out
    )
    assert any(
        "(figures/kz_turnover_2021/value), field field: figures.value is not a field marked" in line for line in out
    )
    assert all(key.startswith("translations-ru.csv, row ") for key in rows), out


def test_a_changed_english_text_is_translated_again_on_purpose(data_copy, capsys):
    """Like gettext's fuzzy entries, for data: an English text edited after its translation is reported, not shown
    beside a translation of the old words."""
    edit_cell(data_copy, "figures", "kz_turnover_2021", "label", "Kazakh–Russian trade turnover", retranslated=False)
    assert cli_main(["check", "--data", str(data_copy)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("translations-ru.csv, row ") and line.endswith(
        "(figures/kz_turnover_2021/label), field english: the English of figures.label has changed since this was "
        "translated: translate it again and copy the new English here"
    )


def english_fragments() -> list[str]:
    """Runs of three or more words from our English messages that must not appear on a Russian page.

    Fragments that also occur in quoted text (the interview, a source's sentence) are left out: those are shown
    verbatim."""
    ds = load_dataset()
    quoted = " ".join(
        [t.text for t in ds.turns]
        + [f.quote for f in ds.figures.values()]
        + [e.quote for e in ds.events]
        + [e.quote for e in ds.evidence.values()]
    )
    out = set()
    for m in catalogue(POT):
        if not m.id:
            continue
        for piece in re.split(r"\{[^}]*\}|[.;:()“”,]", " . ".join(msgids(m))):
            words = piece.split()
            prose = [w for w in words if w.isalpha() and w.islower() and w != "kztrade"]  # not names such as "CC BY 4"
            if len(words) >= 3 and prose and " ".join(words) not in quoted:
                out.add(" ".join(words))
    return sorted(out | english_data_text(ds, quoted))


def english_data_text(ds, quoted: str) -> set[str]:
    """The English of every data field that has a different Russian text ("TASS" for «ТАСС»), unless it is also
    quoted."""
    records = {
        "figures": ds.figures,
        "sources": ds.sources,
        "derivations": ds.derived,
        "events": {e.event_id: e for e in ds.events},
        "interview": {ds.interview.interview_id: ds.interview},
        "turns": {t.turn_id: t for t in ds.turns},
        "evidence": ds.evidence,
        "claims": {c.claim_id: c for c in ds.claims},
        "claim-history": {h.history_id: h for changes in ds.history.values() for h in changes},
    }
    out = set()
    for (table, key, field), russian in ds.translations["ru"].items():
        english = getattr(records[table][key], field)
        if english != russian and re.search("[A-Za-z]", english) and english not in quoted:
            out.add(english)
    return out


def shown_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "title", "info", "warning", "error", "code")
        for e in getattr(at, kind)
    ]
    parts += [name for _v, _lang, name, _shown in nav_links(at)]
    parts += [c.proto.spec + " " + c.proto.alt for c in at.get("plotly_chart")]
    parts += [b.label for b in at.get("download_button")]
    parts += [
        " ".join(map(str, t.value.columns))
        + " "
        + " ".join(map(str, t.value.drop(columns=t.value.columns[-1:]).to_numpy().ravel()))
        for t in at.table
    ]  # every cell but the quotes, which stay in their source's language
    return re.sub(r"\\([^\w\s])", r"\1", "\n".join(parts)).replace("\u2009", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("view", list(VIEWS) + list(CHARTS))
def test_every_view_in_russian_shows_none_of_our_english(view):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = view
    at.query_params["lang"] = "ru"
    at.run()
    assert not at.exception
    text = shown_text(at)
    assert re.search(r"[а-яА-Я]{4}", text)
    leftovers = [f for f in english_fragments() if f in text]
    assert leftovers == []
    assert not re.search(r"(?<!\.)\.\.(?!\.)", text), re.findall(
        r".{30}(?<!\.)\.\.(?!\.).{10}", text
    )  # no "2024 г.." double points


def test_quotes_stay_in_their_own_words_on_the_russian_page():
    texts = []
    for view in ("turnover", "turnover_series"):  # the view, and the chart of every statement it links to
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["view"] = view
        at.query_params["lang"] = "ru"
        at.run()
        texts.append(shown_text(unfolded(at)))
    text = "\n".join(texts)
    ds = load_dataset()
    assert "> - Trade turnover between Kazakhstan and Russia" not in text  # the "- " marker is not shown
    assert (
        "Trade turnover between Kazakhstan and Russia from January to August 2024 amounted to" in text
    )  # the interview, in English
    assert "Verbatim, in English" not in text and "Дословно, на английском, как напечатал News.Az." in text
    assert "По итогам 2024 года товарооборот вырос на 20%" in text  # a Russian quote, as it is
    assert "Our translation" not in text
    russian = [f for f in ds.figures.values() if f.quote_lang == "ru" and f.quote and f.topic == "turnover"]
    assert len(russian) >= 3
    plain = text.replace("**", "")  # the number in each quote is set in bold
    for f in russian:  # shown as is, with no translation of ours under it
        assert f.quote in plain and f"Наш перевод: {f.quote[:40]}" not in text and f.quote_en not in text
    assert (
        "Наш перевод: В прошлом году товарооборот России и Казахстана превысил 27 миллиардов долларов:" in text
    )  # a German one
    assert ds.figures["kz_turnover_2021"].quote in plain  # an English quote, as it is


def test_russian_charts_and_cards_render_cyrillic():
    ds = load_dataset()
    ru = Tr("ru", ds.translations["ru"])
    c = build_chart(ds, "turnover_ytd", ru)
    assert c.title.startswith("Товарооборот за янв.") and c.lang == "ru"
    svg = export.to_svg(compose(c)).decode("utf-8")
    assert "Товарооборот" in svg and "Казахстанская сторона" in svg and "17,2" in svg
    card = quote_card(ds, "kz_ru_turnover_2024_jan_aug", ru)
    png = export.exporter().render(card.figure, "png", scale=1, width=card.figure.layout.width)
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.size == (1200, 675)
    # Cyrillic drawn as glyphs, not boxes: the card's ink covers a share of the image like the English card's does.
    en_png = export.exporter().render(quote_card(ds, "kz_ru_turnover_2024_jan_aug").figure, "png", scale=1, width=1200)
    ink = lambda im: sum(im.histogram()[:128]) / (im.width * im.height)  # noqa: E731
    assert 0.6 < ink(img) / ink(Image.open(io.BytesIO(en_png)).convert("L")) < 1.6
    card_svg = export.exporter().render(card.figure, "svg", width=1200).decode("utf-8")
    drawn = " ".join(re.sub(r"<[^>]+>", " ", card_svg).replace("&nbsp;", " ").replace("\u00a0", " ").split())
    assert "Это слова журналиста News.Az в вопросе, а не Магбата Спанова" in drawn


@pytest.mark.slow
def test_the_cli_exports_russian_files_with_a_ru_suffix(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kztrade", "export", "--lang", "ru", "--scale", "1", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    claimed = [
        f"claim-{c.claim_id}-card.ru.png"
        for c in load_dataset().claims
        if c.verdict not in ("outside_subject", "opinion")
    ]
    assert names == sorted(
        [f"{c}.ru.png" for c in CHARTS]
        + claimed
        + [
            f"{f}-card.ru.png"
            for f in ("kz_ru_turnover_2024_jan_aug", "containers_ru_cn_via_kz_growth", "containers_cn_eu_cn_growth")
        ]
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kztrade",
            "export",
            "--lang",
            "ru",
            "--format",
            "svg",
            "--only",
            "brics_timeline",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Казахстан и БРИКС" in (tmp_path / "brics_timeline.ru.svg").read_text(encoding="utf-8")


def test_a_missing_catalogue_falls_back_to_english_and_says_so_in_the_log(tmp_path, caplog):
    from kztrade.i18n import catalogue as compiled

    with caplog.at_level("WARNING", logger="kztrade"):
        found = compiled("ru", tmp_path)  # a locale folder with no ru/LC_MESSAGES/kztrade.mo
    assert found.gettext("Claims") == "Claims"
    assert any("no ru catalogue" in r.getMessage() and "make i18n" in r.getMessage() for r in caplog.records)
    assert compiled("ru").gettext("Claims") == "Утверждения"  # the real one is found as before


@pytest.mark.parametrize(
    "asked, lang", [("ru-RU", "ru"), ("ru", "ru"), ("en-GB", "en"), ("de-DE", "en"), ("", "en"), ("RU_ru", "ru")]
)
def test_the_browsers_language_is_taken_from_the_one_list_of_languages(asked, lang, monkeypatch):
    import streamlit as st

    from kztrade.ui import browser_lang

    monkeypatch.setattr(type(st.context), "locale", property(lambda self: asked))
    assert browser_lang() == lang
