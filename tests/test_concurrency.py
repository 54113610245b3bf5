"""Many readers at once: simultaneous PNG downloads all arrive, each equal to the chart downloaded alone.

A click that rerun the page let another session's cleanup drop the file a browser was about to fetch
('Deferred file ... not found': 2 of 32 downloads lost at 8 at once). This is the regression test."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from playwright.async_api import async_playwright

from .browser import CHROMIUM, CHROMIUM_ARGS, export_browsers, streamlit_server

VISITORS, ROUNDS = 8, 2  # 8 at once, twice: 16 downloads at once and one alone (it lost 2 of 32 before the fix)


async def download(browser, url: str) -> bytes:
    ctx = await browser.new_context(accept_downloads=True)
    page = await ctx.new_page()
    await page.goto(f"{url}/?view=containers_index&lang=en")
    await page.locator(".js-plotly-plot >> visible=true").first.locator(".main-svg").first.wait_for(timeout=120_000)
    async with page.expect_download(timeout=60_000) as dl:
        await page.get_by_role("button", name="PNG").click()
    data = Path(await (await dl.value).path()).read_bytes()
    await ctx.close()
    return data


async def rounds(url: str) -> tuple[bytes, list[list[bytes]]]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        alone = await download(browser, url)
        results = [await asyncio.gather(*(download(browser, url) for _ in range(VISITORS))) for _ in range(ROUNDS)]
        await browser.close()
    return alone, results


def test_simultaneous_png_downloads_all_arrive_and_match_the_chart_alone():
    with streamlit_server() as (url, proc):
        out: dict = {}
        # The async API gets a thread of its own, away from the sync Playwright of the other browser tests.
        worker = threading.Thread(target=lambda: out.update(result=asyncio.run(rounds(url))))
        worker.start()
        worker.join(600)
        alone, results = out["result"]
        assert [[f == alone for f in r] for r in results] == [[True] * VISITORS] * ROUNDS
        assert export_browsers(proc) == 1  # 17 downloads, one browser
