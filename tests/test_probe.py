"""The held-out probe's findings, each reproduced: spoofed text, grown data, content stamps, the CLI's echo,
links and full disks. Browser reproductions (hostile paths, the pandas import race, a stale click) are at the end."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from PIL import Image

from kztrade import cli, export_cli
from kztrade.cards import CARD_SIZES, quote_card
from kztrade.charts import CHARTS, MAX_BARS, build_chart, compose
from kztrade.check import check_data
from kztrade.export import MAX_SIDE_PX, exporter, fit_scale
from kztrade.guard import content_stamp
from kztrade.i18n import LANGS, Tr
from kztrade.load import load_dataset
from kztrade.routes import public_base

from .conftest import DATA_DIR, edit_cell, translate_copies
from .plotted import bar_points


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in check_data(folder, None, full=False)]


def grown(folder: Path, rows_to_add: list[dict]) -> Path:
    """folder's figures.csv with rows added (each a changed copy of an existing row)."""
    path = folder / "figures.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows + rows_to_add)
    # each copy is named <the id it copies>_copy<n> or _g<n>, and has that record's translations
    translate_copies(
        folder, "figures", {r["figure_id"]: re.sub(r"_(copy|g)\d+$", "", r["figure_id"]) for r in rows_to_add}
    )
    return folder


