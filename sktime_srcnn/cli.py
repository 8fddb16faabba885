"""Command-line interface: ``sktime-srcnn detect [PATH]``.

``sktime-srcnn detect data.csv`` (or ``python -m sktime_srcnn detect
data.csv``) reads a series from a CSV file, fits a detector on it without
labels, and prints the flagged points. When the file has a label column, it
also prints the delay-k and point-wise precision, recall and F1. Without a
path it scores the KPI series shipped with the package, and
``python -m sktime_srcnn`` with no arguments at all does the same.

Exit status: 0 on success, 2 for invalid arguments or input, 1 when stdout
is closed before the report is printed, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import math
import os
import sys
import time

import numpy as np
import pandas as pd

from sktime_srcnn.datasets import load_kpi_example
from sktime_srcnn.io import read_series
from sktime_srcnn.metrics import (
    delay_precision_recall_f1,
    pointwise_precision_recall_f1,
)

__all__ = ["build_parser", "main"]

PROG = "sktime-srcnn"

#: Number of flagged points printed before the table is cut off.
MAX_ROWS = 50

_SHIPPED_SOURCE = "the shipped KPI example (KPI 301c70d8, AIOps Challenge 2018)"
_TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


class _InputError(Exception):
    """Invalid input or arguments, reported without a traceback."""


# --------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------


def _window_length(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"must be an integer >= 2, got {text} (a window of 1 point "
            f"scores every point 0)"
        )
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


# argparse names the expected type in its message from the function's name.
_window_length.__name__ = "int >= 2"
_non_negative_int.__name__ = "int >= 0"
_finite_float.__name__ = "float"


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``sktime-srcnn`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with the subcommand ``detect``.
    """
    from sktime_srcnn import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Spectral Residual (SR) and SR-CNN time-series anomaly detection. "
            "Without a command, runs 'detect' on the shipped KPI example."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    detect = commands.add_parser(
        "detect",
        help="flag anomalies in a series read from a CSV file",
        description=(
            "Read a series from a CSV file, fit a detector on it without "
            "labels, and print the flagged points. With a label column in "
            "the file, also print delay-k and point-wise precision, recall "
            "and F1, computed on the rows of the file only. Missing steps "
            "are filled by linear interpolation and never flagged."
        ),
        epilog=(
            "The --output CSV has one row per point of the regular time grid "
            "from the first to the last timestamp, with the columns "
            "timestamp, value, score, flag (0/1), is_filled (1 for points "
            "that were missing from the file and filled) and, when the file "
            "has labels, label. Timestamps are those of the file, except "
            "that timestamps with several UTC offsets (as across a daylight "
            "saving change) are written in UTC."
        ),
    )
    detect.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help=(
            "CSV file (optionally compressed, e.g. .csv.gz) with a timestamp "
            "column, a value column and optionally a 0/1 label column; "
            "default: the shipped KPI example"
        ),
    )
    detect.add_argument(
        "--method",
        choices=("sr", "srcnn"),
        default="srcnn",
        help=(
            "detector: 'sr' thresholds Spectral Residual scores (SRAnnotator), "
            "'srcnn' classifies saliency maps with a CNN (SRCNNAnnotator); "
            "default: %(default)s"
        ),
    )
    detect.add_argument(
        "--threshold",
        type=_finite_float,
        metavar="FLOAT",
        help=(
            "score above which a point is flagged (write a negative value as "
            "--threshold=-1); default: calibrated by the detector without labels"
        ),
    )
    detect.add_argument(
        "--window",
        type=_window_length,
        metavar="INT",
        help=(
            "trailing window of the detector, in points; default: the "
            "detector's own (1440)"
        ),
    )
    detect.add_argument(
        "--delay",
        type=_non_negative_int,
        default=7,
        metavar="INT",
        help=(
            "points after the start of a labelled segment that still count "
            "as detecting it, for the delay-k scores; default: %(default)s"
        ),
    )
    detect.add_argument(
        "--output",
        metavar="FILE.csv",
        help="write the value, score and flag of every point to this CSV file",
    )
    detect.add_argument(
        "--plot",
        metavar="FILE.png",
        help=(
            "save a plot of the series, the score and the flags (needs "
            'matplotlib: pip install "sktime-srcnn[plot]")'
        ),
    )
    detect.add_argument(
        "--column",
        metavar="NAME",
        help="name of the value column; default: detected from the header",
    )
    detect.add_argument(
        "--timestamp-column",
        metavar="NAME",
        help="name of the timestamp column; default: detected from the header",
    )
    detect.add_argument(
        "--seed",
        type=_non_negative_int,
        default=0,
        metavar="INT",
        help=(
            "random seed of the synthetic anomalies and the network; the "
            "calibrated threshold depends on it (default: 0)"
        ),
    )
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """Prepend ``detect`` when the arguments start without a command."""
    if not argv:
        return ["detect"]
    first = argv[0]
    if first.startswith("-") and first not in _TOP_LEVEL_OPTIONS:
        return ["detect", *argv]
    return argv


# --------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------


