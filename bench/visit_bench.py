"""Benchmark: what a visitor gets, as paired ratios against the bare Streamlit app (bench/baseline_app.py).

Not a test. The machine is noisy, so every measure is taken in interleaved pairs (both apps, each on a server of its
own started the same way; the baseline first in even pairs, ours in odd ones), and what is printed is the paired
ratio, ours / baseline: its minimum, median and maximum over the pairs. Writes bench/results/visit.json.

    python bench/visit_bench.py [--quick] [--pairs N] [--load-pairs N] [--only first_chart|dom|load ...] [--aa]
                                [--against DIR] [--page /|deep ...] [--report FILE]

--aa serves the bare app on both sides of every pair: what it prints is the bench's own noise, against which a ratio of
ours is read. --against DIR serves, on the baseline's side, another checkout of ours (a git worktree of an earlier
commit) on the same pages: a change's before -> after, by the same bench. --page limits the first charts to `/` or the
deep link. --report FILE prints the report of a saved run again.

Measures (7 pairs for each first chart and 5 for the load by default, since a first chart varies most; --quick takes
3 of each):
  cold start            process start to /_stcore/health answering ok, for every server the first-chart pairs start
  first chart, fresh    navigation to the first chart drawn, by the page's clock, on a server that has just started,
                        for `/` and the deep link ?view=turnover_ytd, each at 390 and 1400 px (the baseline is its
                        `/`); each visitor has a browser of its own, as a new visitor has
  first chart, warm     the same, a second visitor on that server
  where it goes         for each first chart, by the page's clock: when plotly's script was asked for, how long it
                        took to arrive, how long the page's main thread was busy before evaluating it, the
                        evaluation, and the drawing (medians in ms, ours against the bare app)
  DOM, WebSocket        elements in the page once drawn, for every page of ours (each view, and each chart with a
                        page of its own) in each language, against the baseline's page; the
                        bytes and messages the server sends a visit of the overview
  K visitors at once    on warm servers (K = 20; --quick K = 10), one browser: server CPU seconds per visit, the p95
                        of the visitors' first charts, the server's peak memory, browser CPU seconds per visit
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve_bench import ARGS, CHROMIUM, RESULTS, Server, browser_cpu_s, quantile  # noqa: E402

from kztrade.i18n import LANGS  # noqa: E402
from kztrade.routes import reader_pages  # noqa: E402

DEEP = "/?view=turnover_ytd&lang=en"
TARGETS = [("/", 390), ("/", 1400), (DEEP, 390), (DEEP, 1400)]
# Every page a reader moves between, in each language (a Russian page's words run longer: the claims view in Russian
# was the first to cross 3x); tests/test_e2e.py holds the same limits.
DOM_PAGES = [(view, lang) for view in reader_pages() for lang in LANGS]
# Each goal is on the median of the paired ratios (issue 19, and the serving targets before it).
GOALS = {
    "cold_start": 1.3,
    "first_chart": 1.1,
    "server_cpu_per_visit": 1.2,
    "p95_first_chart": 1.3,
    "rss_peak": 2.0,
    "browser_cpu_per_visit": 1.3,
    "dom_overview": 2.0,
    "dom_view": 3.0,
}
COUNT = "() => document.querySelectorAll('*').length"
MEASURES = ("first_chart", "dom", "load")
# Which app each side serves. --aa serves the bare app on both sides: the pairs' spread is then the bench's own noise.
APPS = {"baseline": "baseline", "ours": "ours"}


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
window.__kzTasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((t) => window.__kzTasks.push([t.startTime, t.duration])))
  .observe({type: 'longtask', buffered: true});
"""
# Where a first chart's time went, by the same clock: when the page asked for plotly's script (Streamlit's PlotlyChart
# chunk, the page's largest), how long it took to arrive, how long the page's main thread was busy with something else
# before evaluating it (rendering the page's other elements), the evaluation (the longest task after the script
# arrived), and the drawing after it. Milliseconds; null where the chunk or its task is not found (another Streamlit).
PARTS = """() => {
  const r = performance.getEntriesByType('resource').find((e) => /\\/PlotlyChart[.][^/]*[.]js$/.test(e.name));
  const drawn = window.__kzFirstChart;
  if (!r) return null;
  const ev = window.__kzTasks.filter((t) => t[0] >= r.responseEnd - 1 && t[0] < drawn).sort((a, b) => b[1] - a[1])[0];
  if (!ev) return null;
  return {asked: r.startTime, download: r.responseEnd - r.startTime, wait: ev[0] - r.responseEnd, evaluate: ev[1],
          draw: drawn - ev[0] - ev[1]};
}"""
PART_NAMES = ("asked", "download", "wait", "evaluate", "draw")


