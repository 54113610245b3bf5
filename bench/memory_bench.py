"""Benchmark: what one server process holds over time. Not a test: it prints a table and writes
bench/results/memory.json.

    python bench/memory_bench.py [--sessions N]

On one `streamlit run app.py` (sessions expire 2 s after they disconnect), it measures the server's RSS:
  idle              after start and one warm-up visit
  after N dropped   N visitors opened the overview and left; their sessions expired
  after 2N dropped  N more did the same (does it keep growing, or stay at its high-water mark?)
  data view         one visit to the data view in each language, on top
and how many export browsers run after a PNG click and after the idle close (KZTRADE_EXPORT_IDLE_CLOSE=3).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

from tests.browser import CHROMIUM, CHROMIUM_ARGS, export_browsers, open_page, streamlit_server  # noqa: E402


def rss_mib(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def settle(pid: int, seconds: float = 8) -> float:
    """RSS once sessions have expired (TTL 2 s) and the server has had time to clean up."""
    time.sleep(seconds)
    gc.collect()
    return rss_mib(pid)


def visit_and_leave(browser, url: str, n: int, query: str = "view=overview&lang=en", charts: int = 2) -> None:
    for start in range(0, n, 10):
        contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(min(10, n - start))]
        pages = [c.new_page() for c in contexts]
        for p in pages:
            open_page(p, url, query, charts)
        for c in contexts:
            c.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    res = {}
    env = {"KZTRADE_EXPORT_IDLE_CLOSE": "3", "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "2"}
    with streamlit_server(env=env) as (url, proc), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            visit_and_leave(browser, url, 1)
            res["idle_mib"] = settle(proc.pid)
            visit_and_leave(browser, url, args.sessions)
            res["after_n_dropped_mib"] = settle(proc.pid)
            visit_and_leave(browser, url, args.sessions)
            res["after_2n_dropped_mib"] = settle(proc.pid)
            for lang in ("en", "ru"):
                visit_and_leave(browser, url, 1, f"view=data&lang={lang}", 0)
            res["after_data_view_mib"] = settle(proc.pid)
            ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
            page = ctx.new_page()
            open_page(page, url, "view=containers_index&lang=en", 1)
            with page.expect_download(timeout=90_000):
                page.get_by_role("button", name="PNG").click()
            res["export_browsers_after_png"] = export_browsers(proc)
            time.sleep(6)
            res["export_browsers_after_idle_close"] = export_browsers(proc)
            ctx.close()
        finally:
            browser.close()
    res["sessions"] = args.sessions
    for k, v in res.items():
        print(f"{k:34} {v:8.1f}" if isinstance(v, float) else f"{k:34} {v:8d}")
    print(f"{'data view adds (MiB)':34} {res['after_data_view_mib'] - res['after_2n_dropped_mib']:8.1f}")
    print(f"{'second batch adds (MiB)':34} {res['after_2n_dropped_mib'] - res['after_n_dropped_mib']:8.1f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