def figure_rows() -> list[dict]:
    with open(DATA_DIR / "figures.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def copies(row: dict, n: int, **change) -> list[dict]:
    """n copies of a row with new ids (and any field changed by a function of the copy's number)."""
    return [
        dict(row, figure_id=f"{row['figure_id']}_copy{i}", **{k: fn(i) for k, fn in change.items()}) for i in range(n)
    ]


def tr_for(ds, lang: str) -> Tr:
    return Tr(lang, ds.translations.get(lang, {}))


# --- 2. bidi controls and zero-width characters -----------------------------------------------------------


@pytest.mark.parametrize(
    "char, name",
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_a_quote_that_reads_differently_from_its_bytes_is_refused(data_copy, char, name):
    # The probe's case: value 71 and a quote whose "71" a right-to-left override shows as "17".
    quote = (
        f"Trade turnover reached ${char}71\u202c billion."
        if char == "\u202e"
        else f"Trade turnover reached $7{char}1 billion."
    )
    edit_cell(data_copy, "figures", "kz_turnover_2023_jan_aug", "quote", quote)
    found = [p for p in problems_of(data_copy) if "field quote:" in p]
    assert (
        found
        and found[0].startswith("figures.csv, row ")
        and "(kz_turnover_2023_jan_aug), field quote: holds an invisible character" in found[0]
    )
    assert f"U+{ord(char):04X} {name}" in found[0]
    assert char not in "".join(problems_of(data_copy))  # the problem line itself shows no such character


def test_an_invisible_character_is_refused_in_any_table(data_copy):
    edit_cell(data_copy, "sources", "tass_1861533", "outlet", "TA\u200dSS")
    assert any(
        p.startswith("sources.csv, row ") and "field outlet: holds an invisible character (U+200D" in p
        for p in problems_of(data_copy)
    )


def test_the_shipped_data_holds_no_invisible_character():
    pattern = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
    for path in DATA_DIR.iterdir():
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name


# --- 7. the data stamp is the content --------------------------------------------------------------------


def test_a_same_size_edit_with_its_mtime_put_back_changes_the_stamp(data_copy):
    path = data_copy / "figures.csv"
    before, st = content_stamp(data_copy), path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("17.2", "71.2", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert content_stamp(data_copy) != before
    path.write_text(text, encoding="utf-8")
    assert content_stamp(data_copy) == before  # the same bytes give the same stamp: caches are reused


def test_the_stamp_sees_a_planted_link_and_a_missing_folder(data_copy, tmp_path):
    before = content_stamp(data_copy)
    (data_copy / "extra.csv").symlink_to(tmp_path)
    assert content_stamp(data_copy) != before
    assert content_stamp(tmp_path / "nowhere") == ""


# --- 3. data that check passes must draw ---------------------------------------------------------------


def jan_aug_rows(n: int) -> list[dict]:
    """n more January-August statements, for earlier years than any in data/."""
    row = next(r for r in figure_rows() if r["figure_id"] == "kz_turnover_2023_jan_aug")
    return copies(row, n, period_start=lambda i: f"{2019 - i}-01-01", period_end=lambda i: f"{2019 - i}-08-31")


@pytest.mark.parametrize("extra", [4, 12])
def test_every_card_draws_with_more_statements_for_the_same_months(data_copy, extra):
    ds = load_dataset(grown(data_copy, jan_aug_rows(extra)), None)
    for lang in LANGS:
        for size, cs in CARD_SIZES.items():
            for f in ds.headline():
                card = quote_card(ds, f.figure_id, tr_for(ds, lang), size)
                assert card.figure.layout.yaxis.domain[0] >= 0
                assert (card.figure.layout.width, card.figure.layout.height) == (cs.width, cs.height)


def test_a_card_never_cuts_its_label(data_copy):
    ds = load_dataset()
    for lang in LANGS:
        tr = tr_for(ds, lang)
        for size in CARD_SIZES:
            for f in ds.headline():
                card = quote_card(ds, f.figure_id, tr, size)
                label = next(a.text for a in card.figure.layout.annotations if a.name == "label")
                plain = re.sub(r"<[^>]+>", " ", label).replace("\u00a0", " ")
                words = " ".join(plain.split())
                whole = " ".join(f"{Words_label(ds, tr, f)}".replace("\u00a0", " ").split())
                assert words == whole, (lang, size, f.figure_id)
    ru = quote_card(ds, "kz_ru_turnover_2024_jan_aug", tr_for(ds, "ru"), "landscape")
    assert re.search("2024[\u00a0\u202f]г\\.", next(a.text for a in ru.figure.layout.annotations if a.name == "label"))


def Words_label(ds, tr, f) -> str:  # noqa: N802 - the card's label as the statements give it
    from kztrade.statements import Words

    w = Words(ds, tr)
    return f"{w.fig(f, 'label')}, {w.period(f)}"


def test_the_cli_builds_only_what_only_names(data_copy, monkeypatch):
    ds = load_dataset(grown(data_copy, jan_aug_rows(4)), None)

    def no_cards(*_a, **_k):
        raise AssertionError("a card was built for --only turnover_ytd")

    monkeypatch.setattr(export_cli, "quote_card", no_cards)
    todo = export_cli.items(ds, ["turnover_ytd"], Tr(), "landscape")
    assert [i for i, _f, _w in todo] == ["turnover_ytd"]


def test_a_grown_chart_caps_its_bars_says_so_and_still_exports(data_copy):
    context = [r for r in figure_rows() if r["kind"] == "context" and r["unit"] == "usd_bn" and r["period_start"]]
    extra = [dict(r, figure_id=f"{r['figure_id']}_g{i}") for i in range(8) for r in context]  # about 158 figures in all
    ds = load_dataset(grown(data_copy, extra), None)
    assert len(ds.figures) >= 150
    plotted = [f for f in ds.figures.values() if f.measure == "turnover" and f.unit == "usd_bn" and f.has_period]
    for lang in LANGS:
        tr = tr_for(ds, lang)
        c = build_chart(ds, "turnover_series", tr)
        assert len(bar_points(c.figure)) == MAX_BARS
        assert len(c.notes) == 1 and tr.num(len(plotted) - MAX_BARS) in c.notes[0]
        composed = compose(c)
        assert composed.layout.height * 2 <= MAX_SIDE_PX
        drawn = " ".join(a.text for a in composed.layout.annotations if a.name == "subtitle").replace("<br>", " ")
        assert " ".join(c.notes[0].split()) in " ".join(drawn.split())  # the PNG says it too
    english = build_chart(ds, "turnover_series")
    assert english.notes[0].startswith(f"{len(plotted) - MAX_BARS} earlier statements are not drawn here")
    russian = build_chart(ds, "turnover_series", tr_for(ds, "ru")).notes[0]
    assert russian.startswith(f"{len(plotted) - MAX_BARS} более ранних заявлени") and "«Данные и источники»" in russian
    assert "kz_ru_turnover_2024_jan_aug" in english.shown  # the interview's figure is always drawn


def test_a_tall_figure_is_exported_at_a_lower_scale_instead_of_refused():
    assert fit_scale(2, 600, 1000) == 2
    assert fit_scale(2, 600, 4000) == MAX_SIDE_PX / 4000
    assert fit_scale(2, 600, 4000) * 4000 <= MAX_SIDE_PX


def test_a_grown_chart_png_is_made(data_copy):
    context = [r for r in figure_rows() if r["kind"] == "context" and r["unit"] == "usd_bn" and r["period_start"]]
    ds = load_dataset(
        grown(data_copy, [dict(r, figure_id=f"{r['figure_id']}_g{i}") for i in range(8) for r in context]), None
    )
    fig = compose(build_chart(ds, "turnover_series"))
    png = exporter().render(fig, "png", scale=fit_scale(2, 600, fig.layout.height), width=600)
    img = Image.open(io.BytesIO(png))
    assert img.size[0] == 1200 and img.size[1] <= MAX_SIDE_PX


# --- 4. growth: every chart and the phone table stay bounded at 10,000 figures -----------------------


def test_ten_thousand_figures_draw_bounded_charts(data_copy):
    context = [r for r in figure_rows() if r["kind"] == "context"]
    extra = [
        dict(context[i % len(context)], figure_id=f"{context[i % len(context)]['figure_id']}_g{i}")
        for i in range(10_000 - len(figure_rows()))
    ]
    ds = load_dataset(grown(data_copy, extra), None)
    assert len(ds.figures) == 10_000
    for chart_id in CHARTS:
        c = build_chart(ds, chart_id)
        assert len(bar_points(c.figure)) <= MAX_BARS, chart_id
        assert compose(c).layout.height * 2 <= MAX_SIDE_PX, chart_id


# --- 9. the CLI's echo of what it refuses --------------------------------------------------------------


def run_main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_a_huge_refused_only_is_cut_short_and_escaped(tmp_path):
    code, out, err = run_main(
        "export", "--out", str(tmp_path), "--only", "\x1b[31m" + "x" * 100_000 + "\x1b[0m,\u202eevil"
    )
    assert code == 1 and out == ""
    assert "\x1b" not in err and "\u202e" not in err and len(err) < 2000
    assert err.startswith("kztrade export: unknown id(s): '\\x1b[31mxxx") and "\\u202eevil" in err
    assert "Known: brics_timeline, " in err


@pytest.mark.parametrize("only", [",,,", "", " , "])
def test_an_empty_only_is_refused_not_read_as_everything(tmp_path, only):
    code, out, err = run_main("export", "--out", str(tmp_path), "--only", only)
    assert code == 1 and out == "" and list(tmp_path.iterdir()) == []
    assert "--only names no id" in err


# --- 8. writing files: never through a link, never half ------------------------------------------------


def test_export_replaces_a_planted_link_instead_of_writing_through_it(tmp_path):
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_text("keep me")
    (out / "brics_timeline.svg").symlink_to(victim)
    (out / "containers_index.svg").symlink_to(tmp_path / "created-by-a-dangling-link")
    code, stdout, err = run_main(
        "export", "--out", str(out), "--format", "svg", "--only", "brics_timeline,containers_index"
    )
    assert code == 0, err
    assert victim.read_text() == "keep me" and not (tmp_path / "created-by-a-dangling-link").exists()
    for name in ("brics_timeline.svg", "containers_index.svg"):
        assert not (out / name).is_symlink() and (out / name).read_bytes().startswith(b"<svg")
    assert sorted(p.name for p in out.iterdir()) == ["brics_timeline.svg", "containers_index.svg"]


def test_a_full_disk_leaves_no_truncated_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "containers_index.svg").write_bytes(b"the old image")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_cli.os, "fsync", full)
    code, _out, err = run_main("export", "--out", str(out), "--format", "svg", "--only", "containers_index")
    assert code == 1 and "No space left on device" in err and "choose another folder with --out" in err
    assert [p.name for p in out.iterdir()] == ["containers_index.svg"]  # no temporary file left behind
    assert (out / "containers_index.svg").read_bytes() == b"the old image"


# --- 1. links are built from a parsed, allowlisted address ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8501/x)[Full_sources_and_data](https:evil.example)(?view=turnover_ytd&lang=en&embed=true",
        "http://127.0.0.1:8501/x)(www.evil.example?view=turnover_ytd&embed=true",
        "http://127.0.0.1:8501/:red-background[pwned]?view=turnover_ytd",
        "http://127.0.0.1:8501/%29%5Bx%5D(https://evil.example)",
    ],
)
def test_the_request_path_never_reaches_a_link(url):
    assert public_base("", url, "") == "http://127.0.0.1:8501/"


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example)/",
        "http://user:pw@example.org/",
        "javascript:alert(1)",
        "http://exa mple.org/",
        "http://127.0.0.1:99999/",
        "ftp://example.org/",
    ],
)
def test_an_address_that_is_not_plain_gives_relative_links(url):
    assert public_base("", url, "") == ""


