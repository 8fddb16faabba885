"""Speed of the Spectral Residual core, measured as ratios and throughputs.

One run measures:

- global mode: the time of ``spectral_residual`` on 10**6 points divided by the
  time of one ``scipy.fft.rfft`` + ``irfft`` pair of length 10**6
  (target <= 1.5);
- sliding mode: points per second of ``sliding_spectral_residual`` with a
  1440-point window on 100,000 points of a real KPI series, for n_jobs 1 and 2
  and several chunk sizes (target >= 100,000 points/s);
- newest-point score: microseconds per ``last_point_score`` call on one
  1440-point window, median of many calls (target <= 30 us);
- peers, with ``--peer-python``: alibi-detect's ``SpectralResidual`` run in
  another interpreter, scoring each point from its own trailing window in a
  Python loop, compared with this package on the same points.

The script prints machine facts and a table and writes no file unless
``--markdown FILE`` is given. Each figure is the best of several timed runs
after a warm-up, except the newest-point score, which is a median.

Usage::

    python benchmarks/speed_sr.py [--quick] [--data DIR] [--peer-python PATH]
                                  [--markdown FILE] [--profile]

The peer interpreter runs this same file with ``--peer-worker``. That mode
imports only the standard library, numpy and the peers, so the peer
environment does not need this package.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
KPI_FILE = Path("kpi") / "test" / "05f10d3a-239c-3bef-9bdc-a2feeb0037aa.csv.gz"

WINDOW = 1440
GLOBAL_POINTS = 10**6
CHUNK_SIZES = (256, 1024, 4096)
N_JOBS = (1, 2)

TARGET_GLOBAL_RATIO = 1.5
TARGET_POINTS_PER_SECOND = 100_000
TARGET_LAST_POINT_MICROSECONDS = 30.0

#: Settings shared by every SR call that is compared with a peer. They match
#: alibi-detect's options below: moving-average width 3, local window 21,
#: 5 estimated points from a 5-point gradient, no bridge, no padding.
PEER_COMPARISON_SETTINGS = {
    "filter_size": 3,
    "score_window": 21,
    "n_extend": 5,
    "n_gradient": 5,
    "bridge_length": 0,
    "pad_to_fast_length": False,
}
ALIBI_SETTINGS = {
    "threshold": 1.0,
    "window_amp": 3,
    "window_local": 21,
    "n_est_points": 5,
    "n_grad_points": 5,
}


@dataclass(frozen=True)
class RunSize:
    """Sizes and repeat counts of one run."""

    sliding_points: int
    repeats: int
    last_point_calls: int
    peer_points: int


FULL = RunSize(
    sliding_points=100_000, repeats=3, last_point_calls=5000, peer_points=3000
)
QUICK = RunSize(sliding_points=10_000, repeats=1, last_point_calls=300, peer_points=300)


@dataclass
class Row:
    """One line of the result table."""

    measurement: str
    value: str
    target: str = ""
    status: str = ""


def best_time(func, repeats: int, warmup=None) -> float:
    """Return the shortest wall time in seconds of ``repeats`` calls of func.

    ``warmup`` (default: ``func``) is called once first, so that caches, FFT
    plans and thread pools exist before the timed calls.
    """
    (warmup or func)()
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def target_status(met: bool) -> str:
    return "met" if met else "not met"


# --------------------------------------------------------------------------
# Machine facts and data


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def machine_facts() -> list[str]:
    """Describe the CPU, the library versions and the BLAS/FFT thread pools."""
    import scipy
    import scipy.fft
    from threadpoolctl import threadpool_info

    import sktime_srcnn

    n_usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    facts = [
        f"CPU: {cpu_model()}, {os.cpu_count()} logical cores "
        f"({n_usable} usable by this process)",
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, sktime-srcnn {sktime_srcnn.__version__}",
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(not set)')}",
    ]
    for pool in threadpool_info():
        facts.append(
            f"thread pool: {pool.get('internal_api')} {pool.get('version')} "
            f"({pool.get('user_api')}, {pool.get('num_threads')} threads, "
            f"architecture {pool.get('architecture', 'n/a')})"
        )
    facts.append("scipy.fft: the core calls it with workers=1, one thread per FFT")
    return facts


def busy_cpu_seconds() -> float | None:
    """Return the CPU time all processes have spent busy since boot.

    Read from the first line of /proc/stat; None where that file is missing.
    """
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    ticks = user + nice + system + irq + softirq + steal
    return ticks / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """Return the CPU time of this process and its finished subprocesses."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def load_series(data: Path, n_points: int) -> tuple[np.ndarray, str]:
    """Return ``n_points`` values of the KPI series, or a synthetic series.

    The KPI file stores its rows as recorded, with gaps in time. The values
    are used in that order, because the speed of SR does not depend on them.
    """
    path = data / KPI_FILE
    if path.is_file():
        import pandas as pd

        values = pd.read_csv(path, usecols=["value"])["value"].to_numpy(float)
        if values.size >= n_points:
            return values[:n_points], f"KPI {path.name}, first {n_points:,} values"
        reason = f"{path} has only {values.size:,} values"
    else:
        reason = f"{path} not found"
    return synthetic_series(n_points), f"synthetic series ({reason})"


