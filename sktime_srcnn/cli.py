"""Command-line interface: ``sktime-srcnn detect [PATH]``."""

from __future__ import annotations

import argparse

import numpy as np

from sktime_srcnn.datasets import load_kpi_example
from sktime_srcnn.io import read_series
from sktime_srcnn.metrics import delay_precision_recall_f1
from sktime_srcnn.spectral_residual import sliding_spectral_residual


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the command."""
    parser = argparse.ArgumentParser(prog="sktime-srcnn")
    sub = parser.add_subparsers(dest="command")
    detect = sub.add_parser("detect", help="flag anomalies in a CSV series")
    detect.add_argument("path", nargs="?", help="CSV file; default: shipped KPI")
    detect.add_argument("--threshold", type=float, default=4.0)
    detect.add_argument("--window", type=int, default=1440)
    detect.add_argument("--delay", type=int, default=7)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command and return its exit status."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = build_parser().parse_args(["detect", *(argv or [])])
    frame = load_kpi_example() if args.path is None else read_series(args.path)
    scores = sliding_spectral_residual(frame["value"].to_numpy(), window=args.window)
    flags = scores > args.threshold
    print(f"{int(flags.sum())} of {len(frame)} points flagged")
    for timestamp, value, score in zip(
        frame.index[flags], frame["value"][flags], scores[flags], strict=True
    ):
        print(f"{timestamp}  {value:12.4f}  {score:8.2f}")
    if "label" in frame:
        original = ~frame["is_filled"].to_numpy()
        labels = frame["label"].to_numpy()[original]
        p, r, f1 = delay_precision_recall_f1(
            labels, flags[original].astype(int), delay=args.delay
        )
        print(f"delay-{args.delay} precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    return 0 if np.isfinite(scores).all() else 1
