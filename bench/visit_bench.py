"""Benchmark: what a visitor gets, as paired ratios against the bare Streamlit app (bench/baseline_app.py).

Not a test. The machine is noisy, so every measure is taken in interleaved pairs (baseline, then ours, each on a
server of its own started the same way), and what is printed is the paired ratio, ours / baseline: its minimum,
median and maximum over the pairs. Writes bench/results/visit.json.

    python bench/visit_bench.py [--quick] [--pairs N] [--only first_chart|dom|cpu ...]

Measures (at least 5 pairs each; --quick takes 3):
  first chart, cold     navigation to the first chart drawn, by the page's clock, on a server that has just started,
                        for `/` at 390 and 1400 px and for the deep link ?view=turnover_ytd at 1400 px (the baseline
                        is its `/`); each visitor has a browser of its own, as a new visitor has
  first chart, warm     the same, a second visitor on that server
  DOM nodes             elements in the page once drawn, for every view of ours against the baseline's page
  server CPU per visit  K visitors at once on a warm server (K = 20; --quick K = 10)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve_bench import ARGS, CHROMIUM, RESULTS, Server  # noqa: E402

TARGETS = [("/", 390), ("/", 1400), ("/?view=turnover_ytd&lang=en", 1400)]
DOM_VIEWS = ["overview", "claims", "turnover", "containers", "brics", "interview", "data"]
GOALS = {"first_chart": 1.1, "server_cpu_per_visit": 1.2, "dom_overview": 2.0, "dom_view": 3.0}
COUNT = "() => document.querySelectorAll('*').length"


# The page's own clock: milliseconds from the start of navigation to the first plot drawn (a plot's SVG laid out).
# Playwright's clock around goto() adds the browser's own start of a navigation, which on this machine took either
# about 0.05 s or about 0.45 s for the same page, at random: the "fast and slow visits" of earlier runs. The page's
# clock has none of it.
FIRST_CHART = """
new MutationObserver((_, observer) => {
  const svg = document.querySelector('.js-plotly-plot .main-svg');
  if (svg && svg.getBoundingClientRect().width > 0) {
    window.__kzFirstChart = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


async def visit(browser, url: str, width: int, count: bool = False) -> tuple[float, int]:
    """Seconds from the start of navigation to the first chart drawn, by the page's clock, in a fresh context (a new
    visitor); and, asked, the page's element count once it has settled."""
    ctx = await browser.new_context(viewport={"width": width, "height": 900})
    await ctx.add_init_script(FIRST_CHART)
    page = await ctx.new_page()
    await page.goto(url, timeout=300_000)  # 20 visitors at once on 2 cores take longer than Playwright's 30 s
    await page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=300_000)
    await page.wait_for_function("window.__kzFirstChart !== undefined", timeout=300_000)
    elapsed = await page.evaluate("window.__kzFirstChart") / 1000
    nodes = 0
    if count:
        await page.wait_for_timeout(1500)  # the rest of the page after the first chart
        nodes = await page.evaluate(COUNT)
    await ctx.close()
    return elapsed, nodes


async def nodes_of(browser, url: str, width: int) -> int:
    """Elements in a page that may draw no chart (the claims register, the interview), once it has settled."""
    ctx = await browser.new_context(viewport={"width": width, "height": 900})
    page = await ctx.new_page()
    await page.goto(url, timeout=300_000)
    await page.wait_for_selector("[data-testid=stMainBlockContainer] h1", timeout=300_000)
    await page.wait_for_timeout(2500)
    n = await page.evaluate(COUNT)
    await ctx.close()
    return n


async def new_visitor(playwright, url: str, width: int) -> float:
    """One visitor's first chart, in a browser of its own, as a new visitor has: nothing an earlier visit loaded or
    compiled is reused."""
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        return (await visit(browser, url, width))[0]
    finally:
        await browser.close()


async def one_pair(playwright, path: str, width: int) -> dict:
    """Baseline, then ours, each on a fresh server: the first visitor (cold) and the second (warm), each a new
    visitor with a browser of its own."""
    out = {}
    for which in ("baseline", "ours"):
        server = Server(which)
        try:
            url = server.url + (path if which == "ours" else "/")
            cold = await new_visitor(playwright, url, width)
            warm = await new_visitor(playwright, url, width)
            out[which] = dict(cold=cold, warm=warm)
        finally:
            server.stop()
    return out


async def cpu_pair(browser, servers: dict, k: int) -> dict:
    """K visitors at once on each warm server, baseline first: server CPU seconds per visit."""
    out = {}
    for which in ("baseline", "ours"):
        server = servers[which]
        url = server.url + "/"
        cpu0 = server.cpu_s()
        await asyncio.gather(*(visit(browser, url, 1400) for _ in range(k)))
        out[which] = (server.cpu_s() - cpu0) / k
        await asyncio.sleep(4)  # the sessions expire between rounds, as they do between visitors
    return out


def spread(ratios: list[float]) -> dict:
    return dict(min=min(ratios), median=statistics.median(ratios), max=max(ratios), n=len(ratios))


MEASURES = ("first_chart", "dom", "cpu")


async def main_async(pairs: int, k: int, only: tuple[str, ...] = MEASURES) -> dict:
    from playwright.async_api import async_playwright

    res: dict = {"pairs": pairs, "k": k, "first_chart": {}, "dom": {}, "cpu": []}
    async with async_playwright() as p:
        # One start and visit of each app before any pair: the files are in the OS's page cache for both, and our
        # server has checked this data once and kept its receipt (kztrade/receipts.py), as every server after the
        # first start on the same data and code has. The first start after an edit checks again (about 25 ms more).
        for which in ("baseline", "ours"):
            server = Server(which)
            try:
                await new_visitor(p, server.url + "/", 1400)
            finally:
                server.stop()
        for path, width in TARGETS if "first_chart" in only else ():
            key = f"{path} @ {width}"
            runs = [await one_pair(p, path, width) for _ in range(pairs)]
            res["first_chart"][key] = runs
        if "dom" not in only and "cpu" not in only:
            return res
        # the page's weight and the server's CPU are the server's: one browser serves every visit of those
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        servers = {w: Server(w) for w in ("baseline", "ours")}
        try:
            for w, s in servers.items():  # warm, as a running deployment is
                await visit(browser, s.url + "/", 1400)
            if "dom" in only:
                base = [
                    (await visit(browser, servers["baseline"].url + "/", width, count=True))[1] for width in (390, 1400)
                ]
                for view in DOM_VIEWS:
                    url = f"{servers['ours'].url}/?view={view}&lang=en"
                    res["dom"][view] = [await nodes_of(browser, url, width) for width in (390, 1400)]
                res["dom"]["baseline"] = base
            if "cpu" in only:
                res["cpu"] = [await cpu_pair(browser, servers, k) for _ in range(pairs)]
        finally:
            for s in servers.values():
                s.stop()
        await browser.close()
    return res


def report(res: dict) -> dict:
    """Print every measure as paired ratios; return them, with whether each goal is met."""
    summary: dict = {}
    print(f"\nPaired ratios, ours / bare app: min / median / max over {res['pairs']} interleaved pairs")
    print(f"{'measure':48} {'min':>6} {'median':>7} {'max':>6} {'goal':>6}")
    for key, runs in res["first_chart"].items():
        for phase in ("cold", "warm"):
            r = spread([run["ours"][phase] / run["baseline"][phase] for run in runs])
            name = f"first chart, {phase}, {key}"
            summary[name] = r | dict(goal=GOALS["first_chart"], met=r["median"] <= GOALS["first_chart"])
            print(
                f"{name:48} {r['min']:5.2f}x {r['median']:6.2f}x {r['max']:5.2f}x {GOALS['first_chart']:5.1f}x "
                f"{'MET' if summary[name]['met'] else 'MISSED'}"
            )
    if res["cpu"]:
        r = spread([run["ours"] / run["baseline"] for run in res["cpu"]])
        name = f"server CPU per visit, K = {res['k']}"
        goal = GOALS["server_cpu_per_visit"]
        summary[name] = r | dict(goal=goal, met=r["median"] <= goal)
        print(
            f"{name:48} {r['min']:5.2f}x {r['median']:6.2f}x {r['max']:5.2f}x {goal:5.1f}x "
            f"{'MET' if summary[name]['met'] else 'MISSED'}"
        )
    if not res["dom"]:
        return summary
    base = res["dom"]["baseline"]
    print(f"\nDOM elements once drawn (baseline: {base[0]} at 390 px, {base[1]} at 1400 px)")
    for view in DOM_VIEWS:
        n = res["dom"][view]
        worst = max(n[0] / base[0], n[1] / base[1])
        goal = GOALS["dom_overview"] if view == "overview" else GOALS["dom_view"]
        summary[f"DOM, {view}"] = dict(nodes=n, ratio=worst, goal=goal, met=worst <= goal)
        print(
            f"  {view:12} {n[0]:6d} / {n[1]:6d}   {worst:5.2f}x   goal {goal:.1f}x "
            f"{'MET' if worst <= goal else 'MISSED'}"
        )
    return summary


def main() -> int:
    receipts = tempfile.mkdtemp(prefix="kztrade-bench-receipts-")  # never the user's own cache
    os.environ["KZTRADE_CACHE_DIR"] = receipts
    try:
        return run()
    finally:
        shutil.rmtree(receipts, ignore_errors=True)


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 pairs, K = 10")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per measure (default 5; --quick 3; at least 3)")
    parser.add_argument("--only", choices=MEASURES, action="append", help="this measure alone (may repeat)")
    args = parser.parse_args()
    pairs = max(3, args.pairs or (3 if args.quick else 5))
    res = asyncio.run(main_async(pairs, 10 if args.quick else 20, tuple(args.only or MEASURES)))
    res["summary"] = report(res)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "visit.json").write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
