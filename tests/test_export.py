"""PNG/SVG export: sizes, contents, concurrency, a missing browser, a hang, a killed browser, and no stray Chromium."""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import os
import re
import signal
import subprocess
import sys
import threading

import psutil
import pytest
from PIL import Image

from kztrade import export
from kztrade.cards import CARD_SIZES, all_cards
from kztrade.charts import CHARTS, EXPORT_WIDTH, build_chart, compose
from kztrade.load import load_dataset

from .browser import chromium_under
from .conftest import ROOT


def chromium_children() -> list[psutil.Process]:
    """Chromium processes started by this test process."""
    return chromium_under(psutil.Process())


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def figures(ds):
    """All eight exportable figures as their downloads draw them: five composed charts and three cards."""
    items = {cid: compose(build_chart(ds, cid)) for cid in CHARTS}
    items.update({c.chart_id: c.figure for c in all_cards(ds)})
    return items


def svg_text(svg: str) -> str:
    """The text an SVG draws, tags removed and entities decoded, one string."""
    bodies = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", b) for b in bodies)).replace("\u2009", " ")


def first_line(fig) -> str:
    """The first line of a figure's title (composed) or its label (card), as SVG text shows it: unique to each image."""
    name = "title" if any(a.name == "title" for a in fig.layout.annotations) else "label"
    text = next(a.text for a in fig.layout.annotations if a.name == name).split("<br>")[0]
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u2009", " ")


def test_pngs_decode_at_the_size_the_scale_implies_and_differ(figures):
    digests = set()
    for cid in CHARTS:
        fig = figures[cid]
        for scale in (1, 2):
            png = export.to_png(fig, scale=scale)
            img = Image.open(io.BytesIO(png))
            assert img.format == "PNG"
            assert img.size == (EXPORT_WIDTH * scale, fig.layout.height * scale), cid
            digests.add(hashlib.sha256(png).hexdigest())
    assert len(digests) == 2 * len(CHARTS)


def test_png_keeps_the_screen_colours(figures):
    img = Image.open(io.BytesIO(export.to_png(figures["turnover_ytd"], scale=1))).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1_000_000)}
    for hex_ in ("#0072B2", "#D55E00", "#E69F00"):
        assert tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5)) in colours, hex_
    dark = sum(
        n for n, c in img.getcolors(maxcolors=1_000_000) if max(c) < 30
    )  # Streamlit's placeholder template drew black bars
    assert dark < 0.02 * img.width * img.height


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_svg_draws_the_same_words_as_the_screen(ds, chart_id):
    c = build_chart(ds, chart_id)
    drawn = " ".join(
        svg_text(export.to_svg(compose(c)).decode("utf-8")).replace("\u2019", "'").split()
    )  # the image typesets ’
    for text in (c.title, c.source, c.credit):
        words = " ".join(text.replace("\u2009", " ").split())
        # the image wraps lines; every word of the title, source and credit is drawn, in order
        assert re.search(r"\s*".join(map(re.escape, words.split())), drawn), text


@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_cards_are_sized_for_feeds_and_no_text_is_under_10px_at_500px(ds, size):
    card = all_cards(ds, size=size)[0]
    png = export.exporter().render(card.figure, "png", scale=2, width=card.figure.layout.width)
    w, h = CARD_SIZES[size].width, CARD_SIZES[size].height
    assert Image.open(io.BytesIO(png)).size == (2 * w, 2 * h)
    svg = export.exporter().render(card.figure, "svg", width=w).decode("utf-8")
    sizes = [
        float(s)
        for s, body in re.findall(r"<text[^>]*font-size: ?([\d.]+)px[^>]*>(.*?)</text>", svg, re.S)
        if body.strip()
    ]
    assert sizes and min(sizes) * 500 / w >= 10, min(sizes)
    text = svg_text(svg)
    assert "News.Az’s words, in a question, not Magbat Spanov’s." in " ".join(text.split())  # typeset
    assert "$17.2\u00a0billion" in text


def test_eight_threads_each_get_their_own_image(figures):
    assert len(figures) == len(CHARTS) + len(load_dataset().headline())  # every chart and every quote card
    for round_ in range(3):
        results: dict[str, str] = {}
        errors: list[BaseException] = []

        def work(cid: str) -> None:
            try:
                results[cid] = svg_text(export.to_svg(figures[cid]).decode("utf-8"))
            except BaseException as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(cid,)) for cid in figures]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors
        for cid, text in results.items():
            own = first_line(figures[cid])
            assert own in text, (round_, cid)
            others = [
                first_line(f)
                for k, f in figures.items()
                if k != cid and first_line(f) != own and first_line(f) not in own
            ]
            assert not any(o in text for o in others), (round_, cid)


