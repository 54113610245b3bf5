"""PNG/SVG export: sizes, contents, concurrency, a missing browser, a hang, and no stray Chromium."""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import subprocess
import sys
import threading

import psutil
import pytest
from PIL import Image

from kztrade import export
from kztrade.cards import all_cards
from kztrade.charts import CHARTS, EXPORT_WIDTH, build_chart
from kztrade.figures import load_dataset

from .conftest import ROOT


def chromium_children() -> list[psutil.Process]:
    """Chromium processes started by this test process."""
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name().lower():
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def figures(ds):
    """All eight exportable figures: five charts and three cards."""
    items = [build_chart(ds, cid) for cid in CHARTS] + all_cards(ds)
    return {c.chart_id: c.figure for c in items}


def plain_title(fig) -> str:
    """The title as it appears in SVG text (tags dropped, first line)."""
    first = fig.layout.title.text.split("<br>")[0]
    return html.escape(first.replace("<b>", "").replace("</b>", ""), quote=False)


def test_pngs_decode_at_the_size_the_scale_implies_and_differ(ds):
    digests = set()
    for cid in CHARTS:
        fig = build_chart(ds, cid).figure
        for scale in (1, 2):
            png = export.to_png(fig, scale=scale)
            img = Image.open(io.BytesIO(png))
            assert img.format == "PNG"
            assert img.size == (EXPORT_WIDTH * scale, fig.layout.height * scale), cid
            digests.add(hashlib.sha256(png).hexdigest())
    assert len(digests) == 2 * len(CHARTS)


def test_png_keeps_the_screen_colours(ds):
    fig = build_chart(ds, "turnover_ytd").figure
    img = Image.open(io.BytesIO(export.to_png(fig, scale=1))).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1_000_000)}
    for hex_ in ("#0072B2", "#D55E00", "#E69F00"):
        rgb = tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, hex_
    # Streamlit's placeholder template would have drawn near-black bars.
    dark = sum(n for n, c in img.getcolors(maxcolors=1_000_000) if max(c) < 30)
    assert dark < 0.02 * img.width * img.height


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_svg_contains_title_and_source_line(ds, chart_id):
    fig = build_chart(ds, chart_id).figure
    svg = export.to_svg(fig).decode("utf-8")
    assert plain_title(fig) in svg
    assert "Source: " in svg
    assert "kztrade" in svg or "News.Az" in svg or "TASS" in svg


def test_cards_are_1200_by_1000_and_carry_the_excerpt(figures):
    card = figures["kz_ru_turnover_2024_jan_aug-card"]
    png = export.exporter().render(card, "png", scale=2, width=card.layout.width)
    assert Image.open(io.BytesIO(png)).size == (2400, 2000)
    svg = export.exporter().render(card, "svg", width=card.layout.width).decode("utf-8")
    assert "These are News.Az's words, not Magbat Spanov's." in html.unescape(svg)
    assert "$17.2\u00a0billion" in html.unescape(svg)


def test_eight_threads_each_get_their_own_chart(figures):
    assert len(figures) == 8
    for round_ in range(3):
        results: dict[str, str] = {}
        errors: list[BaseException] = []

        def work(cid: str) -> None:
            try:
                results[cid] = export.to_svg(figures[cid]).decode("utf-8")
            except BaseException as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(cid,)) for cid in figures]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors
        for cid, svg in results.items():
            own = plain_title(figures[cid])
            assert own in svg, (round_, cid)
            others = [plain_title(f) for k, f in figures.items() if k != cid and plain_title(f) != own]
            assert not any(o in svg for o in others), (round_, cid)


def test_missing_browser_gives_the_install_message(monkeypatch, ds):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(export.BrowserMissing) as e:
        export.Exporter().render(build_chart(ds, "turnover_ytd").figure, "png")
    assert str(e.value).startswith("Image export (PNG/SVG) is unavailable here: BROWSER_PATH='/nonexistent/chromium'")
    assert "sudo apt-get install -y chromium" in str(e.value) and "camera icon" in str(e.value)


def test_cli_without_browser_exits_1_with_the_message(tmp_path):
    env = {**__import__("os").environ, "BROWSER_PATH": "/nonexistent/chromium"}
    proc = subprocess.run([sys.executable, "-m", "kztrade", "export", "--out", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr.strip().startswith("kztrade export: Image export (PNG/SVG) is unavailable here")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_every_chart_and_card_with_one_browser(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kztrade", "export", "--out", str(tmp_path), "--scale", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([f"{c}.png" for c in CHARTS] + [
        "kz_ru_turnover_2024_jan_aug-card.png", "containers_ru_cn_via_kz_growth-card.png", "containers_cn_eu_cn_growth-card.png"])
    assert proc.stdout.strip().splitlines()[-1].startswith("8 file(s) in ")
    for p in tmp_path.iterdir():
        Image.open(p).verify()


def test_cli_svg_subset(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kztrade", "export", "--out", str(tmp_path), "--format", "svg",
                           "--only", "turnover_ytd,containers_index"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["containers_index.svg", "turnover_ytd.svg"]
    assert "Container volumes as an index" in (tmp_path / "containers_index.svg").read_text(encoding="utf-8")


def test_a_hang_times_out_kills_chromium_and_recovers(ds):
    ex = export.Exporter(timeout=3)
    fig = build_chart(ds, "containers_index").figure
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


def test_no_chromium_left_after_close():
    export.exporter().close()
    procs = chromium_children()
    psutil.wait_procs(procs, timeout=5)
    assert [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []


def test_reusing_a_tab_leaks_nothing_between_images(ds, monkeypatch):
    """A, B, A gives A twice, byte for byte, with and without the periodic tab reload."""
    a = build_chart(ds, "turnover_ytd").figure
    b = build_chart(ds, "brics_timeline").figure
    for every in (50, 2):
        monkeypatch.setattr(export, "RELOAD_EVERY", every)
        ex = export.Exporter()
        first, other, again = (ex.render(f, "png", scale=1) for f in (a, b, a))
        ex.close()
        assert first == again and first != other, every
