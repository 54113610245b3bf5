"""Benchmark: PNG export with plain `fig.to_image` per chart vs kztrade's exporter, measured in one run.

Prints medians per image and the ratios against the baseline measured in the same run (this machine is
noisy, so absolute seconds mean little). Targets (issue 5):
  - after the first image, kztrade is at least 8x faster per image than plain to_image;
  - the whole batch (every chart and card) takes at most 1.5x one plain to_image call.
Not a test: it prints, writes bench/results/export.json, and always exits 0 unless something crashes.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kztrade.export import Exporter  # noqa: E402
from kztrade.export_cli import items as export_items  # noqa: E402
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


def main() -> int:
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
            ),
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
