"""Plots of anomaly scores and detections.

matplotlib is an optional dependency, installed with
``pip install "sktime-srcnn[plot]"``. It is imported when a plot is drawn,
so the rest of the package works without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plot_detection"]

_INSTALL_COMMAND = 'pip install "sktime-srcnn[plot]"'


def _require_matplotlib(caller: str):
    """Import and return matplotlib, or raise an ImportError naming the fix."""
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            f"{caller} needs matplotlib, which is not installed. Install it "
            f"with: {_INSTALL_COMMAND}"
        ) from error
    return matplotlib


def _as_points(values, name: str, n_points: int | None) -> np.ndarray:
    """Return ``values`` as a 1-D array, checking its length against ``n_points``."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D, got an array of shape {array.shape}. Pass "
            f"one value per time point."
        )
    if n_points is not None and array.shape[0] != n_points:
        raise ValueError(
            f"{name} has {array.shape[0]} points but values has {n_points}. "
            f"Pass one {name} entry per point of values."
        )
    return array


def _as_mask(values, name: str, n_points: int) -> np.ndarray:
    """Return 0/1 or boolean ``values`` as a boolean array."""
    array = _as_points(values, name, n_points)
    if array.dtype.kind == "b":
        return array
    numeric = pd.to_numeric(pd.Series(array), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad = np.flatnonzero((numeric != 0) & (numeric != 1))
    if bad.size:
        position = int(bad[0])
        raise ValueError(
            f"{name} must contain only 0/1 or boolean values, got "
            f"{array[position]!r} at position {position}. Pass a boolean "
            f"array such as scores > threshold."
        )
    return numeric == 1


def _x_values(values, n_points: int):
    """Return the x coordinates: the index of a Series, else positions."""
    if isinstance(values, pd.Series):
        index = values.index
        if isinstance(index, pd.PeriodIndex):
            return index.to_timestamp()
        if isinstance(index, pd.DatetimeIndex):
            return index
        if pd.api.types.is_numeric_dtype(index.dtype) and not (
            pd.api.types.is_bool_dtype(index.dtype)
        ):
            return index
    return np.arange(n_points)


def _x_label(x) -> str:
    if isinstance(x, np.ndarray):
        return "position"
    if x.name is not None:
        return str(x.name)
    return "time" if isinstance(x, pd.DatetimeIndex) else "index"


def _segments(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the start and end (exclusive) of each run of True in ``mask``."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


def _shade_segments(axes, x, labels: np.ndarray) -> None:
    """Shade each labelled segment from its first point to the next point.

    A segment that ends at the last point is extended by the last step, so
    that a segment of one point is still visible.
    """
    n_points = len(x)
    starts, ends = _segments(labels)
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if end < n_points:
            right = x[end]
        elif n_points >= 2:
            right = x[end - 1] + (x[end - 1] - x[end - 2])
        else:
            right = x[end - 1]
        for ax in axes:
            ax.axvspan(
                x[start],
                right,
                color="C1",
                alpha=0.25,
                linewidth=0,
                label="labelled anomaly" if number == 0 and ax is axes[0] else None,
            )


def plot_detection(values, scores, flags=None, threshold=None, labels=None, ax=None):
    """Plot a series with its detections above its anomaly score.

    The upper panel shows the series, with a marker on each flagged point.
    The lower panel shows the score on the same x axis, with the threshold
    as a horizontal line. Labelled anomalies are shaded in both panels.

    Parameters
    ----------
    values : pandas.Series or array-like of shape (n_points,)
        The series. The index of a Series is the x axis when it is a
        DatetimeIndex, a PeriodIndex or numeric, and other indexes and
        arrays are plotted against the positions 0 to n_points - 1.
    scores : array-like of shape (n_points,)
        Anomaly score of each point, matched to ``values`` by position.
    flags : array-like of bool or 0/1 of shape (n_points,), default=None
        True for the points that a detector flagged, which get a marker.
        None draws no markers.
    threshold : float, default=None
        Score above which points are flagged, drawn as a dashed line in the
        score panel. None draws no line.
    labels : array-like of bool or 0/1 of shape (n_points,), default=None
        True labels, 1 for anomalous points. Each run of labelled points is
        shaded from its first point to the point after its last. None shades
        nothing.
    ax : sequence of two matplotlib.axes.Axes, default=None
        Axes for the series and the score, in that order. Pass axes that
        share the x axis to zoom both panels together. None creates a
        figure with :func:`matplotlib.pyplot.subplots`.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that contains the two axes.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If an input is not 1-D, its length differs from that of
        ``values``, ``flags`` or ``labels`` contains values other than 0/1, or
        ``ax`` is not two axes.

    Notes
    -----
    The artists carry labels that name them: the series line is
    ``"series"``, the markers ``"flagged"``, the score line ``"score"`` and
    the threshold line ``"threshold"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sktime_srcnn.plotting import plot_detection
    >>> from sktime_srcnn.spectral_residual import spectral_residual
    >>> rng = np.random.default_rng(0)
    >>> x = np.sin(np.arange(300) / 10) + rng.normal(0, 0.05, 300)
    >>> x[200] += 2
    >>> scores = spectral_residual(x)
    >>> fig = plot_detection(x, scores, flags=scores > 3, threshold=3)
    >>> [axes.get_ylabel() for axes in fig.axes]
    ['value', 'score']
    >>> plt.close(fig)
    """
    _require_matplotlib("plot_detection")

    y = _as_points(values, "values", None).astype(np.float64)
    n_points = y.shape[0]
    score_values = _as_points(scores, "scores", n_points).astype(np.float64)
    flag_mask = None if flags is None else _as_mask(flags, "flags", n_points)
    label_mask = None if labels is None else _as_mask(labels, "labels", n_points)
    x = _x_values(values, n_points)

    if ax is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(
            2,
            1,
            sharex=True,
            figsize=(10, 5),
            height_ratios=(2, 1),
            layout="constrained",
        )
    else:
        axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
        if len(axes) != 2:
            raise ValueError(
                f"ax must be two axes (for the series and the score), got "
                f"{len(axes)}. Create them with, for example, "
                f"plt.subplots(2, 1, sharex=True)."
            )
        fig = axes[0].figure
    series_ax, score_ax = axes

    series_ax.plot(x, y, color="C0", linewidth=0.8, label="series")
    if flag_mask is not None:
        series_ax.plot(
            x[flag_mask],
            y[flag_mask],
            linestyle="none",
            marker="o",
            markersize=4,
            color="C3",
            label="flagged",
        )
    name = values.name if isinstance(values, pd.Series) else None
    series_ax.set_ylabel(name if isinstance(name, str) and name else "value")

    score_ax.plot(x, score_values, color="C2", linewidth=0.8, label="score")
    if threshold is not None:
        score_ax.axhline(
            threshold, color="C3", linestyle="--", linewidth=1, label="threshold"
        )
    score_ax.set_ylabel("score")
    score_ax.set_xlabel(_x_label(x))

    if label_mask is not None and label_mask.any():
        _shade_segments(axes, x, label_mask)

    for axis in axes:
        if axis.get_legend_handles_labels()[0]:
            axis.legend(loc="upper right", fontsize="small")
    return fig
