"""Running the app in a real browser for tests: a Streamlit server on a free loopback port, Debian's Chromium
driven by Playwright (never `playwright install`), and measurements of what the browser rendered."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil

from kztrade.charts import CHARTS
from kztrade.routes import VIEWS, reader_pages

from .conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "screenshots"
# From the chart registry: how many charts each view draws (the overview: those marked for it).
CHARTS_PER_VIEW = (
    {v: sum(spec.view == v and spec.on_view for spec in CHARTS.values()) for v in VIEWS}
    | {"overview": sum(spec.on_overview for spec in CHARTS.values())}
    | {c: 1 for c, spec in CHARTS.items() if not spec.on_view}  # a chart with a page of its own
)
# The pages a reader moves between: every view, and each chart its view links to instead of drawing.
READER_PAGES = reader_pages()


def charts_on(page: str) -> list[str]:
    """The charts a page draws: a view's own (the overview's, those marked for it), or a chart's page its one."""
    if page in CHARTS:
        return [page]
    if page == "overview":
        return [c for c, spec in CHARTS.items() if spec.on_overview]
    return [c for c, spec in CHARTS.items() if spec.view == page and spec.on_view]


WIDTHS = (360, 390, 768, 1400)
# A chart on the page, not a quote card's small preview (those are the cards' own figures, tested as cards).
CHART = '.js-plotly-plot:not([class*="st-key-card-preview-"] *)'
# The chart a reader sees: a visible plot (a hidden one, in a closed popover or expander, is not on the page).
VISIBLE_CHART = f"{CHART} >> visible=true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(cwd: Path = ROOT, env: dict | None = None, script: str = "app.py"):
    """`streamlit run app.py` (or another script in cwd) on a free loopback port; yields (url, process); stopped by its
    PID at the end."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test`, which installs it with apt"
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc
    finally:
        stop(proc)


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        assert proc.poll() is None, "streamlit exited before it was healthy"
        assert time.monotonic() < deadline, f"streamlit was not healthy within {seconds:g} s"
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group, then SIGKILL what is left."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        except ProcessLookupError:
            pass


def chromium_under(root: psutil.Process) -> list[psutil.Process]:
    """The Chromium processes below a process."""
    try:
        children = root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for p in children:
        try:
            if "chrom" in p.name().lower():
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def chromium_of(proc: subprocess.Popen) -> list[psutil.Process]:
    """The Chromium processes a server started (its Kaleido export browser)."""
    try:
        return chromium_under(psutil.Process(proc.pid))
    except psutil.NoSuchProcess:
        return []


def launched_browser():
    """Playwright's Chromium: Debian's, never a download; for a module-scoped fixture to yield from."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def export_browsers(proc: subprocess.Popen) -> int:
    """How many export browsers a server runs: Chromium processes whose parent is not a Chromium."""
    roots = 0
    for p in chromium_of(proc):
        try:
            if "chrom" not in psutil.Process(p.ppid()).name().lower():
                roots += 1
        except psutil.NoSuchProcess:
            pass
    return roots


class OnePage:
    """What new_page hands back to close: the page alone, its browser context staying open for the next one."""

    def __init__(self, page):
        self.page = page

    def close(self) -> None:
        self.page.close()


def new_page(browser, width: int = 1400, height: int = 1000):
    """A new visitor's page: a tab of its own, so a Streamlit session of its own (a session is one tab's connection),
    recording console errors in page.console_errors. The tabs of one browser share a context, as a reader's tabs
    do, so Streamlit's and plotly's scripts come from the browser's cache instead of being fetched and compiled again
    for every page. A test that needs a context of its own (a browser locale, a cookie) makes one."""
    ctx = getattr(browser, "kz_context", None)
    if ctx is None:
        ctx = browser.kz_context = browser.new_context(accept_downloads=True)
    pg = ctx.new_page()
    pg.set_viewport_size({"width": width, "height": height})
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    return OnePage(pg), pg


@contextmanager
def plot_page(browser):
    """One page with plotly.js loaded once, to draw figures in it one after another (Plotly.react): a card as Chromium
    draws it, without parsing the 4.7 MB script again for every card."""
    from plotly.offline import get_plotlyjs

    ctx, pg = new_page(browser, 1200, 1400)
    try:
        pg.set_content(
            f"<html><head><script>{get_plotlyjs()}</script></head>"
            '<body style="margin:20px"><div id="card" style="display:inline-block"></div></body></html>'
        )
        pg.wait_for_function("() => window.Plotly !== undefined")
        yield pg
    finally:
        ctx.close()


def drawn(pg, fig: dict) -> dict:
    """A figure (plotly's JSON, as a dict) drawn static in a plot_page sized to it, once its fonts are in; measured."""
    pg.set_viewport_size({"width": fig["layout"]["width"] + 40, "height": fig["layout"]["height"] + 40})
    pg.evaluate("f => Plotly.react('card', f.data, f.layout, {staticPlot: true}).then(() => document.fonts.ready)", fig)
    (chart,) = measure(pg)
    return chart