async def visit(browser, url: str, width: int, parts: list | None = None) -> float:
    """Seconds from the start of navigation to the first chart drawn, by the page's clock, in a fresh context (a new
    visitor). With a list, appends where that time went (PARTS) to it."""
    ctx = await browser.new_context(viewport={"width": width, "height": 900})
    await ctx.add_init_script(FIRST_CHART)
    page = await ctx.new_page()
    try:
        await page.goto(url, timeout=300_000)  # 20 visitors at once on 2 cores take longer than Playwright's 30 s
        await page.wait_for_function("window.__kzFirstChart !== undefined", timeout=300_000, polling=50)
        if parts is not None:
            parts.append(await page.evaluate(PARTS))
        return await page.evaluate("window.__kzFirstChart") / 1000
    finally:
        await ctx.close()


async def weight(browser, url: str, width: int) -> dict:
    """A page once settled: its elements, and the WebSocket bytes and messages the server sent it."""
    ctx = await browser.new_context(viewport={"width": width, "height": 900})
    page = await ctx.new_page()
    sent = {"bytes": 0, "messages": 0}

    def on_socket(ws) -> None:
        def received(payload) -> None:
            sent["bytes"] += len(payload)
            sent["messages"] += 1

        ws.on("framereceived", received)

    page.on("websocket", on_socket)
    try:
        await page.goto(url, timeout=300_000)
        await page.wait_for_selector("[data-testid=stMainBlockContainer] h1", timeout=300_000)
        await page.wait_for_timeout(2500)  # the rest of the page after its heading (some views draw no chart)
        return {"nodes": await page.evaluate(COUNT), **sent}
    finally:
        await ctx.close()


async def new_visitor(playwright, url: str, width: int, parts: list | None = None) -> float:
    """One visitor's first chart, in a browser of its own, as a new visitor has: nothing an earlier visit loaded or
    compiled is reused."""
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        return await visit(browser, url, width, parts)
    finally:
        await browser.close()


def order(i: int) -> tuple[str, str]:
    """Which app goes first in pair i: the baseline in even pairs, ours in odd ones, so that whatever the first of a
    pair leaves behind (a browser still closing, a server still stopping) weighs on both alike."""
    return ("baseline", "ours") if i % 2 == 0 else ("ours", "baseline")


async def one_pair(playwright, path: str, width: int, i: int) -> dict:
    """Both apps, in order(i), each on a fresh server: its cold start, the first visitor (fresh) and the second
    (warm), each a new visitor with a browser of its own."""
    out = {}
    for which in order(i):
        server = Server(APPS[which])
        try:
            url = server.url + (path if APPS[which] != "baseline" else "/")
            parts: list = []
            cold = await new_visitor(playwright, url, width, parts)
            warm = await new_visitor(playwright, url, width, parts)
            out[which] = dict(start=server.cold_start, cold=cold, warm=warm, cold_parts=parts[0], warm_parts=parts[1])
        finally:
            server.stop()
    return out


