"""Detection quality on the Numenta Anomaly Benchmark (NAB) series.

NAB has no train/test split, so each detector is fitted, without labels, on
the first half of each series and scores the whole series, as an online
detector that has seen the first half would. Points inside NAB's anomaly
windows are the positives. The figures are pooled over the series and
computed on original rows only (points inserted by re-gridding are
excluded).

Usage::

    python benchmarks/nab.py --data ../shared/data --methods sr,srcnn

``--max-points`` lowers SR-CNN's training budget per fit, which sets most of
the run time of the 58 fits.

Timestamps are rounded to the median step of their series, rows that meet
on one timestamp are averaged, and rows are sorted by time before
re-gridding. A series that still cannot be put on a grid is reported and
skipped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_srcnn import metrics
from sktime_srcnn.io import load_nab_labels, regularize_series

REPO = Path(__file__).resolve().parents[1]


def load_nab(data: Path):
    """Yield (key, frame with labels) for each NAB series."""
    windows = json.loads(
        (data / "nab" / "labels" / "combined_windows.json").read_text()
    )
    for path in sorted((data / "nab" / "data").rglob("*.csv")):
        key = path.relative_to(data / "nab" / "data").as_posix()
        raw = pd.read_csv(path, parse_dates=["timestamp"])
        # Some NAB series repeat or jitter their timestamps: round them to
        # the median step and average the rows that meet there.
        step = raw["timestamp"].sort_values().diff().median()
        raw["timestamp"] = raw["timestamp"].dt.round(step)
        raw = raw.groupby("timestamp", as_index=False)["value"].mean()
        try:
            frame = regularize_series(raw, off_grid="nearest")
        except ValueError as error:
            print(f"skipped {key}: {error}")
            continue
        frame["label"] = load_nab_labels(windows, key, frame.index)
        yield key, frame


def make_detector(method: str, seed: int, max_points: int | None = None):
    """Return a fresh detector with its default settings.

    ``max_points``, when given, replaces SR-CNN's default training budget.
    """
    if method == "sr":
        from sktime_srcnn import SRAnnotator

        return SRAnnotator(random_state=seed, n_jobs=-1)
    from sktime_srcnn import SRCNNAnnotator

    budget = {} if max_points is None else {"max_points": max_points}
    return SRCNNAnnotator(random_state=seed, n_jobs=-1, **budget)


def main(argv=None) -> int:
    """Run the benchmark and print a pooled table per method."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--methods", default="sr,srcnn")
    parser.add_argument("--delay", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-points",
        type=int,
        default=None,
        help="SR-CNN training points per fit (default: the detector's default)",
    )
    args = parser.parse_args(argv)

    series = list(load_nab(args.data))
    print(f"{len(series)} NAB series from {args.data / 'nab'}; delay {args.delay}")
    for method in args.methods.split(","):
        start = time.perf_counter()
        truths, flags, scores = [], [], []
        for _, frame in series:
            values = frame["value"]
            half = len(values) // 2
            detector = make_detector(method, args.seed, args.max_points)
            detector.fit(values.iloc[:half])
            score = detector.transform_scores(values).to_numpy()
            original = ~frame["is_filled"].to_numpy()
            truths.append(frame["label"].to_numpy()[original])
            scores.append(score[original])
            flags.append((score[original] > detector.threshold_).astype(np.int8))
        elapsed = time.perf_counter() - start

        labelled = [i for i, truth in enumerate(truths) if truth.any()]
        precision, recall, f1 = metrics.delay_precision_recall_f1(
            truths, flags, args.delay
        )
        window_p, window_r, window_f1 = metrics.delay_precision_recall_f1(
            truths, flags, 10**9
        )
        point_p, point_r, point_f1 = metrics.pointwise_precision_recall_f1(
            np.concatenate(truths), np.concatenate(flags)
        )
        print(f"\n## {method} ({elapsed:.0f} s, {len(labelled)} series with windows)")
        print("| metric | precision | recall | F1 |")
        print("|---|---|---|---|")
        print(f"| delay-{args.delay} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")
        window_row = f"{window_p:.3f} | {window_r:.3f} | {window_f1:.3f}"
        print(f"| any point of a window | {window_row} |")
        print(f"| point-wise | {point_p:.3f} | {point_r:.3f} | {point_f1:.3f} |")
        best, _ = metrics.best_f1(truths, scores)
        pr_auc = metrics.pr_auc(truths, scores)
        print(f"point-wise best F1 {best:.3f}, PR-AUC {pr_auc:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
