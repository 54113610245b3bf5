"""Benchmark: PNG export with plain `fig.to_image` per chart vs kztrade's exporter, measured in one run.

    python bench/export_bench.py [--pairs N]

Prints medians per image and the ratios against the baseline measured in the same run (this machine is
noisy, so absolute seconds mean little). Targets (issue 5):
  - after the first image, kztrade is at least 8x faster per image than plain to_image;
  - the whole batch (every chart and card) takes at most 1.5x one plain to_image call, in-process;
  - as whole processes, what a person runs: `python -m kztrade export` of every chart and quote card (8 images)
    takes at most 1.5x a process that makes one chart's image with plain to_image; in interleaved pairs (default 5),
    printed as the paired ratio's min / median / max.
Not a test: it prints, writes bench/results/export.json, and always exits 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kztrade.export import Exporter  # noqa: E402
from kztrade.export_cli import items as export_items  # noqa: E402
from kztrade.export_cli import known_ids  # noqa: E402
from kztrade.i18n import Tr  # noqa: E402
from kztrade.load import load_dataset  # noqa: E402

SCALE = 2


def items():
    """Every chart (composed with its title and source, as exported) and card, with the width it is exported at."""
    return export_items(load_dataset(), None, Tr(), "landscape")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


ROOT = Path(__file__).resolve().parents[1]
# One chart's image the plain way, in a process of its own: our data and chart, then plotly's to_image (which starts
# a Chromium for the one image). The first chart of the registry, at the width and scale the CLI exports it.
PLAIN_ONE = """
import warnings
warnings.filterwarnings("ignore")
from kztrade.charts import CHARTS, EXPORT_WIDTH, build_chart, compose
from kztrade.i18n import Tr
from kztrade.load import load_dataset
fig = compose(build_chart(load_dataset(), next(iter(CHARTS)), Tr()))
fig.to_image(format="png", width=EXPORT_WIDTH, height=fig.layout.height, scale=2)
"""


def whole_processes(pairs: int) -> list[dict]:
    """Interleaved pairs of whole processes, each timed from its start to its exit: one plain image, then the CLI
    writing every chart and quote card (not the claim cards: `--only` names the eight)."""
    eight = [i for i, kind in known_ids(load_dataset(), "landscape").items() if not kind.startswith("claim:")]
    out = []
    for _ in range(pairs):
        folder = tempfile.mkdtemp(prefix="kztrade-export-bench-")
        try:
            plain = timed(lambda: subprocess.run([sys.executable, "-c", PLAIN_ONE], cwd=ROOT, check=True))
            cli = [sys.executable, "-m", "kztrade", "export", "--only", ",".join(eight), "--out", folder]
            ours = timed(lambda: subprocess.run(cli, cwd=ROOT, check=True, stdout=subprocess.DEVNULL))
            written = len(list(Path(folder).glob("*.png")))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        out.append(dict(plain_one_s=plain, cli_s=ours, images=written, ratio=ours / plain))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=5, help="whole-process pairs (default 5, at least 3)")
    pairs = max(3, parser.parse_args().pairs)
    warnings.filterwarnings("ignore")
    todo = items()
    # Baseline: what plotly does by default with no server: a fresh Chromium for every image.
    baseline = [
        timed(lambda f=f, w=w: f.to_image(format="png", width=w, height=f.layout.height, scale=SCALE))
        for _, f, w in todo
    ]
    # kztrade, per image: one browser, started lazily by the first call, then reused.
    ex = Exporter()
    ours = [timed(lambda f=f, w=w: ex.render(f, "png", scale=SCALE, width=w)) for _, f, w in todo]
    ex.close()
    # kztrade, whole batch as the CLI does it: a fresh browser, every chart and card on its tabs in parallel.
    ex = Exporter()
    batch = timed(lambda: ex.render_many([(f, "png", SCALE, w) for _, f, w in todo]))
    ex.close()
    base_median = statistics.median(baseline)
    warm_median = statistics.median(ours[1:])
    per_image = base_median / warm_median
    batch_ratio = batch / base_median
    print(f"{'item':40} {'to_image s':>11} {'kztrade s':>10}")
    for (cid, _, _), b, o in zip(todo, baseline, ours):
        print(f"{cid:40} {b:11.3f} {o:10.3f}")
    print(f"\nplain to_image: median {base_median:.3f} s per image over {len(baseline)} images")
    print(f"kztrade: first image {ours[0]:.3f} s (starts the browser); median after it {warm_median:.3f} s")
    print(
        f"per image after the first: {per_image:.1f}x faster (target >= 8x) -> {'MET' if per_image >= 8 else 'MISSED'}"
    )
    print(
        f"whole batch of {len(todo)}: {batch:.3f} s = {batch_ratio:.2f}x one plain to_image call "
        f"(target <= 1.5x) -> {'MET' if batch_ratio <= 1.5 else 'MISSED'}"
    )
    processes = whole_processes(pairs)
    ratios = [p["ratio"] for p in processes]
    med = statistics.median(ratios)
    print(
        f"whole processes, {processes[0]['images']} images by the CLI against one plain image, {pairs} interleaved "
        f"pairs: {min(ratios):.2f}x / {med:.2f}x / {max(ratios):.2f}x (min / median / max; target <= 1.5x) -> "
        f"{'MET' if med <= 1.5 else 'MISSED'}; medians {statistics.median(p['cli_s'] for p in processes):.2f} s "
        f"against {statistics.median(p['plain_one_s'] for p in processes):.2f} s"
    )
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "export.json").write_text(
        json.dumps(
            dict(
                items=[cid for cid, _, _ in todo],
                baseline_s=baseline,
                kztrade_s=ours,
                batch_s=batch,
                baseline_median_s=base_median,
                warm_median_s=warm_median,
                per_image_speedup=per_image,
                batch_ratio=batch_ratio,
                scale=SCALE,
                whole_processes=processes,
            ),
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