async def load_pair(browser, servers: dict, k: int, i: int) -> dict:
    """K visitors at once on each warm server, in order(i): server CPU seconds per visit, the p95 of their first
    charts, the server's peak resident memory (sampled every 0.1 s), browser CPU seconds per visit."""
    out = {}
    for which in order(i):
        server = servers[which]
        peak, stop = [server.rss_mib()], threading.Event()

        def sample(server=server, peak=peak, stop=stop) -> None:
            while not stop.wait(0.1):
                peak.append(server.rss_mib())

        sampler = threading.Thread(target=sample, daemon=True)
        cpu0, bcpu0 = server.cpu_s(), browser_cpu_s()
        sampler.start()
        try:
            times = await asyncio.gather(*(visit(browser, server.url + "/", 1400) for _ in range(k)))
        finally:
            stop.set()
            sampler.join()
        out[which] = dict(
            server_cpu_per_visit=(server.cpu_s() - cpu0) / k,
            p95_first_chart=quantile(times, 0.95),
            rss_peak=max(peak),
            browser_cpu_per_visit=(browser_cpu_s() - bcpu0) / k,
        )
        await asyncio.sleep(4)  # the sessions expire between rounds, as they do between visitors
    return out


async def main_async(
    pairs: int, load_pairs: int, k: int, only: tuple[str, ...] = MEASURES, pages: tuple[str, ...] = ("/", DEEP)
) -> dict:
    from playwright.async_api import async_playwright

    res: dict = {"pairs": pairs, "load_pairs": load_pairs, "k": k, "first_chart": {}, "dom": {}, "load": []}
    async with async_playwright() as p:
        # One start and visit of each app before any pair: the files are in the OS's page cache for both. Every
        # start of ours checks the data (about 45 ms); no receipt stands for a check.
        for which in ("baseline", "ours"):
            server = Server(APPS[which])
            try:
                await new_visitor(p, server.url + "/", 1400)
            finally:
                server.stop()
        for path, width in [t for t in TARGETS if t[0] in pages] if "first_chart" in only else ():
            res["first_chart"][f"{path} @ {width}"] = [await one_pair(p, path, width, i) for i in range(pairs)]
        if "dom" not in only and "load" not in only:
            return res
        # the page's weight and the server's load are the server's: one browser serves every visit of those
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        servers = {w: Server(APPS[w]) for w in ("baseline", "ours")}
        try:
            for s in servers.values():  # warm, as a running deployment is
                await visit(browser, s.url + "/", 1400)
            if "dom" in only:
                res["dom"]["baseline"] = [await weight(browser, servers["baseline"].url + "/", w) for w in (390, 1400)]
                for view, lang in DOM_PAGES:
                    url = f"{servers['ours'].url}/?view={view}&lang={lang}"
                    res["dom"][f"{view} {lang}"] = [await weight(browser, url, w) for w in (390, 1400)]
            if "load" in only:
                res["load"] = [await load_pair(browser, servers, k, i) for i in range(load_pairs)]
        finally:
            for s in servers.values():
                s.stop()
            await browser.close()
    return res


def spread(ratios: list[float]) -> dict:
    return dict(min=min(ratios), median=statistics.median(ratios), max=max(ratios), n=len(ratios))


def line(summary: dict, name: str, ratios: list[float], goal: float | None) -> None:
    """Print one measure's paired ratios and keep them, with whether the median meets its goal."""
    r = spread(ratios)
    verdict = "" if goal is None else ("MET" if r["median"] <= goal else "MISSED")
    summary[name] = r | dict(goal=goal, met=None if goal is None else r["median"] <= goal)
    goal_text = f"{goal:5.1f}x" if goal is not None else "     -"
    print(f"{name:52} {r['n']:3d} {r['min']:5.2f}x {r['median']:6.2f}x {r['max']:5.2f}x {goal_text} {verdict}")


def page_runs(res: dict, page: str) -> list[dict]:
    """Every first-chart pair of one page (`/` or the deep link), at both widths."""
    return [run for key, target in res["first_chart"].items() if key.split(" @ ")[0] == page for run in target]


