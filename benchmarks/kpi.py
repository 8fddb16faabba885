"""Detection quality on the AIOps 2018 KPIs: SR and SR-CNN without labels.

Each detector is fitted on the train part of a KPI without its labels and
scored on the test part. Metrics are computed on the original rows only
(points inserted by re-gridding are excluded) and pooled over the KPIs.

Usage::

    python benchmarks/kpi.py --data ../shared/data \
        --methods sr,sr-pooled,srcnn,srcnn-pooled
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from sktime_srcnn import metrics
from sktime_srcnn.io import read_series

REPO = Path(__file__).resolve().parents[1]


def load_kpis(data: Path, limit: int | None = None):
    """Yield (kpi id, train frame, test frame) for each KPI in the folder."""
    test_files = sorted((data / "kpi" / "test").glob("*.csv.gz"))[:limit]
    for test_file in test_files:
        kpi = test_file.name.removesuffix(".csv.gz")
        train = read_series(data / "kpi" / "train" / test_file.name)
        test = read_series(test_file)
        yield kpi, train, test


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


def evaluate(rows: list[dict], delay: int) -> dict:
    """Pooled delay-k and point-wise figures over evaluated KPIs."""
    truths = [row["truth"] for row in rows]
    flags = [row["flags"] for row in rows]
    scores = [row["scores"] for row in rows]
    precision, recall, f1 = metrics.delay_precision_recall_f1(truths, flags, delay)
    best_f1, _ = metrics.best_f1(truths, scores)
    best_delay, _ = metrics.best_delay_f1(truths, scores, delay)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "best_delay_f1": best_delay,
        "best_point_f1": best_f1,
        "pr_auc": metrics.pr_auc(truths, scores),
    }


def score_test(detector, test) -> dict:
    """Scores and flags of the test part, on the original rows only."""
    original = ~test["is_filled"].to_numpy()
    scores = detector.transform_scores(test["value"]).to_numpy()
    flags = (scores > detector.threshold_) & original
    return {
        "truth": test["label"].to_numpy()[original],
        "flags": flags[original].astype(np.int8),
        "scores": scores[original],
    }


def main(argv=None) -> int:
    """Run the benchmark and print per-KPI and pooled tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--methods", default="sr,sr-pooled,srcnn,srcnn-pooled")
    parser.add_argument("--delay", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="first N KPIs only")
    parser.add_argument(
        "--max-points",
        type=int,
        default=None,
        help="SR-CNN training points per fit (default: the detector's default)",
    )
    args = parser.parse_args(argv)

    kpis = list(load_kpis(args.data, args.limit))
    print(f"{len(kpis)} KPIs from {args.data / 'kpi'}; delay {args.delay}")
    for method in args.methods.split(","):
        start = time.perf_counter()
        rows = []
        if method.endswith("-pooled"):
            base = method.removesuffix("-pooled")
            detector = make_detector(base, args.seed, args.max_points)
            detector.fit([train["value"] for _, train, _ in kpis])
            for kpi, _, test in kpis:
                rows.append({"kpi": kpi, **score_test(detector, test)})
            print(f"one threshold for all KPIs: {detector.threshold_:.3f}")
        else:
            for kpi, train, test in kpis:
                detector = make_detector(method, args.seed, args.max_points)
                detector.fit(train["value"])
                rows.append({"kpi": kpi, **score_test(detector, test)})
                rows[-1]["threshold"] = detector.threshold_
        elapsed = time.perf_counter() - start

        print(f"\n## {method} ({elapsed:.0f} s)")
        print("| KPI | precision | recall | delay F1 | best delay F1 | best point F1 |")
        print("|---|---|---|---|---|---|")
        for row in rows:
            one = evaluate([row], args.delay)
            print(
                f"| {row['kpi'][:8]} | {one['precision']:.3f} | {one['recall']:.3f} "
                f"| {one['f1']:.3f} | {one['best_delay_f1']:.3f} "
                f"| {one['best_point_f1']:.3f} |"
            )
        pooled = evaluate(rows, args.delay)
        print(
            f"| **pooled** | {pooled['precision']:.3f} | {pooled['recall']:.3f} "
            f"| **{pooled['f1']:.3f}** | {pooled['best_delay_f1']:.3f} "
            f"| {pooled['best_point_f1']:.3f} |"
        )
        print(f"pooled PR-AUC (point-wise): {pooled['pr_auc']:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
