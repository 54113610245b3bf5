"""End-to-end in a real browser: Playwright drives Debian's Chromium against `streamlit run app.py`."""

from __future__ import annotations

import csv
import io
import re
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from kztrade.charts import CHARTS, EXPORT_WIDTH, build_chart
from kztrade.figures import load_dataset
from kztrade.views import VIEWS

from .conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "screenshots"
CHARTS_PER_VIEW = {"overview": 2, "turnover": 2, "containers": 2, "brics": 1, "interview": 0, "data": 0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """`streamlit run app.py` on a free loopback port; stopped by its PID at the end."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test`, which installs it with apt"
    port = free_port()
    log = subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        assert proc.poll() is None, "streamlit exited before it was healthy"
        assert time.monotonic() < deadline, "streamlit was not healthy within 60 s"
        time.sleep(0.2)
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    ctx.close()


def open_view(page, url: str, view: str, charts: int) -> None:
    page.goto(f"{url}/?view={view}")
    page.wait_for_selector("[data-testid=stApp]")
    expect(page.locator("[data-testid=stMainBlockContainer] h1").first).to_be_visible(timeout=30000)
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").nth(charts - 1)).to_be_visible(timeout=30000)
    expect(page.locator(".js-plotly-plot")).to_have_count(charts)
    page.wait_for_timeout(500)


def checked_view(page) -> str:
    return page.locator("[data-testid=stRadio] label:has(input:checked)").inner_text().strip()


def test_overview_draws_its_charts_without_console_errors(page, server):
    open_view(page, server, "overview", 2)
    expect(page.locator("[data-testid=stMetricValue]")).to_have_text(["US$17.2 billion", "+63 %", "+65 %"])
    assert page.console_errors == []


@pytest.mark.parametrize("view", list(VIEWS))
def test_deep_link_opens_its_view_and_is_screenshotted(page, server, view):
    open_view(page, server, view, CHARTS_PER_VIEW[view])
    assert checked_view(page) == VIEWS[view]
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 3400})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{view}.png"))
    assert page.console_errors == []


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_deep_link_to_one_chart(page, server, chart_id):
    open_view(page, server, chart_id, 1)
    assert checked_view(page) == VIEWS[CHARTS[chart_id].view]
    drawn = page.locator(".js-plotly-plot .gtitle").first.text_content()
    expected = re.sub(r"<[^>]+>", "", build_chart(load_dataset(), chart_id).figure.layout.title.text)
    assert drawn == expected
    assert "Source: " in page.locator(".js-plotly-plot .annotation-text").all_text_contents()[-1] or any(
        t.startswith("Source: ") for t in page.locator(".js-plotly-plot .annotation-text").all_text_contents())


def test_moving_between_views_updates_the_link(page, server):
    open_view(page, server, "overview", 2)
    page.locator("[data-testid=stRadio] label", has_text="Container transit").click()
    page.wait_for_url("**/?view=containers", timeout=15000)
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    page.reload()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert checked_view(page) == "Container transit"


def test_bad_link_gives_overview_notice_and_no_echo(page, server):
    payload = "%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E"
    page.goto(f"{server}/?view={payload}")
    expect(page.locator("[data-testid=stAlertContentInfo]")).to_contain_text("so the overview is shown", timeout=30000)
    assert checked_view(page) == "Overview"
    assert "<script>window.pwned" not in page.content()
    assert page.evaluate("window.pwned === undefined")
    page.wait_for_url("**/?view=overview", timeout=15000)


def test_download_png_button_gives_the_chart_at_scale_2(page, server, tmp_path):
    open_view(page, server, "turnover_ytd", 1)
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Download PNG").click()
    d = dl.value
    assert d.suggested_filename == "turnover_ytd.png"
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    img = Image.open(path)
    assert img.format == "PNG" and img.size == (EXPORT_WIDTH * 2, 500 * 2)
    colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=2_000_000)}
    assert (0, 114, 178) in colours and (213, 94, 0) in colours  # the screen's Kazakh blue and Russian vermillion
    # A second click is served from the cache: same bytes.
    with page.expect_download(timeout=60000) as dl2:
        page.get_by_role("button", name="Download PNG").click()
    assert Path(dl2.value.path()).read_bytes() == path.read_bytes()
    assert page.console_errors == []


def test_toolbar_camera_names_the_file_after_the_chart(page, server):
    open_view(page, server, "containers_index", 1)
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download(timeout=60000) as dl:
        page.locator('.modebar-btn[data-title="Download plot as a PNG"]').first.click()
    assert dl.value.suggested_filename == "containers_index.png"
    img = Image.open(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert img.format == "PNG" and img.size[0] >= 1000  # scale 2 of the on-screen width


def test_csv_download_is_neutralised(page, server):
    open_view(page, server, "data", 0)
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Download all figures (CSV)").click()
    assert dl.value.suggested_filename == "kztrade-figures.csv"
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,kind,label,value,unit")
    assert "kz_ru_turnover_2024_jan_aug,headline" in text
    rows = list(csv.reader(io.StringIO(text)))
    risky = [c for r in rows for c in r if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in risky), risky  # only plain negative numbers
    assert "-8.99" in risky


def test_chart_csv_holds_the_rows_that_chart_draws(page, server):
    open_view(page, server, "turnover_ytd", 1)
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Download CSV").click()
    assert dl.value.suggested_filename == "turnover_ytd.csv"
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == ["kz_ru_turnover_2024_jan_aug", "kz_turnover_2023_jan_aug", "ru_turnover_2023_jan_aug",
                                       "turnover_change_vs_kz_base", "turnover_change_vs_ru_base"]
    assert rows[0]["source"] == "News.Az interview, question 3 (October 2024): “$17.2 billion”"


def test_quote_card_button_gives_the_card(page, server):
    open_view(page, server, "overview", 2)
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Quote card (PNG)").nth(1).click()
    assert dl.value.suggested_filename == "containers_ru_cn_via_kz_growth-card.png"
    img = Image.open(dl.value.path())
    assert img.format == "PNG" and img.size == (2400, 2000)
    assert page.console_errors == []