class _Progress:
    """Stage messages on stderr, printed only when ``enabled``."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self._start
            print(f"{PROG}: [{elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        # A replaced or closed stderr has no terminal behind it.
        return False


# --------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------


def _check_output_path(path: str, option: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise _InputError(
            f"The directory of {option} {path!r} does not exist. Create "
            f"{directory!r} first or choose another path."
        )
    if os.path.isdir(path):
        raise _InputError(f"{option} {path!r} is a directory. Pass a file name.")


def _check_plot_path(path: str) -> None:
    from sktime_srcnn.plotting import _require_matplotlib

    try:
        _require_matplotlib("--plot")
    except ImportError as error:
        raise _InputError(str(error)) from None
    from matplotlib.figure import Figure

    extension = os.path.splitext(path)[1].lstrip(".").lower()
    supported = Figure().canvas.get_supported_filetypes()
    if extension and extension not in supported:
        raise _InputError(
            f"--plot {path!r} has the extension {extension!r}, which "
            f"matplotlib cannot write. Use one of {sorted(supported)}, "
            f"for example .png."
        )


def _read(args) -> tuple[pd.DataFrame, str]:
    """Read the series named by the arguments and describe its source."""
    if args.path is None:
        if args.column is not None or args.timestamp_column is not None:
            raise _InputError(
                "--column and --timestamp-column apply to a CSV file, but no "
                "PATH was given. Pass the file to read."
            )
        return load_kpi_example(), _SHIPPED_SOURCE
    try:
        frame = read_series(
            args.path,
            value_column=args.column,
            timestamp_column=args.timestamp_column,
        )
    except (OSError, ValueError, TypeError) as error:
        raise _InputError(str(error)) from None
    return frame, repr(args.path)


def _check_length(frame: pd.DataFrame, source: str) -> None:
    from sktime_srcnn._detector_base import MIN_POINTS

    if len(frame) < MIN_POINTS:
        raise _InputError(
            f"The series from {source} is too short to fit a detector on: "
            f"{len(frame)} points on its regular grid (minimum {MIN_POINTS}). "
            f"Pass a longer series."
        )


def _make_detector(args, verbose: int):
    """Create the detector that ``--method`` names, with the given options."""
    if args.method == "sr":
        from sktime_srcnn.sr_detector import SRAnnotator as detector_class
    else:
        from sktime_srcnn.srcnn_detector import SRCNNAnnotator as detector_class

    options = {
        "threshold": args.threshold,
        "window": args.window,
        "random_state": args.seed,
        "verbose": verbose,
    }
    accepted = inspect.signature(detector_class).parameters
    # Options left at None keep the detector's own defaults, and a detector
    # without a "verbose" parameter reports no progress of its own.
    kwargs = {
        name: value
        for name, value in options.items()
        if value is not None and name in accepted
    }
    return detector_class(**kwargs)


def _fit_and_score(detector, values: pd.Series, progress: _Progress):
    """Fit ``detector`` on ``values`` and return the scores and threshold."""
    name = type(detector).__name__
    # The detectors may print progress, which belongs on stderr, so that
    # stdout contains only the results.
    with contextlib.redirect_stdout(sys.stderr):
        progress(f"fitting {name} on {len(values)} points")
        try:
            detector.fit(values)
        except ValueError as error:
            raise _InputError(f"{name} could not be fitted: {error}") from None
        progress("scoring")
        scores = detector.transform_scores(values)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if scores.shape[0] != len(values):
        raise RuntimeError(
            f"{name}.transform_scores returned {scores.shape[0]} scores for "
            f"{len(values)} points."
        )
    return scores, float(detector.threshold_)


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


def _describe_series(frame: pd.DataFrame, source: str) -> str:
    n_filled = int(frame["is_filled"].sum())
    step = "unknown"
    if frame.index.freq is not None:
        step = frame.index.freqstr
        # pandas leaves out a count of 1, as in "min" for one minute.
        if not step[:1].isdigit():
            step = f"1{step}"
    return (
        f"Series: {source}, {len(frame)} points at a step of {step}, "
        f"{n_filled} of them filled (filled points are never flagged)."
    )


def _format_table(frame: pd.DataFrame, scores, flags) -> list[str]:
    """Format the flagged points as lines, at most ``MAX_ROWS`` of them."""
    positions = np.flatnonzero(flags)
    printed = positions[:MAX_ROWS]
    times = [str(timestamp) for timestamp in frame.index[printed]]
    width = max([len("timestamp"), *map(len, times)])
    lines = [f"{'timestamp':<{width}}  {'value':>14}  {'score':>10}"]
    values = frame["value"].to_numpy()
    for time_text, position in zip(times, printed, strict=True):
        lines.append(
            f"{time_text:<{width}}  {values[position]:>14.6g}  "
            f"{scores[position]:>10.4f}"
        )
    if positions.size > printed.size:
        lines.append(
            f"... and {positions.size - printed.size} more flagged points "
            f"(write them all with --output FILE.csv)"
        )
    return lines


def _format_metrics(frame: pd.DataFrame, flags, delay: int) -> list[str]:
    """Format the detection scores against the labels of the file's rows."""
    original = ~frame["is_filled"].to_numpy()
    labels = frame["label"].to_numpy()[original]
    predicted = flags[original].astype(np.int8)
    n_segments = int(np.count_nonzero(np.diff(labels, prepend=0) == 1))
    lines = [
        f"Labels: {int(labels.sum())} anomalous points in {n_segments} "
        f"segments, among the {int(original.sum())} points read from the file."
    ]
    if n_segments == 0:
        lines.append("The labels mark no anomalies, so recall and F1 are 0.")
    precision, recall, f1 = delay_precision_recall_f1(labels, predicted, delay=delay)
    lines.append(
        f"delay-{delay} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
    )
    precision, recall, f1 = pointwise_precision_recall_f1(labels, predicted)
    lines.append(
        f"point-wise precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
    )
    return lines


