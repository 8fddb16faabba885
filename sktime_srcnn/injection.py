"""Synthetic anomalies for training and calibration without labels."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["inject_anomalies", "inject_level_shifts"]


def inject_anomalies(
    x,
    positions,
    random_state=None,
    window: int = 1440,
    size_range: tuple[float, float] = (0.05, 1.0),
) -> np.ndarray:
    """Return a copy of ``x`` with a synthetic anomaly at each position.

    The rule of Ren et al. (2019), as in Microsoft's reference code: on the
    window ``W`` of up to ``window`` points that ends at position ``i``,
    scaled to the range [0, 3], the point moves by
    ``(local + mean(W)) * min(1 + var(W), 10) * r`` with ``r ~ N(0, 1)``,
    where ``local`` is the mean of the point and the two before it. The
    shift is mapped back to the units of ``x``. Each shift is further scaled
    by a factor drawn log-uniformly from ``size_range``, so that small
    anomalies are injected as well as large ones. ``(1, 1)`` gives the
    unscaled rule of Ren et al. (2019). A constant window cannot be scaled
    to [0, 3], so its points count as 1.5 and its range as the largest
    magnitude of the series. A constant series then still gets anomalies of
    about the size of its value.

    Parameters
    ----------
    x : array-like of shape (n_timepoints,)
        Finite values.
    positions : array-like of int
        Indices of the points to change.
    random_state : int, numpy.random.Generator or None, default=None
        Seed or generator for ``r`` and the size factors.
    window : int, default=1440
        Length of the trailing window that sets the scale of each shift.
    size_range : tuple of float, default=(0.05, 1.0)
        Range of the log-uniform size factor, both bounds positive.

    Returns
    -------
    ndarray of shape (n_timepoints,)
        The changed copy, float64; ``x`` itself is not modified.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.sin(np.arange(200) / 5)
    >>> changed = inject_anomalies(x, [50, 150], random_state=0)
    >>> np.flatnonzero(changed != x).tolist()
    [50, 150]
    """
    x = np.asarray(x, dtype=np.float64)
    positions = np.asarray(positions, dtype=np.intp)
    out = x.copy()
    if positions.size == 0:
        return out
    rng = np.random.default_rng(random_state)
    low, high = size_range
    if not 0 < low <= high:
        raise ValueError(
            f"size_range must be two positive numbers in increasing order, "
            f"got {size_range!r}."
        )

    # The rule is computed on the series scaled to a largest magnitude of 1,
    # so that ranges and shifts cannot overflow near the float64 limit.
    magnitude = float(np.abs(x).max()) or 1.0
    unit = x / magnitude

    # Windows of `window` points ending at each position; positions near the
    # start use the first `window` points instead.
    w = min(window, x.size)
    views = sliding_window_view(unit, w)
    rows = np.clip(positions - w + 1, 0, views.shape[0] - 1)
    windows = views[rows]
    lows = windows.min(axis=1)
    spans = windows.max(axis=1) - lows
    constant = spans == 0
    spans[constant] = 1.0
    scaled = 3.0 * (windows - lows[:, None]) / spans[:, None]
    # A constant window has no range to scale by. Its points are placed at
    # the middle of [0, 3], and its range stays 1 in the units of ``unit``,
    # which is the largest magnitude of the series, so the shift still
    # scales with the series.
    scaled[constant] = 1.5

    offset = positions - rows
    local_idx = np.clip(offset[:, None] - np.arange(3), 0, None)
    local = np.take_along_axis(scaled, local_idx, axis=1).mean(axis=1)
    factor = np.exp(rng.uniform(np.log(low), np.log(high), positions.size))
    shift = (
        (local + scaled.mean(axis=1))
        * np.minimum(1.0 + scaled.var(axis=1), 10.0)
        * rng.standard_normal(positions.size)
        * factor
    )
    largest = np.finfo(np.float64).max
    with np.errstate(over="ignore"):
        changed = (unit[positions] + shift * spans / 3.0) * magnitude
    out[positions] = np.clip(changed, -largest, largest)
    return out


def inject_level_shifts(
    x,
    positions,
    lengths,
    random_state=None,
    window: int = 1440,
    size_range: tuple[float, float] = (0.05, 1.0),
) -> np.ndarray:
    """Return a copy of ``x`` with a synthetic level shift at each position.

    A shift moves ``lengths[i]`` consecutive points from ``positions[i]`` on
    by the amount that :func:`inject_anomalies` would move the point at
    ``positions[i]``, so shifts and point anomalies share one scale. Shifts
    that overlap add up. Ren et al. (2019) inject point anomalies only;
    shifts teach a detector the sustained changes that many labelled
    anomalies in operations data are.

    Parameters
    ----------
    x : array-like of shape (n_timepoints,)
        Finite values.
    positions : array-like of int
        Indices of the first point of each shift.
    lengths : int or array-like of int
        Number of points each shift lasts, cut at the end of ``x``.
    random_state : int, numpy.random.Generator or None, default=None
        Seed or generator for the sizes of the shifts.
    window : int, default=1440
        Length of the trailing window that sets the scale of each shift.
    size_range : tuple of float, default=(0.05, 1.0)
        Range of the log-uniform size factor, both bounds positive.

    Returns
    -------
    ndarray of shape (n_timepoints,)
        The changed copy, float64; ``x`` itself is not modified.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.sin(np.arange(200) / 5)
    >>> changed = inject_level_shifts(x, [50], lengths=20, random_state=0)
    >>> np.flatnonzero(changed != x).tolist() == list(range(50, 70))
    True
    """
    x = np.asarray(x, dtype=np.float64)
    positions = np.asarray(positions, dtype=np.intp)
    lengths = np.broadcast_to(np.asarray(lengths, dtype=np.intp), positions.shape)
    if (lengths < 1).any():
        raise ValueError(f"lengths must be at least 1, got {lengths.min()}.")
    moved = inject_anomalies(x, positions, random_state, window, size_range)
    out = x.copy()
    largest = np.finfo(np.float64).max
    with np.errstate(over="ignore"):
        shifts = np.clip(moved[positions] - x[positions], -largest, largest)
        for start, length, shift in zip(positions, lengths, shifts, strict=True):
            out[start : start + length] += shift
    return np.clip(out, -largest, largest)
