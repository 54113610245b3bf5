"""Benchmark: how the app grows with the data. Not a test: it prints a table and writes bench/results/growth.json.

    python bench/growth_bench.py [--quick]

For the shipped data, and copies of data/ grown to 1,000 and 10,000 figure rows (context rows repeated under new
ids, so every rule and chart still applies), it measures:
  guard        load_dataset as the app does on a cold start (no frictionless)
  check        python -m kztrade check's validation (frictionless included)
  charts       building every chart, in English
  AppTest      a warm rerun of the overview, turnover and data views
  browser      on a fresh server: time to the first chart of ?view=turnover, and the DOM nodes of the turnover
               and data views (Debian's Chromium through Playwright)
Each is printed with its ratio to the shipped data, measured in the same run, and that ratio divided by the
growth in rows: 1 or less means the step grows no faster than the data (linear or better, thanks to the caps).
--quick stops at 1,000 rows and skips the browser.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

from kztrade import DATA_DIR  # noqa: E402
from kztrade.charts import CHARTS, build_chart  # noqa: E402
from kztrade.check import check_data  # noqa: E402
from kztrade.load import load_dataset  # noqa: E402

# Outside `streamlit run` (AppTest's runs, the data layer called directly), Streamlit warns of a missing
# ScriptRunContext on every cached call: expected in a benchmark, nothing to act on, and a hundred lines of it hid the
# results in `make bench`'s output. A filter, since AppTest sets the logger's level again; other messages still print.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)


def grown_copy(rows_wanted: int) -> Path:
    """A copy of data/ whose figures.csv has rows_wanted rows (or the shipped ones, if fewer are wanted)."""
    folder = Path(tempfile.mkdtemp(prefix="kztrade-growth-")) / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "figures.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    context = [r for r in rows if r["kind"] == "context"]
    extra = [
        dict(context[i % len(context)], figure_id=f"{context[i % len(context)]['figure_id']}_g{i}")
        for i in range(max(0, rows_wanted - len(rows)))
    ]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows + extra)
    # each copy has the translations of the row it copies
    tpath = folder / "translations-ru.csv"
    with open(tpath, encoding="utf-8", newline="") as f:
        trans = list(csv.DictReader(f))
    of = {}
    for t in trans:
        if t["table"] == "figures":
            of.setdefault(t["id"], []).append(t)
    trans += [dict(t, id=e["figure_id"]) for e in extra for t in of.get(e["figure_id"].rsplit("_g", 1)[0], [])]
    with open(tpath, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(trans[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(trans)
    return folder


def timed(fn, repeat: int = 3) -> float:
    """The fastest of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def apptest_rerun(folder: Path, view: str) -> float:
    """A warm rerun of one view in AppTest (the first run loads and caches the data)."""
    from streamlit.testing.v1 import AppTest

    os.environ["KZTRADE_DATA_DIR"] = str(folder)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.query_params["view"] = view
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        return timed(at.run, 2)
    finally:
        del os.environ["KZTRADE_DATA_DIR"]


def in_browser(folder: Path) -> dict:
    """First chart of the turnover view on a fresh server, and the DOM size of two views."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, settled, streamlit_server

    out = {}
    with streamlit_server(env={"KZTRADE_DATA_DIR": str(folder)}) as (url, _proc), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for view in ("turnover", "data"):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t0 = time.perf_counter()
                page.goto(f"{url}/?view={view}&lang=en")
                first = (
                    ".js-plotly-plot .main-svg >> visible=true" if view == "turnover" else ".st-key-figures-table table"
                )
                page.wait_for_selector(first, timeout=600_000)
                if view == "turnover":
                    out["first_chart_s"] = time.perf_counter() - t0
                settled(page, timeout=600_000)  # the script has finished and the page holds still: it is all there
                out[f"dom_{view}"] = page.evaluate("() => document.getElementsByTagName('*').length")
                page.close()
        finally:
            browser.close()
    return out


def measure(rows: int, browser: bool) -> dict:
    folder = grown_copy(rows)
    try:
        ds = load_dataset(folder, None)
        res = {"rows": len(ds.figures)}
        res["guard_s"] = timed(lambda: load_dataset(folder, None))
        res["check_s"] = timed(lambda: check_data(folder, None, full=True), 1)
        res["charts_s"] = timed(lambda: [build_chart(ds, c) for c in CHARTS])
        for view in ("overview", "turnover", "data"):
            res[f"apptest_{view}_s"] = apptest_rerun(folder, view)
        if browser:
            res.update(in_browser(folder))
        return res
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def report(results: list[dict]) -> None:
    base = results[0]
    keys = [k for k in base if k != "rows"]
    print(f"\n{'measure':22}" + "".join(f"{r['rows']:>12,} rows" for r in results) + "   ratio / row growth")
    for k in keys:
        cells = "".join(
            f"{r.get(k, float('nan')):17.3f}" if k.endswith("_s") else f"{r.get(k, 0):17,d}" for r in results
        )
        growth = "  ".join(
            f"{(r[k] / base[k]):7.1f}x / {(r['rows'] / base['rows']):.0f}x = "
            f"{(r[k] / base[k]) / (r['rows'] / base['rows']):.2f}"
            for r in results[1:]
            if k in r and base.get(k)
        )
        print(f"{k:22}{cells}   {growth}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="up to 1,000 rows, no browser")
    args = parser.parse_args()
    check_data(DATA_DIR, None, full=True)  # warm: frictionless's import and first run are not growth
    sizes = [0, 1_000] if args.quick else [0, 1_000, 10_000]
    results = [measure(n, browser=not args.quick) for n in sizes]
    report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "growth.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