def time_parts(summary: dict, res: dict) -> None:
    """Where the first charts' time went (PARTS), medians in ms for each side and page, both widths pooled: what a
    ratio above 1 is made of. Runs saved before the parts were recorded have none, and print none."""
    rows = []
    for page, word in (("/", "`/`"), (DEEP, "deep link")):
        for phase, state in (("cold", "fresh"), ("warm", "warm")):
            sides = {}
            for which in ("ours", "baseline"):
                found = [
                    run[which][f"{phase}_parts"] for run in page_runs(res, page) if run[which].get(f"{phase}_parts")
                ]
                if found:
                    sides[which] = {n: statistics.median(f[n] for f in found) for n in PART_NAMES} | {"n": len(found)}
            if len(sides) == 2:
                rows.append((f"{word}, {state} server", sides))
                summary[f"first chart parts, {state} server, {word}"] = sides
    if not rows:
        return
    print(
        "\nWhere a first chart's time goes (ms, medians, both widths): plotly's script asked for at / arrives in / "
        "the page's main thread busy before evaluating it / evaluated in / drawn in"
    )
    for name, sides in rows:
        ours, bare = sides["ours"], sides["baseline"]
        print(
            f"  {name:24} ours {'/'.join(f'{ours[n]:.0f}' for n in PART_NAMES):24} baseline "
            f"{'/'.join(f'{bare[n]:.0f}' for n in PART_NAMES):24} difference "
            f"{'/'.join(f'{ours[n] - bare[n]:+.0f}' for n in PART_NAMES)} (n = {ours['n']})"
        )


def report(res: dict) -> dict:
    """Print every measure as paired ratios; return them, with whether each goal is met."""
    summary: dict = {}
    print(
        f"\nPaired ratios, ours / {res.get('baseline', 'bare app')}: min / median / max over n interleaved pairs; "
        "each goal is on the median"
    )
    print(f"{'measure':52} {'n':>3} {'min':>6} {'median':>7} {'max':>6} {'goal':>6}")
    runs = [run for target in res["first_chart"].values() for run in target]
    if runs:
        line(summary, "cold start", [r["ours"]["start"] / r["baseline"]["start"] for r in runs], GOALS["cold_start"])
    for key, target in res["first_chart"].items():
        for phase, word in (("cold", "fresh server"), ("warm", "warm server")):
            ratios = [run["ours"][phase] / run["baseline"][phase] for run in target]
            line(summary, f"first chart, {word}, {key}", ratios, GOALS["first_chart"])
    # Both widths of a page pooled: twice the pairs, so a steadier median (a 7-pair median of the bare app against
    # itself, --aa, falls anywhere in about 0.9-1.06x)
    for page, word in (("/", "`/`"), (DEEP, "deep link")):
        for phase, state in (("cold", "fresh"), ("warm", "warm")):
            ratios = [run["ours"][phase] / run["baseline"][phase] for run in page_runs(res, page)]
            if ratios:
                line(summary, f"first chart, {state} server, {word}, both widths", ratios, GOALS["first_chart"])
    time_parts(summary, res)
    if res["load"]:
        k = res["k"]
        for key, name in (
            ("server_cpu_per_visit", f"server CPU per visit, K = {k} at once"),
            ("p95_first_chart", f"p95 first chart, K = {k} at once"),
            ("rss_peak", f"server memory at peak, K = {k} at once"),
            ("browser_cpu_per_visit", f"browser CPU per visit, K = {k} at once"),
        ):
            line(summary, name, [run["ours"][key] / run["baseline"][key] for run in res["load"]], GOALS[key])
    if runs or res["load"]:
        print("\nseconds (median): ", end="")
        parts = []
        if runs:
            for phase in ("start", "cold", "warm"):
                med = {w: statistics.median(r[w][phase] for r in runs) for w in ("baseline", "ours")}
                parts.append(f"{phase} {med['ours']:.2f} vs {med['baseline']:.2f}")
        if res["load"]:
            for key in ("server_cpu_per_visit", "p95_first_chart", "rss_peak"):
                med = {w: statistics.median(r[w][key] for r in res["load"]) for w in ("baseline", "ours")}
                parts.append(f"{key} {med['ours']:.3g} vs {med['baseline']:.3g}")
        print("; ".join(parts) + " (ours vs baseline; rss in MiB)")
    if not res["dom"]:
        return summary
    base = res["dom"]["baseline"]
    print(
        f"\nDOM elements once drawn (baseline: {base[0]['nodes']} at 390 px, {base[1]['nodes']} at 1400 px), and what "
        "the server sent the page over its WebSocket"
    )
    for view, lang in DOM_PAGES:
        page = f"{view} {lang}"
        if page not in res["dom"]:  # a report of a run from before pages were measured in each language
            continue
        n = res["dom"][page]
        worst = max(n[0]["nodes"] / base[0]["nodes"], n[1]["nodes"] / base[1]["nodes"])
        goal = GOALS["dom_overview"] if view == "overview" else GOALS["dom_view"]
        summary[f"DOM, {page}"] = dict(nodes=[x["nodes"] for x in n], ratio=worst, goal=goal, met=worst <= goal)
        ws = n[1]["bytes"] / base[1]["bytes"]
        summary[f"WebSocket bytes, {page}"] = dict(bytes=n[1]["bytes"], messages=n[1]["messages"], ratio=ws)
        print(
            f"  {page:18} {n[0]['nodes']:6d} / {n[1]['nodes']:6d}   {worst:5.2f}x   goal {goal:.1f}x "
            f"{'MET' if worst <= goal else 'MISSED':6}   WebSocket {n[1]['bytes'] / 1024:6.1f} KiB in "
            f"{n[1]['messages']:3d} messages ({ws:4.1f}x the baseline's {base[1]['bytes'] / 1024:.1f} KiB in "
            f"{base[1]['messages']})"
        )
    return summary


