"""Figure -> PNG/SVG bytes with Kaleido v1 and the system Chromium.

One browser per process, started lazily on the first export and reused. Kaleido's shared server can hand
one caller another caller's image (Kaleido issue 444), so every call holds one lock. Every call has a
timeout; after a hang the browser is killed and the next call starts a fresh one. A browser that died
between calls (a crash, or kill -9) is replaced and the call tried once more, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import math
import os
import shutil
import threading
import time
from typing import Any

import plotly.graph_objects as go

from .charts import EXPORT_WIDTH

INSTALL_STEP = (
    "Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`; Streamlit Community Cloud: list "
    "`chromium` in packages.txt), or point BROWSER_PATH at a Chrome or Chromium binary."
)
FALLBACK = "Meanwhile, the HTML download carries the chart with its title and source, and the CSV its numbers."
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Kaleido reloads its tab (re-parsing plotly.js, ~0.15 s) after every image. Its page renders with
# Plotly.toImage on a figure object, which makes and purges its own element, so we reload only every
# RELOAD_EVERY images: 3x faster per image, with a bound on any slow leak (see bench/export_bench.py).
RELOAD_EVERY = 50
# Bounds on what one export may ask for: a scale of 4 on the tallest chart stays far below Pillow's
# decompression-bomb limit, and a 0, negative or non-finite size is a mistake, not an image.
MAX_SCALE = 4.0
MAX_SIDE_PX = 6000


# An export browser holds about 150 MiB. After this many seconds without an export it is closed; the next
# click starts a new one (about 2 s). KZTRADE_EXPORT_IDLE_CLOSE sets it; 0 keeps the browser open for good.
def idle_close_setting(text: str | None, default: float = 600.0) -> float | None:
    """KZTRADE_EXPORT_IDLE_CLOSE as seconds; 0 means never; a value that is no finite number >= 0 gives the default."""
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    if not math.isfinite(value) or value < 0:
        return default
    return value or None


IDLE_CLOSE = idle_close_setting(os.environ.get("KZTRADE_EXPORT_IDLE_CLOSE"))


class ExportError(RuntimeError):
    """An export failed; the message says what happened and what to do."""


class BrowserMissing(ExportError):
    """No Chrome or Chromium to render with."""


class ExportTimeout(ExportError):
    """An export took longer than its timeout and was stopped."""


def check_size(scale: float, width: float, height: float) -> None:
    """Raise ValueError, saying what is allowed, for a scale or size no image should have."""
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and 0 < scale <= MAX_SCALE):
        raise ValueError(f"scale must be a number above 0 and at most {MAX_SCALE:g}, not {scale!r}")
    for name, px in (("width", width), ("height", height)):
        if not (math.isfinite(px) and 0 < px * scale <= MAX_SIDE_PX):
            raise ValueError(
                f"the image's {name} would be {px * scale:g} px; it must be above 0 and at most {MAX_SIDE_PX} px"
            )


def fit_scale(wanted: float, width: float, height: float) -> float:
    """The scale to export at: the one asked for, or less where that would pass MAX_SIDE_PX (a very tall chart
    comes out at lower resolution rather than not at all)."""
    return min(wanted, MAX_SIDE_PX / max(width, height, 1))


def browser_path() -> str | None:
    """The browser Kaleido will use: BROWSER_PATH if set (and executable), else Chromium on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env is not None:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    return next((p for p in map(shutil.which, BROWSER_NAMES) if p), None)


def missing_browser_message() -> str:
    """What to tell a user when there is no browser to export with."""
    env = os.environ.get("BROWSER_PATH")
    where = f"BROWSER_PATH={env!r} is not an executable file." if env is not None else "No Chromium was found."
    return f"Image export (PNG/SVG) is unavailable here: {where} {INSTALL_STEP} {FALLBACK}"