def _write_csv(path: str, frame: pd.DataFrame, scores, flags) -> None:
    table = pd.DataFrame(
        {
            "value": frame["value"].to_numpy(),
            "score": scores,
            "flag": flags.astype(np.int8),
            "is_filled": frame["is_filled"].to_numpy().astype(np.int8),
        },
        index=frame.index,
    )
    if "label" in frame:
        table["label"] = frame["label"].to_numpy()
    table.index.name = "timestamp"
    try:
        table.to_csv(path)
    except OSError as error:
        raise _InputError(f"Could not write --output {path!r}: {error}") from None


def _save_plot(path: str, frame, scores, flags, threshold: float) -> None:
    from matplotlib.figure import Figure

    from sktime_srcnn.plotting import plot_detection

    # A Figure without pyplot needs no display and no interactive backend.
    figure = Figure(figsize=(12, 5), layout="constrained")
    axes = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    plot_detection(
        frame["value"],
        scores,
        flags=flags,
        threshold=threshold,
        labels=frame["label"].to_numpy() if "label" in frame else None,
        ax=axes,
    )
    try:
        figure.savefig(path, dpi=100)
    except OSError as error:
        raise _InputError(f"Could not write --plot {path!r}: {error}") from None


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def _detect(args) -> int:
    """Run ``detect`` and return the exit status."""
    for option, target in (("--output", args.output), ("--plot", args.plot)):
        if target is None:
            continue
        _check_output_path(target, option)
        if args.path is not None and os.path.abspath(target) == os.path.abspath(
            args.path
        ):
            raise _InputError(
                f"{option} {target!r} is the input file, which would be "
                f"overwritten. Choose another file name."
            )
    if args.plot is not None:
        _check_plot_path(args.plot)

    progress = _Progress(_stderr_is_terminal())
    progress(f"reading {args.path if args.path is not None else _SHIPPED_SOURCE}")
    frame, source = _read(args)
    _check_length(frame, source)

    detector = _make_detector(args, verbose=1 if progress.enabled else 0)
    values = pd.Series(frame["value"].to_numpy(), name="value")
    scores, threshold = _fit_and_score(detector, values, progress)
    flags = (scores > threshold) & ~frame["is_filled"].to_numpy()

    # Files are written before the report, so that they are complete even
    # when stdout is closed early, as by "| head".
    if args.output is not None:
        progress(f"writing {args.output}")
        _write_csv(args.output, frame, scores, flags)
    if args.plot is not None:
        progress(f"plotting to {args.plot}")
        _save_plot(args.plot, frame, scores, flags, threshold)

    print(_describe_series(frame, source))
    print(
        f"Flagged {int(flags.sum())} of {len(frame)} points with "
        f"{type(detector).__name__} (threshold {threshold:.4g}):"
    )
    if flags.any():
        print("\n".join(_format_table(frame, scores, flags)))
    if "label" in frame:
        print("\n".join(_format_metrics(frame, flags, args.delay)))
    if args.output is not None:
        print(f"Wrote {len(frame)} rows to {args.output}.")
    if args.plot is not None:
        print(f"Saved the plot to {args.plot}.")
    progress("done")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``sktime-srcnn`` command and return its exit status.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; None reads ``sys.argv[1:]``.
        Arguments that start with an option other than ``-h``, ``--help``
        or ``--version``, and no arguments at all, run ``detect``.

    Returns
    -------
    int
        0 on success, 2 for invalid arguments or input (after printing
        ``sktime-srcnn: error: <message>`` to stderr), 1 when stdout was
        closed before the report was printed, 130 when interrupted with
        Ctrl-C. ``--help`` and ``--version`` return 0.

    Examples
    --------
    >>> from sktime_srcnn.cli import main
    >>> main(["detect", "missing.csv", "--method", "sr"])
    2
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(_with_default_command(argv))
    except SystemExit as exit_request:
        # argparse exits after --help, --version and invalid arguments.
        code = exit_request.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        return 2

    try:
        return _detect(args)
    except _InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout exited early, as "| head" does. Python would
        # report the failed flush at exit, so stdout goes to devnull instead.
        _silence_stdout()
        return 1


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        # A stdout without a file descriptor, as under test capture.
        pass