def test_missing_browser_gives_the_install_message(monkeypatch, figures):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(export.BrowserMissing) as e:
        export.Exporter().render(figures["turnover_ytd"], "png")
    assert str(e.value).startswith("Image export (PNG/SVG) is unavailable here: BROWSER_PATH='/nonexistent/chromium'")
    assert "sudo apt-get install -y chromium" in str(e.value)


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), 1000, 20])
def test_impossible_scales_are_refused_before_any_browser_starts(figures, scale):
    ex = export.Exporter()
    with pytest.raises(ValueError) as e:
        ex.render(figures["turnover_ytd"], "png", scale=scale)
    assert "scale must be a number above 0 and at most 4" in str(
        e.value
    ) or "must be above 0 and at most 6000 px" in str(e.value)
    assert ex.browser_pid is None and ex.starts == 0


@pytest.mark.slow
def test_a_hang_times_out_kills_chromium_and_recovers(figures):
    ex = export.Exporter(timeout=3)
    fig = figures["containers_index"]
    assert ex.render(fig, "svg")  # a real browser is running now
    pid = ex.browser_pid
    assert pid is not None and psutil.pid_exists(pid)

    async def hang(*_):
        await asyncio.Event().wait()

    real = ex._calc
    ex._calc = hang
    with pytest.raises(export.ExportTimeout) as e:
        ex.render(fig, "png")
    assert str(e.value).startswith("The export took longer than 3 s and was stopped. Try again.")
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert ex.browser_pid is None
    ex._calc = real
    assert Image.open(io.BytesIO(ex.render(fig, "png"))).format == "PNG"  # a fresh browser
    assert ex.starts == 2
    ex.close()
    assert ex.browser_pid is None


@pytest.mark.slow
def test_a_page_not_ready_is_tried_once_more_in_a_new_browser_and_a_second_failure_is_told(figures):
    """Kaleido's page once had not loaded its script when a fresh browser was asked for an image ("ReferenceError:
    kaleido_scopes is not defined", with both cores busy): the export starts a new browser and tries once more. A
    second such failure is told, not tried for ever."""
    ex = export.Exporter()
    fig = figures["containers_index"]
    real, calls = ex._calc, []

    async def not_ready_once(fig_dict, opts):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("ReferenceError: kaleido_scopes is not defined")
        return await real(fig_dict, opts)

    ex._calc = not_ready_once
    try:
        assert Image.open(io.BytesIO(ex.render(fig, "png", scale=1))).format == "PNG"
        assert len(calls) == 2 and ex.starts == 2  # the first browser killed, the second drew it

        async def never_ready(*_):
            raise RuntimeError("ReferenceError: kaleido_scopes is not defined")

        ex._calc = never_ready
        with pytest.raises(export.ExportError) as e:
            ex.render(fig, "png", scale=1)
        assert str(e.value).startswith("The export failed (RuntimeError). Try again")
        assert "HTML download carries the chart with its title and source" in str(e.value)
        assert ex.starts == 3 and ex.browser_pid is None  # one more browser, one more try, then told
    finally:
        ex.close()


@pytest.mark.slow
def test_a_browser_killed_between_exports_costs_nothing(figures):
    """kill -9 the export browser: the next export starts a new one and still returns its image."""
    ex = export.Exporter()
    fig = figures["turnover_ytd"]
    first = ex.render(fig, "png", scale=1)
    pid = ex.browser_pid
    os.kill(pid, signal.SIGKILL)
    try:
        psutil.Process(pid).wait(10)
    except psutil.NoSuchProcess:
        pass  # already reaped
    again = ex.render(fig, "png", scale=1)
    assert again == first and ex.starts == 2 and ex.browser_pid != pid
    ex.close()