class Exporter:
    """A lazily started, reusable, lock-guarded Kaleido browser with per-call timeouts."""

    def __init__(self, timeout: float = 30.0, start_timeout: float = 60.0, idle_close: float | None = IDLE_CLOSE):
        self.timeout = timeout  # per image: a batch of n images has n times this
        self.start_timeout = start_timeout
        self.idle_close = idle_close  # seconds without an export after which the browser is closed (None: never)
        self._idle_timer: threading.Timer | None = None
        self._last_used = 0.0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.starts = 0  # how many browsers this exporter has started, for tests and benchmarks
        self._warming: threading.Thread | None = None

    @property
    def browser_pid(self) -> int | None:
        """PID of the running browser, if any."""
        proc = getattr(self._kaleido, "subprocess", None)
        return proc.pid if proc is not None else None

    def _start(self) -> None:
        """Start the event-loop thread and the browser; raise BrowserMissing or ExportTimeout."""
        from kaleido.errors import ChromeNotFoundError

        path = browser_path()
        if path is None:
            raise BrowserMissing(missing_browser_message())
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kztrade-kaleido", daemon=True)
        self._thread.start()
        try:
            self._kaleido = reusing_kaleido()(
                n=1, timeout=self.timeout, mathjax=False, path=path
            )  # one tab: images in turn
            asyncio.run_coroutine_threadsafe(self._kaleido.open(), self._loop).result(self.start_timeout)
        except ChromeNotFoundError as e:
            self._reset()
            raise BrowserMissing(missing_browser_message()) from e
        except concurrent.futures.TimeoutError as e:
            self._reset()
            raise ExportTimeout(f"Chromium did not start within {self.start_timeout:g} s. Try again; {FALLBACK}") from e
        except Exception as e:
            self._reset()
            raise ExportError(
                f"Chromium could not be started ({type(e).__name__}: {e}). {INSTALL_STEP} {FALLBACK}"
            ) from e
        self.starts += 1

    def warm(self) -> None:
        """Start the browser on a thread of its own and return at once: a batch builds its figures meanwhile (the
        browser takes about 1.5 s to start). A failure is left to the first render, which starts it again and says
        why; close() waits for this thread, so no browser is started after it."""

        def start() -> None:
            with self._lock:
                if self._kaleido is None:
                    try:
                        self._start()
                    except ExportError:
                        pass  # render_many starts it again and reports the reason

        self._warming = threading.Thread(target=start, name="kztrade-kaleido-warm", daemon=True)
        self._warming.start()

    async def _calc(self, fig_dict: dict, opts: dict) -> bytes:
        """Render one figure in the browser (a seam for tests that stub a hang)."""
        return await self._kaleido.calc_fig(fig_dict, opts=opts)

    def render(self, fig: go.Figure, fmt: str, scale: float = 1, width: int | None = None) -> bytes:
        """Image bytes of a figure; thread-safe; raises ExportError with a user-facing message."""
        return self.render_many([(fig, fmt, scale, width)])[0]

    def render_many(self, jobs: list[tuple[go.Figure, str, float, int | None]]) -> list[bytes]:
        """Image bytes of several figures, rendered in turn on the browser's one tab, in order.

        Each result comes back from its own coroutine, so results cannot be swapped between jobs."""
        specs = []
        for fig, fmt, scale, width in jobs:
            w, h = width or fig.layout.width or EXPORT_WIDTH, fig.layout.height or 500
            check_size(scale, w, h)
            specs.append((fig.to_dict(), dict(format=fmt, scale=scale, width=w, height=h)))
        timeout = self.timeout * len(specs)  # one timeout per image, in turn
        with self._lock:
            for attempt in (1, 2):
                fresh = self._kaleido is None
                if fresh:
                    self._start()
                future = asyncio.run_coroutine_threadsafe(self._gather(specs), self._loop)
                try:
                    out = future.result(timeout)
                    self._arm_idle_close()
                    return out
                except concurrent.futures.TimeoutError as e:
                    future.cancel()
                    self._reset()
                    raise ExportTimeout(
                        f"The export took longer than {timeout:g} s and was stopped. Try again. {FALLBACK}"
                    ) from e
                except Exception as e:
                    dead = not self._browser_alive()
                    # Kaleido's page had not finished loading its own script when the image was asked for ("kaleido_
                    # scopes is not defined"; seen once, on a fresh browser with both cores busy): a new browser works.
                    unloaded = "is not defined" in str(e)
                    self._reset()
                    if attempt == 1 and (unloaded or (dead and not fresh)):
                        continue  # the browser died since the last call, or its page was not ready: start a new one
                    raise ExportError(
                        f"The export failed ({type(e).__name__}). Try again; if it fails again, reload the page. "
                        f"{FALLBACK}"
                    ) from e
        raise AssertionError("unreachable")

    def _arm_idle_close(self) -> None:
        """(Re)start the countdown after which an unused browser is closed, giving its memory back."""
        self._last_used = time.monotonic()
        if self.idle_close is None:
            return
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = threading.Timer(self.idle_close, self._close_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _close_if_idle(self) -> None:
        """Close the browser if nothing was exported since the countdown started; an export under way keeps it."""
        if not self._lock.acquire(blocking=False):
            return  # an export holds the browser; it will arm a new countdown when it ends
        try:
            if self._kaleido is not None and time.monotonic() - self._last_used >= self.idle_close - 0.05:
                self._close_locked()
        finally:
            self._lock.release()

    def _browser_alive(self) -> bool:
        """True while the browser process exists and is not a zombie."""
        import psutil  # here, not at the top: a page that exports nothing never loads it (8 ms of a first visit)

        pid = self.browser_pid
        try:
            return pid is not None and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    async def _gather(self, specs: list[tuple[dict, dict]]) -> list[bytes]:
        """Render every spec concurrently; the browser hands each coroutine its own tab."""
        return list(await asyncio.gather(*(self._calc(fig_dict, opts) for fig_dict, opts in specs)))

    def _reset(self) -> None:
        """Kill the browser and its children, stop the loop, and forget both."""
        pid = self.browser_pid
        if pid is not None:
            kill_tree(pid)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._loop = self._thread = self._kaleido = None

    def close(self) -> None:
        """Close the browser politely, or kill it if it does not answer."""
        if self._warming is not None:
            self._warming.join()
            self._warming = None
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        """close(), for a caller that holds the lock."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if self._kaleido is not None and self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(10)
            except Exception:
                pass  # killed below either way
        self._reset()

    def kill(self) -> None:
        """At process exit: kill the browser and its children now, without waiting for an export to finish."""
        pid = self.browser_pid
        if pid is not None:
            kill_tree(pid)


def reusing_kaleido():
    """Kaleido's class, with the tab reloaded every RELOAD_EVERY images instead of after each one."""
    import kaleido

    if not hasattr(kaleido.Kaleido, "_return_kaleido_tab"):  # a Kaleido without the hook: keep its default
        return kaleido.Kaleido

    class ReusingKaleido(kaleido.Kaleido):
        renders = 0

        async def _return_kaleido_tab(self, tab) -> None:
            self.renders += 1
            if self.renders % RELOAD_EVERY == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    return ReusingKaleido


def kill_tree(pid: int) -> None:
    """Kill a process and all its descendants, and reap them."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = root.children(recursive=True) + [root]
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


_EXPORTER = Exporter()
atexit.register(_EXPORTER.kill)


def to_png(fig: go.Figure, *, scale: float = 2) -> bytes:
    """PNG bytes of a figure at its width (EXPORT_WIDTH if unset) × its height, times scale. Safe from many threads."""
    return _EXPORTER.render(fig, "png", scale=scale)


def to_svg(fig: go.Figure) -> bytes:
    """SVG bytes of a figure. Safe from many threads."""
    return _EXPORTER.render(fig, "svg")


def exporter() -> Exporter:
    """The process-wide exporter (for the CLI's batch, tests and benchmarks)."""
    return _EXPORTER
