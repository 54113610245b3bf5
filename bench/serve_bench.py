"""Benchmark: kztrade served by Streamlit against a bare Streamlit app with one plotly chart, in the same run.

Not a test: it prints a table of figures and their ratio to the baseline measured in the same run (this
machine is noisy, so only ratios mean much), writes bench/results/serve.json, and exits 0 unless it crashes.

    python bench/serve_bench.py [--quick]

Measured, for ours and the baseline, each started the same way (`streamlit run`, same settings):
  cold start            process start to /_stcore/health ok
  first chart           navigation to the first chart drawn in Chromium, on a cold and on a warm server
  script time           AppTest run per view, p50 and p95
  load, K visitors      one Chromium, K contexts opening a deep link at once: p50/p95 to first chart, server RSS
                        idle/peak/after the sessions expire, CPU seconds per visit of server and browser, export
                        browsers
Ours only:
  PNG downloads         1, 4 and 8 simultaneous visitors: latency, and every file equal to the same chart alone
(growth with the data is bench/growth_bench.py)
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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
TARGETS = {
    "cold_start": 1.3,
    "first_chart_cold": 1.3,
    "first_chart_warm": 1.3,
    "p95_k20": 1.3,
    "server_cpu_per_visit": 1.5,
    "browser_cpu_per_visit": 1.3,
    "rss_peak": 2.0,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_dir(which: str) -> Path:
    """Where each app runs from: ours is the repository, byte-compiled as `make run` leaves it; the baseline is a
    folder with the same settings (its one file is compiled by Streamlit on every run either way)."""
    if which == "ours":
        compileall.compile_dir(ROOT / "kztrade", quiet=1)
        return ROOT
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
        if self.which != "ours":
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


def query(which: str) -> str:
    return "view=turnover_ytd&lang=en" if which == "ours" else ""


async def visit(browser, url: str) -> float:
    """Seconds from navigation to the first chart drawn, in a fresh context (a new visitor)."""
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    t0 = time.perf_counter()
    await page.goto(url)
    await page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=300_000)
    elapsed = time.perf_counter() - t0
    await ctx.close()
    return elapsed


async def load(browser, server: Server, k: int) -> dict:
    """K visitors at once; server RSS sampled throughout; CPU of both sides over the visits."""
    url = f"{server.url}/?{query(server.which)}"
    peak, stop = [server.rss_mib()], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peak.append(server.rss_mib())
            except psutil.NoSuchProcess:
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    idle = server.rss_mib()
    cpu0, bcpu0 = server.cpu_s(), browser_cpu_s()
    sampler.start()
    times = await asyncio.gather(*(visit(browser, url) for _ in range(k)))
    cpu1, bcpu1 = server.cpu_s(), browser_cpu_s()
    stop.set()
    sampler.join()
    await asyncio.sleep(SESSION_TTL + 8)  # the sessions' websockets are closed; let them expire
    return dict(
        k=k,
        p50=statistics.median(times),
        p95=quantile(times, 0.95),
        rss_idle=idle,
        rss_peak=max(peak),
        rss_after=server.rss_mib(),
        server_cpu_per_visit=(cpu1 - cpu0) / k,
        browser_cpu_per_visit=(bcpu1 - bcpu0) / k,
        export_browsers=server.export_browsers(),
    )


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def first_chart(browser, which: str) -> tuple[float, float, float]:
    """(cold start, first chart on the cold server, first chart once warm) for one freshly started server."""
    server = Server(which)
    try:
        url = f"{server.url}/?{query(which)}"
        cold = await visit(browser, url)
        warm = await visit(browser, url)
        return server.cold_start, cold, warm
    finally:
        server.stop()


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


async def main_async(quick: bool) -> dict:
    from playwright.async_api import async_playwright

    ks = [1, 5] if quick else [1, 5, 10, 20]
    res: dict = {"first_chart": {}, "load": {}, "downloads": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for which in ("baseline", "ours") * (1 if quick else 2):  # interleaved, so drift hits both alike
            res["first_chart"].setdefault(which, []).append(await first_chart(browser, which))
        for which in ("baseline", "ours"):
            server = Server(which)
            try:
                await visit(browser, f"{server.url}/?{query(which)}")  # warm, as a running deployment is
                res["load"][which] = [await load(browser, server, k) for k in ks]
            finally:
                server.stop()
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


def ratio(ours: float, base: float) -> float:
    return ours / base if base else float("inf")


def report(res: dict) -> None:
    fc = {w: [statistics.median(x) for x in zip(*v)] for w, v in res["first_chart"].items()}
    rows = [
        ("cold start (s)", fc["ours"][0], fc["baseline"][0], "cold_start"),
        ("first chart, cold server (s)", fc["ours"][1], fc["baseline"][1], "first_chart_cold"),
        ("first chart, warm server (s)", fc["ours"][2], fc["baseline"][2], "first_chart_warm"),
    ]
    print(f"\n{'measure':44} {'ours':>9} {'baseline':>9} {'ratio':>7} {'target':>7}")
    for name, o, b, key in rows:
        r = ratio(o, b)
        print(f"{name:44} {o:9.3f} {b:9.3f} {r:6.2f}x {TARGETS[key]:6.1f}x {'MET' if r <= TARGETS[key] else 'MISSED'}")
    print(
        f"\n{'K':>3} {'p50 ours':>9} {'p50 base':>9} {'p95 ours':>9} {'p95 base':>9} {'p95 x':>6} "
        f"{'srv cpu/visit':>14} "
        f"{'x':>5} "
        f"{'brw cpu/visit':>14} {'x':>5} {'RSS idle/peak/after MiB (ours | base)':>40} {'exp br':>6}"
    )
    for o, b in zip(res["load"]["ours"], res["load"]["baseline"]):
        print(
            f"{o['k']:3d} {o['p50']:9.2f} {b['p50']:9.2f} {o['p95']:9.2f} {b['p95']:9.2f} "
            f"{ratio(o['p95'], b['p95']):5.2f}x "
            f"{o['server_cpu_per_visit']:6.3f}/{b['server_cpu_per_visit']:.3f} "
            f"{ratio(o['server_cpu_per_visit'], b['server_cpu_per_visit']):4.2f}x "
            f"{o['browser_cpu_per_visit']:6.3f}/{b['browser_cpu_per_visit']:.3f} "
            f"{ratio(o['browser_cpu_per_visit'], b['browser_cpu_per_visit']):4.2f}x "
            f"{o['rss_idle']:5.0f}/{o['rss_peak']:5.0f}/{o['rss_after']:5.0f} | "
            f"{b['rss_idle']:5.0f}/{b['rss_peak']:5.0f}/{b['rss_after']:5.0f} "
            f"{o['export_browsers']:6d}"
        )
    last_o, last_b = res["load"]["ours"][-1], res["load"]["baseline"][-1]
    for name, key, value in (
        ("p95 to first chart at the largest K", "p95_k20", ratio(last_o["p95"], last_b["p95"])),
        (
            "server CPU per visit at the largest K",
            "server_cpu_per_visit",
            ratio(last_o["server_cpu_per_visit"], last_b["server_cpu_per_visit"]),
        ),
        (
            "browser CPU per visit at the largest K",
            "browser_cpu_per_visit",
            ratio(last_o["browser_cpu_per_visit"], last_b["browser_cpu_per_visit"]),
        ),
        ("server RSS at peak, largest K", "rss_peak", ratio(last_o["rss_peak"], last_b["rss_peak"])),
    ):
        print(f"{name:44} {value:6.2f}x (target {TARGETS[key]:.1f}x) {'MET' if value <= TARGETS[key] else 'MISSED'}")
    print("\nPNG downloads at once (containers_index):")
    for d in res["downloads"]:
        print(
            f"  {d['n']} visitor(s): p50 {d['p50']:.2f} s, max {d['max']:.2f} s, {d['identical']}/{d['n']} files equal "
            "to the chart alone, "
            f"{d['export_browsers']} export browser(s)"
        )
    print("\nscript time per run (AppTest, ms):")
    for name, t in res["script"].items():
        print(
            f"  {name:12} p50 {t['p50']:7.1f}  p95 {t['p95']:7.1f}  "
            f"({ratio(t['p50'], res['script']['baseline']['p50']):.1f}x baseline p50)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="K = 1 and 5 only, one round of starts, fewer script runs")
    args = parser.parse_args()
    res = asyncio.run(main_async(args.quick))
    res["script"] = script_times(5 if args.quick else 20)
    for d in res["downloads"]:
        d.pop("files", None)
    report(res)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "serve.json").write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