def synthetic_series(n_points: int, seed: int = 0) -> np.ndarray:
    """Daily-periodic series with noise and a few spikes, seeded."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_points)
    values = 10 + np.sin(2 * np.pi * t / WINDOW) + rng.normal(0, 0.1, n_points)
    spikes = rng.choice(n_points, size=max(1, n_points // 5000), replace=False)
    values[spikes] += 3
    return values


# --------------------------------------------------------------------------
# Measurements of this package


def measure_global(repeats: int) -> list[Row]:
    """Time global mode at 10**6 points relative to one FFT pair."""
    import scipy.fft

    from sktime_srcnn.spectral_residual import extension_length, spectral_residual

    x = synthetic_series(GLOBAL_POINTS)
    candidates = {
        "fft pair": lambda: scipy.fft.irfft(scipy.fft.rfft(x), n=x.size),
        "auto": lambda: spectral_residual(x),
        "False": lambda: spectral_residual(x, pad_to_fast_length=False),
        "True": lambda: spectral_residual(x, pad_to_fast_length=True),
    }
    for func in candidates.values():
        func()
    # Interleaved repeats: a burst of load from other processes then hits the
    # FFT pair and SR alike instead of one of them.
    best = dict.fromkeys(candidates, math.inf)
    for _ in range(max(repeats, 2)):
        for name, func in candidates.items():
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)

    rows = [
        Row(
            f"FFT pair rfft+irfft, n={GLOBAL_POINTS:,}",
            f"{best['fft pair'] * 1e3:.1f} ms",
        )
    ]
    for name, pad in (("auto", "auto"), ("False", False), ("True", True)):
        n_fft = GLOBAL_POINTS + extension_length(
            GLOBAL_POINTS, n_extend=5, bridge_length=16, pad_to_fast_length=pad
        )
        ratio = best[name] / best["fft pair"]
        label = "'auto' (default)" if name == "auto" else name
        rows.append(
            Row(
                f"global ratio, pad_to_fast_length={label}, FFT length {n_fft:,}",
                f"ratio {ratio:.2f} ({best[name] * 1e3:.1f} ms)",
                f"<= {TARGET_GLOBAL_RATIO}",
                target_status(ratio <= TARGET_GLOBAL_RATIO),
            )
        )
    return rows


def measure_sliding(x: np.ndarray, repeats: int) -> list[Row]:
    """Points per second of sliding mode for each n_jobs and chunk size.

    Each row also gives points per CPU-second (process CPU time, all threads),
    which other processes on the machine lower less than the wall-time rate.
    With n_jobs=2 on 2 cores, 100,000 points/s needs at least 50,000 points
    per CPU-second.
    """
    from sktime_srcnn.spectral_residual import sliding_spectral_residual

    warmup_values = x[: WINDOW + 2 * max(CHUNK_SIZES)]
    rows = []
    best_rate, best_setting = 0.0, ""
    for n_jobs in N_JOBS:
        for chunk_size in CHUNK_SIZES:
            options = {"window": WINDOW, "chunk_size": chunk_size, "n_jobs": n_jobs}
            sliding_spectral_residual(warmup_values, **options)
            wall, cpu = math.inf, math.inf
            for _ in range(repeats):
                wall_start, cpu_start = time.perf_counter(), time.process_time()
                sliding_spectral_residual(x, **options)
                wall = min(wall, time.perf_counter() - wall_start)
                cpu = min(cpu, time.process_time() - cpu_start)
            rate = x.size / wall
            setting = f"n_jobs={n_jobs}, chunk_size={chunk_size}"
            rows.append(
                Row(
                    f"sliding w={WINDOW}, {setting}",
                    f"{rate:,.0f} points/s ({x.size / cpu:,.0f} per CPU-s)",
                    f">= {TARGET_POINTS_PER_SECOND:,}",
                    target_status(rate >= TARGET_POINTS_PER_SECOND),
                )
            )
            if rate > best_rate:
                best_rate, best_setting = rate, setting
    rows.append(
        Row(
            f"sliding w={WINDOW}, best ({best_setting})",
            f"{best_rate:,.0f} points/s",
            f">= {TARGET_POINTS_PER_SECOND:,}",
            target_status(best_rate >= TARGET_POINTS_PER_SECOND),
        )
    )
    return rows


def median_call_microseconds(func, calls: int, warmup_calls: int = 200) -> float:
    """Median wall time of one call of func, in microseconds."""
    for _ in range(warmup_calls):
        func()
    times = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter()
        func()
        times[i] = time.perf_counter() - start
    return float(np.median(times)) * 1e6


def measure_last_point(x: np.ndarray, calls: int) -> list[Row]:
    """Median time of one newest-point score on a 1440-point window."""
    from sktime_srcnn.spectral_residual import last_point_score

    window_values = x[:WINDOW].copy()
    rows = []
    for pad, label in (("auto", "defaults"), (True, "pad_to_fast_length=True")):
        micros = median_call_microseconds(
            lambda pad=pad: last_point_score(window_values, pad_to_fast_length=pad),
            calls,
        )
        rows.append(
            Row(
                f"last_point_score w={WINDOW}, {label}, median of {calls:,} calls",
                f"{micros:.1f} us",
                f"<= {TARGET_LAST_POINT_MICROSECONDS:g}",
                target_status(micros <= TARGET_LAST_POINT_MICROSECONDS),
            )
        )
    return rows


# --------------------------------------------------------------------------
# Peers


def measure_peers(peer_python: str, x: np.ndarray, n_points: int) -> list[Row]:
    """Run the peers in ``peer_python`` and compare them with this package.

    Every method scores the same ``n_points`` points, each from the
    ``WINDOW``-point window that ends at it.
    """
    from scipy.stats import spearmanr

    from sktime_srcnn.spectral_residual import (
        last_point_score,
        sliding_spectral_residual,
    )

    values = np.ascontiguousarray(x[: WINDOW + n_points], dtype=np.float64)
    command = [peer_python, str(Path(__file__).resolve()), "--peer-worker"]
    try:
        completed = subprocess.run(
            command, input=values.tobytes(), capture_output=True, timeout=1800
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return [Row("peers", f"not measured: {peer_python} failed to run ({error})")]
    if completed.returncode != 0:
        stderr_tail = completed.stderr.decode(errors="replace").strip()[-400:]
        return [
            Row(
                "peers",
                f"not measured: the peer worker exited with code "
                f"{completed.returncode}: {stderr_tail}",
            )
        ]
    report = json.loads(completed.stdout.decode().strip().splitlines()[-1])

    # This package on the same windows: the vectorized sliding mode and a
    # per-point loop over last_point_score, the loop style the peers use.
    settings = dict(PEER_COMPARISON_SETTINGS, anchor="last")
    sliding_seconds = best_time(
        lambda: sliding_spectral_residual(values, window=WINDOW, n_jobs=1, **settings),
        3,
    )
    ours_sliding_rate = n_points / sliding_seconds

    def score_in_loop() -> np.ndarray:
        return np.array(
            [
                last_point_score(values[j + 1 : j + 1 + WINDOW], **settings)
                for j in range(n_points)
            ]
        )

    loop_seconds = best_time(score_in_loop, 3)
    ours_loop_rate = n_points / loop_seconds
    ours_last = sliding_spectral_residual(values, window=WINDOW, **settings)[WINDOW:]
    ours_default = sliding_spectral_residual(values, window=WINDOW)[WINDOW:]

    rows = [
        Row(
            f"peer interpreter: Python {report['python']}, numpy {report['numpy']}",
            f"{n_points:,} points, w={WINDOW}",
        ),
        Row(
            f"ours, sliding_spectral_residual n_jobs=1, same {n_points:,} points",
            f"{ours_sliding_rate:,.0f} points/s",
        ),
        Row(
            f"ours, Python loop over last_point_score, same {n_points:,} points",
            f"{ours_loop_rate:,.0f} points/s",
        ),
    ]
    for peer in report["peers"]:
        if "error" in peer:
            rows.append(Row(peer["name"], f"not measured: {peer['error']}"))
            continue
        peer_rate = n_points / peer["seconds"]
        scores = np.asarray(peer["scores"])
        rows += [
            Row(
                f"{peer['name']} {peer['version']}, loop of score() per point",
                f"{peer_rate:,.0f} points/s",
            ),
            Row(f"{peer['name']} settings", peer["settings"]),
            Row(
                f"ours/{peer['name']}, sliding and loop",
                f"{ours_sliding_rate / peer_rate:.1f}x and "
                f"{ours_loop_rate / peer_rate:.1f}x",
            ),
        ]
        aligned = np.asarray(peer["aligned_scores"])
        comparisons = (
            (f"{peer['name']} vs ours (defaults)", scores, ours_default),
            (f"{peer['name']} vs ours (anchor='last')", scores, ours_last),
            (f"{peer['name']} aligned vs ours (anchor='last')", aligned, ours_last),
        )
        for label, peer_scores, ours in comparisons:
            pearson = np.corrcoef(peer_scores, ours)[0, 1]
            spearman = spearmanr(peer_scores, ours).statistic
            largest = np.max(np.abs(peer_scores - ours))
            rows.append(
                Row(
                    f"{label}, scores",
                    f"Pearson {pearson:.4f}, Spearman {spearman:.4f}, "
                    f"max |difference| {largest:.2g}",
                )
            )
    return rows


def peer_worker() -> int:
    """Score the values read from stdin with each peer; print one JSON line.

    Runs inside the peer interpreter, which need not have this package.
    """
    values = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float64)
    n_points = values.size - WINDOW
    report = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "peers": [alibi_peer(values, n_points), msanomalydetector_peer()],
    }
    print(json.dumps(report))
    return 0


def alibi_peer(values: np.ndarray, n_points: int) -> dict:
    """Time alibi-detect's SpectralResidual scoring each point from its window.

    The figure is the best of 3 passes over all windows, after 20 warm-up calls.
    """
    name = "alibi-detect SR"
    try:
        import alibi_detect
        from alibi_detect.od import SpectralResidual
    except ImportError as error:
        return {"name": name, "error": f"import failed ({error})"}

    detector = SpectralResidual(**ALIBI_SETTINGS)
    # score() scores a whole window; its last value is the newest point's.
    windows = [values[j + 1 : j + 1 + WINDOW] for j in range(n_points)]
    for window_values in windows[:20]:
        detector.score(window_values)
    seconds = math.inf
    for _ in range(3):
        start = time.perf_counter()
        scores = [float(detector.score(w)[-1]) for w in windows]
        seconds = min(seconds, time.perf_counter() - start)

    aligned = aligned_alibi_class(SpectralResidual)(**ALIBI_SETTINGS)
    aligned_scores = [float(aligned.score(w)[-1]) for w in windows]
    settings = ", ".join(f"{key}={value}" for key, value in ALIBI_SETTINGS.items())
    return {
        "name": name,
        "version": alibi_detect.__version__,
        "settings": f"{settings}, padding defaults",
        "seconds": seconds,
        "scores": scores,
        "aligned_scores": aligned_scores,
    }


def aligned_alibi_class(base):
    """Return a subclass of alibi-detect's SR with this package's two choices.

    alibi-detect 0.13.0 differs from this package in two steps. First, its
    estimated point is ``x[-m] + (m + 1) / 2 * g``, with ``g`` the mean
    gradient. Ren et al. (2019) and this package use ``x[-m] + m * g``.
    Second, it leaves the DC bin out of the moving average of the log
    amplitude. This package averages the one-sided spectrum with mirror
    edges, DC included. The subclass replaces both steps, so its scores show
    whether the rest of the two computations agree.
    """

    class AlignedSpectralResidual(base):
        def add_est_points(self, X, t):
            m = self.n_grad_points
            anchor = X.size - 1
            lags = np.arange(1, m + 1)
            gradient = np.mean((X[anchor] - X[anchor - lags]) / lags)
            estimate = X[anchor - m + 1] + m * gradient
            return np.concatenate([X, np.full(self.n_est_points, estimate)])

        def saliency_map(self, X):
            spectrum = np.fft.fft(X)
            log_amplitude = np.log(np.abs(spectrum) + 1e-8)
            n_bins = X.size // 2 + 1
            one_sided = log_amplitude[:n_bins]
            padded = np.concatenate([one_sided[1:2], one_sided, one_sided[-2:-1]])
            average = (padded[:-2] + padded[1:-1] + padded[2:]) / 3
            # Rebuild the two-sided average from its conjugate-symmetric half.
            mirrored = average[1 : X.size - n_bins + 1][::-1]
            full_average = np.concatenate([average, mirrored])
            residual = log_amplitude - full_average + 1j * np.angle(spectrum)
            return np.abs(np.fft.ifft(np.exp(residual)))

    return AlignedSpectralResidual


def msanomalydetector_peer() -> dict:
    """Report whether Microsoft's reference package imports in this interpreter.

    The script has no runner for it, because ``pip install msanomalydetector``
    found no distribution on PyPI (checked 2026-12-04), so its API could not
    be exercised.
    """
    name = "msanomalydetector"
    try:
        import msanomalydetector  # noqa: F401
    except ImportError as error:
        return {"name": name, "error": f"import failed ({error})"}
    return {"name": name, "error": "imports, but this script has no runner for it"}


# --------------------------------------------------------------------------
# Profile of the sliding-mode steps


def profile_steps(x: np.ndarray, chunk_size: int, repeats: int) -> list[Row]:
    """Time each step of the saliency of one batch of trailing windows.

    The steps repeat, call for call, what the core does for a batch in
    sliding mode with the default settings: 5 estimated points, no bridge and
    an FFT length of 1445. When the core changes, this profile must follow.
    """
    import scipy.fft
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.ndimage import uniform_filter1d

    from sktime_srcnn.spectral_residual import AMPLITUDE_EPS, extend_series

    windows = sliding_window_view(x, WINDOW)[1 : 1 + chunk_size]
    n_fft = WINDOW + 5
    extended = extend_series(windows)
    spectrum = scipy.fft.rfft(extended, axis=1)
    amplitude = np.abs(spectrum)
    floor = AMPLITUDE_EPS * amplitude.max(axis=1, keepdims=True)
    log_amplitude = np.log(np.maximum(amplitude, floor))
    average = uniform_filter1d(log_amplitude, 3, axis=1, mode="mirror")
    factor = np.exp(-average)
    saliency = np.abs(scipy.fft.irfft(spectrum * factor, n=n_fft, axis=1))

    steps = {
        "extend windows (estimate, copy)": lambda: extend_series(windows),
        "rfft": lambda: scipy.fft.rfft(extended, axis=1),
        "abs of spectrum": lambda: np.abs(spectrum),
        "floor, zero mask": lambda: (
            amplitude <= AMPLITUDE_EPS * amplitude.max(axis=1, keepdims=True)
        ),
        "log of floored amplitude": lambda: np.log(np.maximum(amplitude, floor)),
        "uniform_filter1d (q=3)": lambda: uniform_filter1d(
            log_amplitude, 3, axis=1, mode="mirror"
        ),
        "exp(-average)": lambda: np.exp(-average),
        "spectrum * factor": lambda: spectrum * factor,
        "irfft": lambda: scipy.fft.irfft(spectrum, n=n_fft, axis=1),
        "abs of saliency": lambda: np.abs(saliency),
        "score of last point": lambda: (
            saliency[:, WINDOW - 1] - saliency[:, WINDOW - 22 : WINDOW - 1].mean(1)
        ),
    }
    seconds = {name: best_time(func, repeats) for name, func in steps.items()}
    total = sum(seconds.values())
    rows = [
        Row(
            f"profile: {name}, {chunk_size} windows",
            f"{value / chunk_size * 1e6:.2f} us/window ({value / total:.0%})",
        )
        for name, value in seconds.items()
    ]
    rows.append(
        Row(
            f"profile: sum of steps, {chunk_size} windows",
            f"{total / chunk_size * 1e6:.2f} us/window",
        )
    )

    # The FFT pair per window at the unpadded length and at nearby lengths.
    batch = np.random.default_rng(0).normal(size=(chunk_size, WINDOW + 18))
    for length, note in (
        (WINDOW, "the window alone, 2^5 3^2 5"),
        (WINDOW + 5, "5 estimated points, 5 17^2"),
        (WINDOW + 18, "padded to a 5-smooth length, 2 3^6"),
    ):
        rows_in = np.ascontiguousarray(batch[:, :length])
        pair = best_time(
            lambda rows_in=rows_in, length=length: scipy.fft.irfft(
                scipy.fft.rfft(rows_in, axis=1), n=length, axis=1
            ),
            repeats,
        )
        rows.append(
            Row(
                f"profile: FFT pair at length {length:,} ({note})",
                f"{pair / chunk_size * 1e6:.2f} us/window",
            )
        )
    return rows


def profile_global(repeats: int) -> list[Row]:
    """Split global mode at 10**6 points into FFT, saliency and score costs.

    Uses the public functions only: ``spectral_residual`` is
    ``saliency_map`` followed by ``scores_from_saliency``.
    """
    import scipy.fft

    from sktime_srcnn.spectral_residual import (
        extension_length,
        saliency_map,
        scores_from_saliency,
        spectral_residual,
    )

    x = synthetic_series(GLOBAL_POINTS)
    n_fft = GLOBAL_POINTS + extension_length(GLOBAL_POINTS, bridge_length=16)
    padded = np.zeros(n_fft)
    saliency = saliency_map(x)
    parts = {
        f"FFT pair at length {GLOBAL_POINTS:,}": lambda: scipy.fft.irfft(
            scipy.fft.rfft(x), n=GLOBAL_POINTS
        ),
        f"FFT pair at the padded length {n_fft:,}": lambda: scipy.fft.irfft(
            scipy.fft.rfft(padded), n=n_fft
        ),
        "FFT pair at the padded length, workers=2": lambda: scipy.fft.irfft(
            scipy.fft.rfft(padded, workers=2), n=n_fft, workers=2
        ),
        "saliency_map(x)": lambda: saliency_map(x),
        "scores_from_saliency(S)": lambda: scores_from_saliency(saliency),
        "spectral_residual(x)": lambda: spectral_residual(x),
    }
    return [
        Row(
            f"profile global: {name}",
            f"{best_time(func, repeats) * 1e3:.1f} ms",
        )
        for name, func in parts.items()
    ]


# --------------------------------------------------------------------------
# Output


def format_table(rows: list[Row]) -> str:
    headers = ("measurement", "value", "target", "status")
    cells = [headers] + [(r.measurement, r.value, r.target, r.status) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def format_markdown(facts: list[str], rows: list[Row]) -> str:
    lines = [f"- {fact}" for fact in facts]
    lines += ["", "| measurement | value | target | status |", "|---|---|---|---|"]
    for row in rows:
        cells = (row.measurement, row.value, row.target, row.status)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure the speed of the Spectral Residual core."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 10,000 sliding points and 1 repeat (under 30 s)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        default=REPO.parent / "shared" / "data",
        help=f"data folder holding {KPI_FILE} (default: ../shared/data from "
        "the repository root); a synthetic series is used when it is missing",
    )
    parser.add_argument(
        "--peer-python",
        metavar="PATH",
        help="Python interpreter that has alibi-detect installed; peers are "
        "skipped when not given",
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="also write the machine facts and the table as markdown to FILE",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also split global mode into its parts and time each step of "
        "the sliding-mode saliency for one batch of 1024 windows",
    )
    parser.add_argument("--peer-worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Run every measurement and print the machine facts and the table."""
    args = parse_args(argv)
    if args.peer_worker:
        return peer_worker()

    size = QUICK if args.quick else FULL
    started = time.perf_counter()
    busy_at_start, own_at_start = busy_cpu_seconds(), own_cpu_seconds()
    facts = machine_facts()
    x, source = load_series(args.data, size.sliding_points)
    facts.append(f"data for sliding mode, newest-point score and peers: {source}")
    facts.append(
        f"data for global mode: synthetic series of {GLOBAL_POINTS:,} points "
        "(FFT time does not depend on the values)"
    )
    for fact in facts:
        print(fact)
    print()

    rows = measure_global(size.repeats)
    rows += measure_sliding(x, size.repeats)
    rows += measure_last_point(x, size.last_point_calls)
    if args.peer_python:
        rows += measure_peers(args.peer_python, x, size.peer_points)
    else:
        rows.append(Row("peers", "skipped (no --peer-python given)"))
    if args.profile:
        rows += profile_global(max(size.repeats, 3))
        rows += profile_steps(x, 1024, max(size.repeats, 3))

    wall = time.perf_counter() - started
    other_share = None
    if busy_at_start is not None:
        busy = busy_cpu_seconds() - busy_at_start
        other = max(0.0, busy - (own_cpu_seconds() - own_at_start))
        other_share = other / (wall * (os.cpu_count() or 1))
        facts.append(
            f"other processes used {other:.0f} CPU-s during the {wall:.0f} s run "
            f"({other_share:.0%} of all cores)"
        )
    else:
        facts.append(f"run took {wall:.0f} s (/proc/stat unreadable, load unknown)")
    facts.append("mode: " + ("--quick" if args.quick else "full"))
    print(format_table(rows))
    print()
    print(facts[-2])
    if other_share is not None and other_share > 0.05:
        print(
            "NOTE: other processes used the CPUs during the run, so the "
            "figures may be lower than on an idle machine."
        )
    if args.markdown:
        args.markdown.write_text(format_markdown(facts, rows))
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