@pytest.mark.slow
def test_a_warmed_browser_is_the_one_the_batch_uses_and_close_waits_for_it(figures):
    """The CLI starts the browser while it builds the figures: the render uses that browser, and a close that comes
    right after warm() (a batch that fails early) still leaves no Chromium behind."""
    ex = export.Exporter(idle_close=None)
    ex.warm()
    png = ex.render(figures["turnover_ytd"], "png", scale=1)
    assert png.startswith(b"\x89PNG") and ex.starts == 1
    pids = [ex.browser_pid]
    ex.close()
    ex.warm()
    ex._warming.join()  # the second browser is up: note it, then close as a failed batch does
    pids.append(ex.browser_pid)
    ex.close()
    assert ex.starts == 2 and ex.browser_pid is None and None not in pids and pids[0] != pids[1]
    for pid in pids:
        try:
            psutil.Process(pid).wait(10)
        except psutil.NoSuchProcess:
            pass  # gone already
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_no_chromium_left_after_close():
    export.exporter().close()
    procs = chromium_children()
    psutil.wait_procs(procs, timeout=5)
    assert [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []


@pytest.mark.slow
def test_reusing_a_tab_leaks_nothing_between_images(figures, monkeypatch):
    """A, B, A gives A twice, byte for byte, with and without the periodic tab reload."""
    a, b = figures["turnover_ytd"], figures["brics_timeline"]
    for every in (50, 2):
        monkeypatch.setattr(export, "RELOAD_EVERY", every)
        ex = export.Exporter()
        first, other, again = (ex.render(f, "png", scale=1) for f in (a, b, a))
        ex.close()
        assert first == again and first != other, every


def run_cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kztrade", "export", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_without_browser_exits_1_with_the_message(tmp_path):
    proc = run_cli("--out", str(tmp_path), env={"BROWSER_PATH": "/nonexistent/chromium"})
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr.strip().startswith("kztrade export: Image export (PNG/SVG) is unavailable here")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli_writes_every_chart_and_card_with_one_browser(tmp_path):
    proc = run_cli("--out", str(tmp_path), "--scale", "1")
    assert proc.returncode == 0, proc.stderr
    cards = [
        "kz_ru_turnover_2024_jan_aug-card.png",
        "containers_ru_cn_via_kz_growth-card.png",
        "containers_cn_eu_cn_growth-card.png",
    ]
    claimed = [
        f"claim-{c.claim_id}-card.png" for c in load_dataset().claims if c.verdict not in ("outside_subject", "opinion")
    ]
    assert (
        len(claimed) == 14 and "claim-a3_grow-card.png" in claimed
    )  # one card per checked claim, the expert's included
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{c}.png" for c in CHARTS] + cards + claimed)
    assert proc.stdout.strip().splitlines()[-1].startswith(f"{len(CHARTS) + len(cards) + len(claimed)} file(s) in ")
    assert Image.open(tmp_path / cards[0]).size == (1200, 675)
    for p in tmp_path.iterdir():
        Image.open(p).verify()


@pytest.mark.slow
def test_cli_portrait_cards_and_an_svg_subset(tmp_path):
    proc = run_cli("--out", str(tmp_path), "--format", "svg", "--only", "turnover_ytd,containers_index")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["containers_index.svg", "turnover_ytd.svg"]
    assert "Container volumes as an index" in (tmp_path / "containers_index.svg").read_text(encoding="utf-8")
    proc = run_cli(
        "--out", str(tmp_path / "p"), "--card-size", "portrait", "--only", "containers_cn_eu_cn_growth-card-portrait"
    )
    assert proc.returncode == 0, proc.stderr
    assert Image.open(tmp_path / "p" / "containers_cn_eu_cn_growth-card-portrait.png").size == (2160, 2700)


@pytest.mark.parametrize(
    "scale, message",
    [
        ("0", "must be above 0 and at most 4, not 0"),
        ("-1", "must be above 0 and at most 4, not -1"),
        ("nan", "must be above 0 and at most 4, not nan"),
        ("1000", "must be above 0 and at most 4, not 1000"),
        ("x", "'x' is not a number"),
    ],
)
def test_cli_refuses_an_impossible_scale(tmp_path, scale, message):
    proc = run_cli("--out", str(tmp_path), "--scale", scale)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr  # a usage error exits 1, like every refusal
    assert f"argument --scale: {message}" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_says_when_it_cannot_write_its_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    proc = run_cli("--out", str(blocker / "sub"), "--only", "turnover_ytd")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith(f"kztrade export: cannot create the folder {blocker / 'sub'} (")
    assert "choose another with --out" in proc.stderr
