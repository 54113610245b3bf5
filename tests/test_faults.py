"""Faults, in a real browser against a real server: a failing or killed export browser, SIGTERM mid-export,
a read-only working tree, and data corrupted while the app serves."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import time
from pathlib import Path

import psutil
import pytest
from PIL import Image
from playwright.sync_api import expect

from .browser import CHARTS_PER_VIEW, CHROMIUM, chromium_of, launched_browser, open_page, settled, streamlit_server
from .conftest import DATA_DIR, ROOT


@pytest.fixture(scope="module")
def browser():
    yield from launched_browser()


def page_of(browser, width: int = 1400):
    ctx = browser.new_context(viewport={"width": width, "height": 1000}, accept_downloads=True)
    return ctx, ctx.new_page()


def wait_for(predicate, seconds: float = 30, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def test_a_failed_export_is_told_to_the_session_that_clicked_and_the_next_one_works(browser, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # a browser that cannot start
    fake.chmod(0o755)
    with streamlit_server(env={"BROWSER_PATH": str(fake)}) as (url, _proc):
        ctx_a, a = page_of(browser)
        ctx_b, b = page_of(browser)
        try:
            open_page(a, url, "view=turnover_ytd&lang=en", 1)
            open_page(b, url, "view=turnover_ytd&lang=en", 1)
            a.get_by_role("button", name="PNG").click()
            warning = a.locator("[data-testid=stAlertContentWarning]")
            expect(warning).to_contain_text("The image could not be made. Click again", timeout=90000)
            # The button's own answer reached the page too (a rerun started too early used to drop it, leaving
            # the button spinning): it is usable again and says the file failed.
            expect(a.get_by_role("button", name="PNG")).to_be_enabled(timeout=10000)
            expect(a.locator("[data-testid=stDownloadButtonError]")).to_have_count(1, timeout=10000)
            # The other reader clicked nothing and hears nothing, even after moving to another view.
            b.locator("nav.kz-views a", has_text="Trade turnover").click()
            expect(b.locator("[data-testid=stMainBlockContainer] h2").first).to_have_text("Trade turnover")
            settled(b)  # its rerun has drawn the whole view
            assert b.locator("[data-testid=stAlertContentWarning]").count() == 0
            # Chromium is back: the same session's next click gives the image, and the warning is gone.
            fake.write_text(f'#!/bin/sh\nexec {CHROMIUM} "$@"\n', encoding="utf-8")
            with a.expect_download(timeout=90000) as dl:
                a.get_by_role("button", name="PNG").click()
            assert Image.open(dl.value.path()).format == "PNG"
            expect(a.locator("[data-testid=stAlertContentWarning]")).to_have_count(0, timeout=30000)
        finally:
            ctx_a.close()
            ctx_b.close()


def test_an_export_browser_killed_with_sigkill_costs_the_reader_nothing(browser):
    with streamlit_server() as (url, proc):
        ctx, pg = page_of(browser)
        try:
            open_page(pg, url, "view=containers_index&lang=en", 1)
            with pg.expect_download(timeout=90000) as dl:
                pg.get_by_role("button", name="PNG").click()
            first = Path(dl.value.path()).read_bytes()
            victims = wait_for(lambda: chromium_of(proc))
            assert victims, "the export started no browser"
            for p in victims:
                p.send_signal(signal.SIGKILL)
            psutil.wait_procs(victims, timeout=10)
            pg.locator("nav.kz-views a", has_text="Trade turnover").click()  # another chart: not cached
            expect(pg.locator(".js-plotly-plot >> visible=true")).to_have_count(1, timeout=30000)
            with pg.expect_download(timeout=90000) as dl:
                pg.get_by_role("button", name="PNG").first.click()
            assert Image.open(dl.value.path()).format == "PNG"
            assert Path(dl.value.path()).read_bytes() != first
            assert pg.locator("[data-testid=stAlertContentWarning]").count() == 0
            assert chromium_of(proc) and not any(p.pid in {v.pid for v in victims} for p in chromium_of(proc))
        finally:
            ctx.close()


def test_sigterm_during_an_export_leaves_no_chromium(browser):
    with streamlit_server() as (url, proc):
        ctx, pg = page_of(browser)
        try:
            open_page(pg, url, "view=turnover_series&lang=en", 1)
            pg.get_by_role("button", name="PNG").click()
            browsers = wait_for(lambda: chromium_of(proc), seconds=60, step=0.05)
            assert browsers, "the export started no browser"
            os.killpg(proc.pid, signal.SIGTERM)  # while the export runs, or just after it
            proc.wait(30)
            gone, alive = psutil.wait_procs(browsers, timeout=15)
            assert [p.pid for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
        finally:
            ctx.close()


def snapshot(root: Path) -> dict[str, str]:
    """Every file under a tree and its digest."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_read_only_working_tree_serves_and_nothing_is_written(browser, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("app.py", ".streamlit", "kztrade", "data"):
        src = ROOT / name
        (
            shutil.copytree(src, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            if src.is_dir()
            else shutil.copy2(src, tree / name)
        )
    for p in [*tree.rglob("*"), tree]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))  # binding for a non-root user
    before = snapshot(tree)
    try:
        with streamlit_server(cwd=tree) as (url, _proc):
            ctx, pg = page_of(browser)
            try:
                for view in ("overview", "turnover", "interview"):
                    open_page(pg, url, f"view={view}&lang=en", CHARTS_PER_VIEW[view])
                open_page(pg, url, "view=turnover_ytd&lang=en", 1)
                with pg.expect_download(timeout=90000) as dl:
                    pg.get_by_role("button", name="PNG").click()
                assert Image.open(dl.value.path()).format == "PNG"
                pg.get_by_role("button", name="CSV, HTML, embed").click()
                with pg.expect_download(timeout=60000) as dl:
                    pg.get_by_role("button", name="CSV", exact=True).click()
                assert dl.value.suggested_filename == "turnover_ytd.csv"
            finally:
                ctx.close()
        assert snapshot(tree) == before
    finally:
        for p in [tree, *tree.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_data_corrupted_while_serving_shows_the_problems_and_the_app_keeps_serving(browser, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    good = (data / "events.csv").read_bytes()
    with streamlit_server(env={"KZTRADE_DATA_DIR": str(data)}) as (url, proc):
        ctx, pg = page_of(browser)
        try:
            open_page(pg, url, "view=brics&lang=en", 1)
            (data / "events.csv").write_bytes(good.replace(b"2023-08-09", b"2023-08-99"))
            pg.reload()
            expect(pg.locator("h1")).to_have_text("kztrade: the data needs fixing", timeout=30000)
            expect(pg.locator("[data-testid=stCode] code").first).to_contain_text(
                "events.csv, row 2 (brics_2023_08_09_smadiarov), field date: '2023-08-99' is not a date written YYYY, "
                "YYYY-MM or YYYY-MM-DD"
            )
            (data / "events.csv").write_bytes(good)
            pg.reload()
            pg.locator(".js-plotly-plot >> visible=true").first.locator(".main-svg").first.wait_for(timeout=30000)
            assert proc.poll() is None
        finally:
            ctx.close()