def main() -> int:
    return run()


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 pairs, K = 10")
    parser.add_argument("--pairs", type=int, default=None, help="pairs per first chart (default 7; --quick 3; >= 3)")
    parser.add_argument("--load-pairs", type=int, default=None, help="pairs of K at once (default 5; --quick 3; >= 3)")
    parser.add_argument("--only", choices=MEASURES, action="append", help="this measure alone (may repeat)")
    parser.add_argument("--aa", action="store_true", help="the bare app on both sides: the bench's own noise")
    parser.add_argument(
        "--against",
        type=Path,
        help="the baseline side serves this other checkout of ours (e.g. a git worktree of an earlier commit), on the "
        "same pages: before -> after",
    )
    parser.add_argument("--page", choices=("/", "deep"), action="append", help="first charts of this page alone")
    parser.add_argument("--report", type=Path, help="print the report of a saved run (its visit.json) and stop")
    args = parser.parse_args()
    if args.report:
        saved = json.loads(args.report.read_text())
        report(saved)
        print(f"\nstarted {saved.get('started')}, took {saved.get('minutes')} min")
        return 0
    if args.aa:
        APPS["ours"] = "baseline"
    if args.against:
        if not (args.against / "app.py").is_file():
            parser.error(f"--against {args.against}: no app.py there; give the folder of a checkout of kztrade")
        APPS["baseline"] = str(args.against.resolve())
    pages = tuple(DEEP if p == "deep" else p for p in args.page or ("/", "deep"))
    pairs = max(3, args.pairs or (3 if args.quick else 7))
    load_pairs = max(3, args.load_pairs or (3 if args.quick else 5))
    started = time.strftime("%Y-%m-%d %H:%M")
    t0 = time.perf_counter()
    res = asyncio.run(main_async(pairs, load_pairs, 10 if args.quick else 20, tuple(args.only or MEASURES), pages))
    if args.against:
        res["baseline"] = f"ours in {args.against.resolve()} (--against)"
    res["summary"] = report(res)
    res["started"], res["minutes"] = started, round((time.perf_counter() - t0) / 60, 1)
    print(f"\nstarted {started}, took {res['minutes']} min")
    RESULTS.mkdir(exist_ok=True)
    name = "visit-aa.json" if args.aa else "visit-against.json" if args.against else "visit.json"
    (RESULTS / name).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