def test_the_public_address_setting_wins_when_it_is_plain_https():
    assert (
        public_base("https://kztrade.example.org/app", "http://127.0.0.1:8501/x)", "")
        == "https://kztrade.example.org/app/"
    )
    assert public_base("http://kztrade.example.org", "http://127.0.0.1:8501/", "") == "http://127.0.0.1:8501/"
    assert (
        public_base("https://kztrade.example.org/a)b", "http://127.0.0.1:8501/", "") == "https://kztrade.example.org/"
    )
    assert public_base("", "http://127.0.0.1:8501/anything", "kz/app") == "http://127.0.0.1:8501/kz/app/"
    assert public_base("", "http://127.0.0.1:8501/", "../x") == "http://127.0.0.1:8501/"


# --- in the browser: 1. hostile paths, 5. the first pandas import, 6. a click on a stale button ------------


@pytest.fixture(scope="module")
def browser():
    from .browser import launched_browser

    yield from launched_browser()


@pytest.fixture(scope="module")
def server():
    from .browser import streamlit_server

    with streamlit_server() as (url, _proc):
        yield url


HOSTILE_PATHS = ["/x)[Full_sources_and_data](https:evil.example)(", "/x)(www.evil.example", "/:red-background[pwned]"]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_hostile_path_puts_no_link_or_banner_on_the_embed(browser, server, path):
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{server}{path}?view=turnover_ytd&lang=en&embed=true")
        pg.locator(".js-plotly-plot >> visible=true").first.locator(".main-svg").first.wait_for(timeout=45000)
        back = pg.get_by_role("link", name="Open this chart with its sources in kztrade")
        expect(back).to_have_attribute("href", f"{server}/?view=turnover&lang=en")
        assert (
            pg.locator("a[href*='evil']").count() == 0
            and pg.locator("a", has_text="Full_sources_and_data").count() == 0
        )
        assert pg.locator(".stMarkdownColoredBackground", has_text="pwned").count() == 0
    finally:
        ctx.close()


