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


async def visitor(browser, url: str):
    """A reader on the chart's view, each in a browser context (a session) of their own."""
    ctx = await browser.new_context(accept_downloads=True)
    page = await ctx.new_page()
    await page.goto(f"{url}/?view=containers_index&lang=en")
    await page.locator(".js-plotly-plot >> visible=true").first.locator(".main-svg").first.wait_for(timeout=120_000)
    return ctx, page


async def download(page) -> bytes:
    """One click on PNG, and the file that arrives. The click reruns the reader's session, as the lost files'
    did; a second round clicks again in the same sessions."""
    async with page.expect_download(timeout=60_000) as dl:
        await page.get_by_role("button", name="PNG").click()
    return Path(await (await dl.value).path()).read_bytes()


async def rounds(url: str) -> tuple[bytes, list[list[bytes]]]:
    """The chart downloaded by one reader with nobody else clicking, then by every reader at once, ROUNDS times.
    Each reader's page is opened once: what is raced is the downloads, not eight page loads."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        readers = [await visitor(browser, url)]
        alone = await download(readers[0][1])
        readers += await asyncio.gather(*(visitor(browser, url) for _ in range(VISITORS - 1)))
        # a lost file is an exception in its place (the download never came), counted beside the good ones
        results = [
            await asyncio.gather(*(download(page) for _ctx, page in readers), return_exceptions=True)
            for _ in range(ROUNDS)
        ]
        for ctx, _page in readers:
            await ctx.close()
        await browser.close()
    return alone, results


def test_simultaneous_png_downloads_all_arrive_and_match_the_chart_alone():
    with streamlit_server() as (url, proc):
        out: dict = {}

        # The async API gets a thread of its own, away from the sync Playwright of the other browser tests.
        def run() -> None:
            try:
                out["result"] = asyncio.run(rounds(url))
            except Exception as e:  # noqa: BLE001 - told below, in the test's own thread
                out["error"] = e

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(600)
        assert "result" in out, f"the downloads did not finish: {out.get('error', 'still running after 600 s')!r}"
        alone, results = out["result"]
        assert [[f == alone for f in r] for r in results] == [[True] * VISITORS] * ROUNDS
        assert export_browsers(proc) == 1  # 17 downloads, one browser
