"""Benchmark: what a server does besides drawing pages: PNG downloads at once, and the script's time per view.

Not a test: it prints, writes bench/results/serve.json, and exits 0 unless it crashes. What a visitor gets (cold
start, first chart, K visitors at once, the page's weight) is bench/visit_bench.py, in paired ratios against the bare
app; growth with the data is bench/growth_bench.py. This file also holds the server both use (`Server`).

    python bench/serve_bench.py [--quick]

  PNG downloads         1, 4 and 8 simultaneous visitors on one server of ours: latency, every file equal to the same
                        chart downloaded alone, and how many export browsers the server started
  script time           AppTest run per view, p50 and p95, against the bare app's script
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = ROOT / "bench" / "results"
SESSION_TTL = 2  # seconds a disconnected session is kept; the same for both apps, so "after expiry" is quick to reach


# Outside `streamlit run` (AppTest's runs, the data layer called directly), Streamlit warns of a missing
# ScriptRunContext on every cached call: expected in a benchmark, nothing to act on, and a hundred lines of it hid the
# results in `make bench`'s output. A filter, since AppTest sets the logger's level again; other messages still print.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_dir(which: str) -> Path:
    """Where each app runs from: ours is the repository, byte-compiled as `make run` leaves it; the baseline is a
    folder with the same settings (its one file is compiled by Streamlit on every run either way). Any other value is
    the folder of another checkout of ours (visit_bench.py --against), byte-compiled the same way."""
    if which != "baseline":
        folder = ROOT if which == "ours" else Path(which)
        compileall.compile_dir(folder / "kztrade", quiet=1)
        return folder
    folder = Path(tempfile.mkdtemp(prefix="kztrade-baseline-"))
    shutil.copy(ROOT / "bench" / "baseline_app.py", folder / "app.py")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    return folder


class Server:
    """`streamlit run app.py` on a free loopback port, started and stopped by PID."""

    def __init__(self, which: str):
        self.which, self.cwd, self.port = which, app_dir(which), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
                "--server.disconnectedSessionTTL",
                str(SESSION_TTL),
            ],
            cwd=self.cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.01)
            if self.proc.poll() is not None:
                raise RuntimeError(f"{which} server exited")
        self.cold_start = time.perf_counter() - t0
        self.ps = psutil.Process(self.proc.pid)

    def rss_mib(self) -> float:
        """Resident memory of the server (its export browser, if any, is counted apart)."""
        return self.ps.memory_info().rss / 2**20

    def cpu_s(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def export_browsers(self) -> int:
        """How many Chromium (root) processes the server has started for exports."""
        n = 0
        for p in self.ps.children(recursive=True):
            try:
                if "chrom" in p.name().lower() and not any("chrom" in q.name().lower() for q in p.parents()[:1]):
                    n += 1
            except psutil.NoSuchProcess:
                pass
        return n

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.which == "baseline":  # its temporary folder; never a checkout of ours
            shutil.rmtree(self.cwd, ignore_errors=True)


def browser_cpu_s() -> float:
    """CPU seconds of every Chromium this benchmark runs (its Playwright browser and its children)."""
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name().lower():
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def downloads(browser, server: Server, n: int) -> dict:
    """n visitors click Download PNG on the same chart at once; every file must equal the chart downloaded alone."""

    async def one(i: int) -> tuple[float, bytes]:
        ctx = await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = await ctx.new_page()
        await page.goto(f"{server.url}/?view=containers_index&lang=en")
        await page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=300_000)
        t0 = time.perf_counter()
        async with page.expect_download(timeout=300_000) as dl:
            await page.get_by_role("button", name="PNG").click()
        data = Path(await (await dl.value).path()).read_bytes()
        elapsed = time.perf_counter() - t0
        await ctx.close()
        return elapsed, data

    results = await asyncio.gather(*(one(i) for i in range(n)))
    return dict(
        n=n,
        p50=statistics.median(t for t, _ in results),
        max=max(t for t, _ in results),
        files=[d for _, d in results],
        export_browsers=server.export_browsers(),
    )


def script_times(runs: int) -> dict:
    """AppTest run time per view (ours) and for the baseline script, p50 and p95 in ms, after one warm-up run."""
    from streamlit.testing.v1 import AppTest

    from kztrade.routes import VIEWS

    out = {}
    base_dir = app_dir("baseline")
    try:
        jobs = [("baseline", str(base_dir / "app.py"), None)] + [(v, str(ROOT / "app.py"), v) for v in VIEWS]
        for name, path, view in jobs:
            times = []
            for i in range(runs + 1):
                at = AppTest.from_file(path, default_timeout=120)
                if view:
                    at.query_params["view"] = view
                    at.query_params["lang"] = "en"
                t0 = time.perf_counter()
                at.run()
                if i:  # the first run warms the caches, as the first visitor does
                    times.append((time.perf_counter() - t0) * 1000)
            out[name] = dict(p50=statistics.median(times), p95=quantile(times, 0.95))
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)
    return out


async def main_async() -> dict:
    from playwright.async_api import async_playwright

    res: dict = {"downloads": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        server = Server("ours")
        try:
            alone = await downloads(browser, server, 1)
            reference = alone["files"][0]
            for n in (1, 4, 8):
                d = alone if n == 1 else await downloads(browser, server, n)
                res["downloads"].append(
                    dict(
                        n=n,
                        p50=d["p50"],
                        max=d["max"],
                        identical=sum(f == reference for f in d["files"]),
                        export_browsers=d["export_browsers"],
                    )
                )
        finally:
            server.stop()
        await browser.close()
    return res


def report(res: dict) -> None:
    print("\nPNG downloads at once (containers_index):")
    for d in res["downloads"]:
        print(
            f"  {d['n']} visitor(s): p50 {d['p50']:.2f} s, max {d['max']:.2f} s, {d['identical']}/{d['n']} files equal "
            "to the chart alone, "
            f"{d['export_browsers']} export browser(s)"
        )
    print("\nscript time per run (AppTest, ms):")
    base = res["script"]["baseline"]["p50"]
    for name, t in res["script"].items():
        print(f"  {name:12} p50 {t['p50']:7.1f}  p95 {t['p95']:7.1f}  ({t['p50'] / base:.1f}x baseline p50)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer script runs")
    args = parser.parse_args()
    res = asyncio.run(main_async())
    res["script"] = script_times(5 if args.quick else 20)
    for d in res["downloads"]:
        d.pop("files", None)
    report(res)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "serve.json").write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