def test_a_hostile_path_stays_out_of_the_snippet_and_the_citation(browser, server):
    from .browser import open_page

    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{server}{HOSTILE_PATHS[0]}?view=data&lang=en")
        pg.wait_for_selector("[data-testid=stCode]", timeout=45000)
        cites = pg.locator("[data-testid=stCode]").all_inner_texts()
        assert cites and all("evil" not in c and "Full_sources" not in c for c in cites)
        assert server not in cites[0] and "Accessed " in cites[0]  # a local server's address is never cited
        open_page(pg, server, "view=brics_timeline&lang=en", 1)
        pg.goto(f"{server}{HOSTILE_PATHS[0]}?view=brics_timeline&lang=en")
        pg.locator(".js-plotly-plot >> visible=true").first.locator(".main-svg").first.wait_for(timeout=45000)
        pg.get_by_role("button", name="CSV, HTML, embed").click()
        code = pg.locator("[data-testid=stPopoverBody] code").first.inner_text()
        assert (
            code.startswith(f'<iframe src="{server}/?view=brics_timeline&amp;lang=en&amp;embed=true"')
            and "evil" not in code
        )
    finally:
        ctx.close()


@pytest.mark.parametrize("attempt", range(3))
def test_two_quick_view_switches_on_a_fresh_server_draw_both(browser, attempt):
    from playwright.sync_api import expect

    from .browser import streamlit_server

    with streamlit_server() as (url, _proc):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            pg = ctx.new_page()
            pg.goto(f"{url}/?view=interview&lang=en")  # a view with no chart: plotly and pandas are not loaded yet
            pg.wait_for_selector("nav.kz-views", timeout=45000)
            pg.locator("nav.kz-views a", has_text="Trade turnover").click()  # a new page, its load cut short
            pg.locator("nav.kz-views a", has_text="Container transit").click()
            expect(pg.locator("h2").first).to_have_text("Container transit", timeout=45000)
            from .browser import VISIBLE_CHART

            expect(pg.locator(VISIBLE_CHART)).to_have_count(2, timeout=45000)
            expect(pg.locator(VISIBLE_CHART).nth(1).locator(".main-svg").first).to_be_visible(timeout=45000)
            assert "could not be drawn" not in pg.locator("[data-testid=stMain]").inner_text()
        finally:
            ctx.close()