def open_page(page, url: str, query: str, charts: int, timeout: int = 45000) -> None:
    """Open a view and wait until its charts are drawn."""
    from playwright.sync_api import expect

    page.goto(f"{url}/?{query}")
    page.wait_for_selector("[data-testid=stApp]")
    expect(
        page.locator("[data-testid=stMainBlockContainer] h1, [data-testid=stMainBlockContainer] h4").first
    ).to_be_visible(timeout=timeout)
    if charts:
        expect(page.locator(VISIBLE_CHART).nth(charts - 1).locator(".main-svg").first).to_be_visible(timeout=timeout)
    expect(page.locator(VISIBLE_CHART)).to_have_count(charts, timeout=timeout)
    settled(page, timeout)


# The page is drawn: the script has finished (no running indicator, no element faded as stale), the fonts are in, and
# the page's height has held for three animation frames. A condition, not a fixed sleep: a fast page is measured at
# once, a slow one is waited for.
SETTLED = """() => new Promise(done => {
  const running = () => document.querySelector('[data-testid=stStatusWidget] [data-testid=stStatusWidgetRunningIcon]');
  let last = -1, same = 0;
  const look = () => {
    const h = document.querySelector('[data-testid=stMain]')?.scrollHeight ?? 0;
    const stale = document.querySelector('[data-stale="true"]');  // faded while a rerun redraws it
    same = (h === last && !running() && !stale && document.fonts.status === 'loaded') ? same + 1 : 0;
    last = h;
    if (same >= 3) done(true); else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""


def settled(page, timeout: int = 45000) -> None:
    """Wait until the page has finished drawing (see SETTLED)."""
    page.wait_for_function(SETTLED, timeout=timeout)


# Every chart the page shows has been laid out again for its container's width (plotly redraws on resize).
FITTED = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent !== null)
  .every(p => p._fullLayout && Math.abs(p._fullLayout.width - p.getBoundingClientRect().width) <= 1)"""


def resized(page, width: int, height: int = 900, timeout: int = 45000) -> None:
    """The same page at another viewport size, once every chart shown is redrawn for it and the page has settled:
    one page per view and language, measured at each width, instead of a fresh session for every width."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(FITTED, timeout=timeout)
    settled(page, timeout)


MEASURE = """(plot) => {
  const box = plot.getBoundingClientRect();
  const texts = [...plot.querySelectorAll('svg text')]
    .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent, x: r.left, y: r.top, r: r.right, b: r.bottom,
                        size: parseFloat(getComputedStyle(t).fontSize)}; });
  const full = plot._fullLayout;
  return {x: box.left, y: box.top, r: box.right, b: box.bottom, width: box.width,
          plot_width: full ? full._size.w : 0, texts};
}"""


def measure(page) -> list[dict]:
    """Every chart on the page: its box, its plot area's width, and every text element's box and font size."""
    return [page.locator(VISIBLE_CHART).nth(i).evaluate(MEASURE) for i in range(page.locator(VISIBLE_CHART).count())]


def layout_faults(chart: dict, tolerance: float = 0.5) -> list[str]:
    """What is wrong with a rendered chart: text outside it, texts that overlap, a cramped plot, tiny text."""
    faults = []
    for t in chart["texts"]:
        if (
            t["x"] < chart["x"] - tolerance
            or t["r"] > chart["r"] + tolerance
            or t["y"] < chart["y"] - tolerance
            or t["b"] > chart["b"] + tolerance
        ):
            faults.append(f"outside the chart: {t['text']!r}")
        if t["size"] < 11:
            faults.append(f"{t['size']:g}px text: {t['text']!r}")
    texts = chart["texts"]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            w = min(a["r"], b["r"]) - max(a["x"], b["x"])
            h = min(a["b"], b["b"]) - max(a["y"], b["y"])
            if w > tolerance and h > tolerance:
                faults.append(f"overlap: {a['text']!r} / {b['text']!r}")
    if chart["plot_width"] < chart["width"] / 2:
        faults.append(f"plot area {chart['plot_width']:.0f}px of {chart['width']:.0f}px")
    return faults


def scroll_width(page) -> dict:
    """How wide the page is against the viewport, for the document and Streamlit's own scroll container."""
    return page.evaluate("""() => {
      const main = document.querySelector('[data-testid=stMain]') || document.body;
      return {doc: document.documentElement.scrollWidth, main: main.scrollWidth, viewport: window.innerWidth};
    }""")


def screenshot_full(page, path: Path) -> None:
    """A screenshot of the whole page (Streamlit scrolls inside its own container, so grow the viewport)."""
    width = page.viewport_size["width"]
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], body')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 14000)})
    page.wait_for_function(FITTED)
    settled(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(path))


def card_button(pg, figure_id: str, size: str):
    """A quote card's download button, in its popover on the overview: the popover is opened if it is closed."""
    from kztrade.load import load_dataset

    button = pg.locator(f"[data-testid=stPopoverBody] .st-key-card-{figure_id}-{size} button")
    if not button.is_visible():
        i = [f.figure_id for f in load_dataset().headline()].index(figure_id)
        pg.locator(".st-key-cards-row [data-testid=stPopover] button").nth(i).click()
        button.wait_for(timeout=30000)
    return button
