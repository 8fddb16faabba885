"""Training and inference speed of SRCNNAnnotator on a 100,000-point KPI.

Usage::

    python benchmarks/speed_srcnn.py --data ../shared/data [--points 100000]

Reports training throughput (the time to fit on ``--train-points`` training
points, each described by the saliency map of its own 1440-point window)
and inference throughput (points per second, every point scored from the
1440-point window ending at it).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch

from sktime_srcnn import SRCNNAnnotator
from sktime_srcnn.io import read_series

REPO = Path(__file__).resolve().parents[1]
KPI = "kpi/train/05f10d3a-239c-3bef-9bdc-a2feeb0037aa.csv.gz"


def main(argv=None) -> int:
    """Time fit and transform_scores and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--train-points", type=int, default=100_000)
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args(argv)

    path = args.data / KPI
    if path.exists():
        values = read_series(path)["value"].to_numpy()[: args.points]
        source = f"KPI {path.name[:8]}"
    else:
        rng = np.random.default_rng(0)
        values = np.sin(np.arange(args.points) / 50) + rng.normal(0, 0.1, args.points)
        source = "synthetic sine (KPI file not found)"

    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads)"
    )
    print(f"series: {source}, {values.size} points, window 1440")

    detector = SRCNNAnnotator(
        max_points=args.train_points,
        max_epochs=args.epochs,
        threshold=0.0,
        random_state=0,
        n_jobs=-1,
    )
    start = time.perf_counter()
    detector.fit(values)
    fit_time = time.perf_counter() - start
    n_points = args.train_points
    print(
        f"fit: {n_points} training points x {args.epochs} epochs in "
        f"{fit_time:.1f} s ({n_points / fit_time:,.0f} training points/s)"
    )

    start = time.perf_counter()
    detector.transform_scores(values)
    score_time = time.perf_counter() - start
    print(
        f"inference: {values.size} points in {score_time:.1f} s "
        f"({values.size / score_time:,.0f} points/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