def test_a_click_just_after_choosing_a_language_never_gives_a_file_in_the_old_one(browser, server):
    """The probe's stale click: Русский, then a card download before the page is drawn again. Both clicks are sent
    in one step, so the second lands on the button drawn for English; with the switch as a rerun that gave
    the English card. The switch now loads the page afresh, so the old button is gone."""
    from playwright.sync_api import expect

    from .browser import CHARTS_PER_VIEW, card_button, open_page

    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        pg = ctx.new_page()
        got = []
        pg.on("download", lambda d: got.append(d.suggested_filename))
        open_page(pg, server, "view=overview&lang=en", CHARTS_PER_VIEW["overview"])
        card_button(pg, "containers_ru_cn_via_kz_growth", "landscape")  # its popover open, as a reader's would be
        pg.evaluate("""() => { document.querySelector('.kz-lang a[lang=ru]').click();
            document.querySelector('.st-key-card-containers_ru_cn_via_kz_growth-landscape button').click(); }""")
        expect(pg.locator(".kz-lang a.kz-current")).to_have_text("Русский", timeout=30000)
        assert "lang=ru" in pg.url and "view=overview" in pg.url
        pg.wait_for_timeout(3000)
        assert not [name for name in got if not name.endswith(".ru.png")], got
        with pg.expect_download(timeout=90000) as dl:  # the new page's button makes the Russian card
            card_button(pg, "containers_ru_cn_via_kz_growth", "landscape").click()
        assert dl.value.suggested_filename == "containers_ru_cn_via_kz_growth-card.ru.png"
    finally:
        ctx.close()


# --- also observed: an idle export browser is released ---------------------------------------------------


@pytest.mark.slow
def test_an_idle_export_browser_is_closed_and_the_next_export_starts_one():
    import psutil

    from kztrade.export import Exporter

    ds = load_dataset()
    fig = compose(build_chart(ds, "containers_index"))
    ex = Exporter(idle_close=1.0)
    try:
        first = ex.render(fig, "png")
        pid = ex.browser_pid
        assert pid is not None and psutil.pid_exists(pid)
        deadline = time.monotonic() + 20
        while ex.browser_pid is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ex.browser_pid is None
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert ex.render(fig, "png") == first and ex.starts == 2  # the same image from a new browser
    finally:
        ex.close()


@pytest.mark.parametrize(
    "text, seconds", [(None, 600.0), ("30", 30.0), ("0", None), ("abc", 600.0), ("-5", 600.0), ("nan", 600.0)]
)
def test_the_idle_close_setting_reads_safely(text, seconds):
    from kztrade.export import idle_close_setting

    assert idle_close_setting(text) == seconds


# --- every exported image carries the address of its view (issue "A page a journalist would share", point 9) ---


def test_images_carry_the_address_of_their_view_from_the_one_setting(monkeypatch):
    from kztrade.routes import image_address

    assert (
        image_address("turnover_ytd", "en", "https://kztrade.example.org") == "kztrade.example.org/?view=turnover_ytd"
    )
    assert (
        image_address("turnover_ytd", "ru", "https://kztrade.example.org/app")
        == "kztrade.example.org/app/?view=turnover_ytd&lang=ru"
    )
    assert (
        image_address("turnover_ytd", "en", "") == ""
        and image_address("turnover_ytd", "en", "http://plain.example") == ""
    )
    assert image_address("x)[evil](https://e.example", "en", "https://kztrade.example.org") == ""
    monkeypatch.setenv("KZTRADE_PUBLIC_URL", "https://kztrade.example.org")
    ds = load_dataset()
    for lang in LANGS:
        tr = tr_for(ds, lang)
        for chart_id in CHARTS:
            composed = compose(build_chart(ds, chart_id, tr))
            drawn = "".join(a.text for a in composed.layout.annotations if a.name == "source").replace("<br>", "")
            assert image_address(chart_id, lang).replace("&", "&amp;") in drawn, (
                chart_id,
                lang,
            )  # plotly text, escaped
        card = quote_card(ds, "containers_cn_eu_cn_growth", tr, "portrait")
        drawn = "".join(a.text for a in card.figure.layout.annotations if a.name == "source").replace("<br>", "")
        assert image_address("containers_growth", lang).replace("&", "&amp;") in drawn
    monkeypatch.delenv("KZTRADE_PUBLIC_URL")
    plain = build_chart(ds, "turnover_ytd")
    assert plain.credit == "Chart: kztrade · CC BY 4.0 · figures as each source printed them"
