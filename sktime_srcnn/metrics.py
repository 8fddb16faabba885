"""Segment-aware and point-wise scores for time-series anomaly detection.

Anomalies in monitoring data usually come as segments: contiguous runs of
labelled points. Ren et al. (2019) evaluate SR-CNN with the *delay-k* rule:
a segment counts as detected, and all of its points as true positives, when
the detector flags any of the segment's first ``k + 1`` points. A segment
with no flag in that window counts all of its points as false negatives, and
flags inside it after the window are dropped. Flags on normal points are
false positives, one per point. :func:`point_adjust` applies this rule to a
prediction, and :func:`delay_precision_recall_f1` scores the result.

Point adjustment flatters detectors, so compare its numbers only with other
point-adjusted numbers. A single flag early in a segment of 1,000 points
earns 1,000 true positives, so a detector pays for the recall of a long
segment with at most one flag. A detector that flags points at random, at a
rate high enough to hit the start of most segments, can therefore reach a
high adjusted F1 with little skill. Long segments dominate the score, and
the size of ``k`` changes it. Report the point-wise scores of
:func:`pointwise_precision_recall_f1`, :func:`best_f1` and :func:`pr_auc`
beside the adjusted ones.

Every function accepts one series (a 1-D array-like) or several series (a
list of 1-D array-likes). For several series the counts of true positives,
false positives and false negatives are summed over the series before the
ratios are taken, and no segment spans two series.

Ratios whose denominator is zero are 0.0, as with ``zero_division=0`` in
:func:`sklearn.metrics.precision_recall_fscore_support`: precision is 0.0
when nothing is flagged, recall is 0.0 when nothing is labelled, and F1 is
0.0 when both hold. No function warns or returns NaN for these cases.

Thresholds follow the detectors of this package, which flag the points whose
score is strictly greater than the threshold. :func:`best_delay_f1` and
:func:`best_f1` return a threshold ``t`` for which ``scores > t`` reproduces
the reported F1 exactly.

References
----------
.. [1] H. Ren, B. Xu, Y. Wang, C. Yi, C. Huang, X. Kou, T. Xing, M. Yang,
   J. Tong and Q. Zhang, "Time-Series Anomaly Detection Service at
   Microsoft", KDD 2019. https://arxiv.org/abs/1906.03821
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    precision_recall_fscore_support,
)

__all__ = [
    "best_delay_f1",
    "best_f1",
    "delay_f1_curve",
    "delay_precision_recall_f1",
    "make_delay_f1_scorer",
    "point_adjust",
    "pointwise_precision_recall_f1",
    "pr_auc",
]


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------


def _is_series_list(obj) -> bool:
    """Return whether ``obj`` is a list or tuple of 1-D array-likes."""
    if not isinstance(obj, (list, tuple)) or len(obj) == 0:
        return False
    return any(np.ndim(item) > 0 for item in obj)


def _check_delay(delay) -> int:
    if isinstance(delay, (bool, np.bool_)) or not isinstance(delay, (int, np.integer)):
        raise TypeError(
            f"delay must be an int (the number of points after a segment "
            f"start that still count as detecting it), got {delay!r} of type "
            f"{type(delay).__name__}. Pass a whole number such as 7."
        )
    if delay < 0:
        raise ValueError(
            f"delay must be >= 0, got {delay!r}. Pass 0 to require a flag on "
            f"the first point of each segment."
        )
    return int(delay)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _where(series_index: int | None) -> str:
    return "" if series_index is None else f" in series {series_index}"


def _as_1d(values, name: str, series_index: int | None) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.Index)):
        nullable = isinstance(values.dtype, pd.api.extensions.ExtensionDtype)
        if nullable and pd.api.types.is_numeric_dtype(values.dtype):
            # Nullable integer, float and boolean columns become float with
            # NaN in place of missing values.
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D{_where(series_index)}, got an array of shape "
            f"{arr.shape}. Pass one series as a 1-D array, or several series "
            f"as a list of 1-D arrays (for a 2-D array, list(array) makes one "
            f"series per row)."
        )
    return arr


def _check_binary(values, name: str, series_index: int | None) -> np.ndarray:
    """Return ``values`` as a boolean array, or raise naming the first bad value."""
    arr = _as_1d(values, name, series_index)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind in "iuf":
        numeric = arr
    else:
        # In nullable pandas arrays and object arrays, missing values and
        # non-numbers become NaN, which fails the 0/1 check below.
        numeric = pd.to_numeric(pd.Series(arr, copy=False), errors="coerce")
        numeric = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero((numeric != 0) & (numeric != 1))
    if bad.size:
        position = int(bad[0])
        value = arr[position]
        if isinstance(value, np.generic):
            value = value.item()
        raise ValueError(
            f"{name} must contain only 0/1 or boolean labels, got "
            f"{value!r} at position {position}{_where(series_index)} "
            f"({_count(bad.size, 'invalid value')} in all). Convert scores to labels "
            f"first, for example (scores > threshold).astype(int)."
        )
    return numeric == 1


def _check_scores(values, name: str, series_index: int | None) -> np.ndarray:
    """Return ``values`` as a float array, or raise naming the first NaN."""
    arr = _as_1d(values, name, series_index)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must contain real numbers{_where(series_index)}, got an "
            f"array of dtype {arr.dtype}. Convert the scores to float first."
        )
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    nan = np.flatnonzero(np.isnan(arr))
    if nan.size:
        raise ValueError(
            f"{name} contains NaN at position {int(nan[0])}"
            f"{_where(series_index)} ({_count(nan.size, 'NaN value')} in all). Scores "
            f"must be numbers so that they can be compared with a threshold. "
            f"Fill the gaps in the series before scoring it, or replace NaN "
            f"scores by a value such as -inf."
        )
    return arr


def _paired_series(y_true, other, other_name: str, check_other):
    """Validate ``y_true`` and ``other`` and return two lists of 1-D arrays.

    A list of array-likes is several series, and anything else is one series.
    """
    true_is_list = _is_series_list(y_true)
    other_is_list = _is_series_list(other)
    if true_is_list != other_is_list:
        listed = "y_true" if true_is_list else other_name
        single = other_name if true_is_list else "y_true"
        raise ValueError(
            f"{listed} is a list of series but {single} is a single series. "
            f"Pass both as one 1-D array each, or both as lists of 1-D arrays "
            f"of the same length."
        )
    if true_is_list:
        if len(y_true) != len(other):
            raise ValueError(
                f"y_true contains {len(y_true)} series but {other_name} "
                f"contains {len(other)}. Pass one {other_name} array per "
                f"y_true array."
            )
        pairs = list(zip(y_true, other, strict=True))
        indices = list(range(len(pairs)))
    else:
        pairs = [(y_true, other)]
        indices = [None]

    truths, others = [], []
    for index, (truth, values) in zip(indices, pairs, strict=True):
        truth = _check_binary(truth, "y_true", index)
        values = check_other(values, other_name, index)
        if truth.shape[0] != values.shape[0]:
            raise ValueError(
                f"y_true and {other_name} have different lengths "
                f"({truth.shape[0]} and {values.shape[0]}){_where(index)}. "
                f"Pass one {other_name} value per time point."
            )
        truths.append(truth)
        others.append(values)
    return truths, others, true_is_list


# --------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------


def _segments(truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the start and end (exclusive) of each run of True in ``truth``."""
    padded = np.concatenate(([False], truth, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


def _early_points(truth: np.ndarray, delay: int):
    """Locate the labelled points and the ones early enough to detect a segment.

    Returns
    -------
    positives : ndarray of int, shape (n_positive,)
        Positions of the labelled points, in order.
    segment_of_positive : ndarray of int, shape (n_positive,)
        Segment number of each labelled point.
    is_early : ndarray of bool, shape (n_positive,)
        Whether each labelled point is among the first ``delay + 1`` points
        of its segment.
    lengths : ndarray of int, shape (n_segments,)
        Number of points of each segment.
    """
    starts, ends = _segments(truth)
    lengths = ends - starts
    positives = np.flatnonzero(truth)
    segment_of_positive = np.repeat(np.arange(lengths.size), lengths)
    offset = positives - np.repeat(starts, lengths)
    return positives, segment_of_positive, offset <= delay, lengths


def _adjust_one(truth: np.ndarray, flags: np.ndarray, delay: int) -> np.ndarray:
    positives, segment_of_positive, is_early, lengths = _early_points(truth, delay)
    detected = np.zeros(lengths.size, dtype=bool)
    detected[segment_of_positive[is_early & flags[positives]]] = True

    adjusted = flags.copy()
    adjusted[positives] = np.repeat(detected, lengths)
    return adjusted


def _ratios(tp, fp, fn) -> tuple:
    """Return precision, recall and F1, with 0 for a zero denominator."""
    tp, fp, fn = (np.asarray(count, dtype=np.float64) for count in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return precision, recall, f1


def _threshold_below(value, scores: np.ndarray) -> float:
    """Return a threshold ``t`` such that ``scores > t`` equals ``scores >= value``.

    ``t`` is the midpoint between ``value`` and the next lower distinct score,
    computed in the dtype of ``scores``, so that it sits as far as possible
    from both. Without a lower score, or when the two scores are adjacent
    floats, ``t`` is the next float below ``value``.
    """
    value = scores.dtype.type(value)
    lower = scores[scores < value]
    if lower.size:
        below = lower.max()
        with np.errstate(over="ignore", invalid="ignore"):
            middle = below / 2 + value / 2
        if below <= middle < value:
            return float(middle)
    return float(np.nextafter(value, scores.dtype.type(-np.inf)))


def _pooled_scores(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if len(arrays) > 1 else arrays[0]


# --------------------------------------------------------------------------
# Delay-k (point-adjusted) scores
# --------------------------------------------------------------------------


def point_adjust(y_true, y_pred, delay: int = 7):
    """Adjust predictions with the delay-k segment rule of SR-CNN.

    For each segment (contiguous run of 1s) of ``y_true``, all of its points
    are set to 1 when ``y_pred`` flags any of its first ``delay + 1`` points,
    and to 0 otherwise. Predictions outside the segments are unchanged.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series.
    y_pred : array-like of shape (n_points,) or list of array-like
        Predicted 0/1 (or boolean) labels, in the same layout as ``y_true``.
    delay : int, default=7
        Number of points after the start of a segment that may still detect
        it. With ``delay=0`` only a flag on the first point counts.

    Returns
    -------
    ndarray of int8 of shape (n_points,) or list of ndarray
        The adjusted 0/1 predictions, a list when ``y_true`` is a list.

    Raises
    ------
    ValueError
        If the labels are not 0/1, the lengths differ or ``delay`` is
        negative.
    TypeError
        If ``delay`` is not an int.

    See Also
    --------
    delay_precision_recall_f1 : Scores of the adjusted predictions.

    Examples
    --------
    >>> from sktime_srcnn.metrics import point_adjust
    >>> y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    >>> y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    >>> point_adjust(y_true, y_pred, delay=1)
    array([1, 1, 1, 1, 1, 0, 0, 0, 1], dtype=int8)
    >>> point_adjust(y_true, y_pred, delay=0)
    array([1, 0, 0, 0, 0, 0, 0, 0, 1], dtype=int8)
    """
    delay = _check_delay(delay)
    truths, flags, is_list = _paired_series(y_true, y_pred, "y_pred", _check_binary)
    adjusted = [
        _adjust_one(truth, flag, delay).astype(np.int8)
        for truth, flag in zip(truths, flags, strict=True)
    ]
    return adjusted if is_list else adjusted[0]


def delay_precision_recall_f1(y_true, y_pred, delay: int = 7):
    """Compute precision, recall and F1 under the delay-k segment rule.

    The predictions are first adjusted by :func:`point_adjust`. Then every
    labelled point is a true positive when its segment was detected and a
    false negative otherwise, and every flagged normal point is a false
    positive. For a list of series the three counts are summed over the
    series before the ratios are taken.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series.
    y_pred : array-like of shape (n_points,) or list of array-like
        Predicted 0/1 (or boolean) labels, in the same layout as ``y_true``.
    delay : int, default=7
        Number of points after the start of a segment that may still detect
        it. Ren et al. (2019) use 7 for the KPI dataset.

    Returns
    -------
    precision : float
        True positives over flagged points, or 0.0 when nothing is flagged.
    recall : float
        True positives over labelled points, or 0.0 when nothing is labelled.
    f1 : float
        ``2 * TP / (2 * TP + FP + FN)``, or 0.0 when nothing is flagged or
        labelled.

    Raises
    ------
    ValueError
        If the labels are not 0/1, the lengths differ or ``delay`` is
        negative.
    TypeError
        If ``delay`` is not an int.

    See Also
    --------
    pointwise_precision_recall_f1 : The same scores without adjustment.

    Examples
    --------
    >>> from sktime_srcnn.metrics import delay_precision_recall_f1
    >>> y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    >>> y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    >>> delay_precision_recall_f1(y_true, y_pred, delay=1)
    (0.666..., 0.666..., 0.666...)

    Two series, scored together:

    >>> delay_precision_recall_f1([[0, 1, 1], [1, 0]], [[0, 0, 1], [0, 0]])
    (1.0, 0.666..., 0.8)
    """
    delay = _check_delay(delay)
    truths, flags, _ = _paired_series(y_true, y_pred, "y_pred", _check_binary)
    tp = fp = fn = 0
    for truth, flag in zip(truths, flags, strict=True):
        adjusted = _adjust_one(truth, flag, delay)
        tp += int(np.count_nonzero(adjusted & truth))
        fp += int(np.count_nonzero(adjusted & ~truth))
        fn += int(np.count_nonzero(~adjusted & truth))
    precision, recall, f1 = _ratios(tp, fp, fn)
    return float(precision), float(recall), float(f1)


def _delay_counts(truths, scores, delay):
    """Return the pooled candidate scores and the counts they contribute.

    Each segment contributes one candidate, the maximum score over its first
    ``delay + 1`` points, worth ``length`` true positives. Each normal point
    contributes its score, worth one false positive. Scores of later points
    of a segment are left out, because they change no count.
    """
    candidates, tp_weights, fp_weights = [], [], []
    n_positive = 0
    for truth, score in zip(truths, scores, strict=True):
        _, segment_of_positive, is_early, lengths = _early_points(truth, delay)
        n_positive += int(lengths.sum())
        if lengths.size:
            early_scores = score[truth][is_early]
            early_counts = np.minimum(lengths, delay + 1)
            group_starts = np.concatenate(([0], np.cumsum(early_counts)[:-1]))
            segment_max = np.maximum.reduceat(early_scores, group_starts)
            candidates.append(segment_max)
            tp_weights.append(lengths)
            fp_weights.append(np.zeros(lengths.size, dtype=np.int64))
        normal = score[~truth]
        candidates.append(normal)
        tp_weights.append(np.zeros(normal.size, dtype=np.int64))
        fp_weights.append(np.ones(normal.size, dtype=np.int64))
    return (
        np.concatenate(candidates),
        np.concatenate(tp_weights),
        np.concatenate(fp_weights),
        n_positive,
    )


def _delay_curve(truths, scores, delay):
    """Return thresholds, precision, recall, F1 and the number of positives."""
    candidates, tp_weights, fp_weights, n_positive = _delay_counts(
        truths, scores, delay
    )
    if candidates.size == 0:
        empty = np.empty(0)
        return candidates, empty, empty.copy(), empty.copy(), n_positive

    # After a sort by decreasing score, the cumulative counts at position i
    # are the counts when flagging every candidate scored at least
    # candidates[i].
    order = np.argsort(candidates, kind="stable")[::-1]
    ordered = candidates[order]
    tp = np.cumsum(tp_weights[order])
    fp = np.cumsum(fp_weights[order])

    # Keep the last position of each run of equal scores, so that ties are
    # flagged together.
    last_of_value = np.flatnonzero(np.r_[ordered[1:] != ordered[:-1], True])
    thresholds = ordered[last_of_value][::-1]
    tp = tp[last_of_value][::-1]
    fp = fp[last_of_value][::-1]

    precision, recall, f1 = _ratios(tp, fp, n_positive - tp)
    return thresholds, precision, recall, f1, n_positive


def delay_f1_curve(y_true, scores, delay: int = 7):
    """Compute delay-k precision, recall and F1 at every distinct threshold.

    At threshold ``t`` the points with ``scores >= t`` are flagged, as in
    :func:`sklearn.metrics.precision_recall_curve`. A segment is then
    detected if and only if the maximum score over its first ``delay + 1``
    points is at least ``t``. The whole curve therefore comes from one sort
    of these segment maxima and the scores of the normal points, in
    O(n log n) time.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series.
    scores : array-like of shape (n_points,) or list of array-like
        Anomaly scores (higher is more anomalous), in the same layout as
        ``y_true``. Infinite scores are allowed, NaN is not.
    delay : int, default=7
        Number of points after the start of a segment that may still detect
        it.

    Returns
    -------
    thresholds : ndarray of shape (n_thresholds,)
        The distinct values among the segment maxima and the scores of the
        normal points, in increasing order. Scores of points after the first
        ``delay + 1`` of a segment change no count and are left out.
    precision : ndarray of shape (n_thresholds,)
        Delay-k precision when flagging ``scores >= thresholds[i]``.
    recall : ndarray of shape (n_thresholds,)
        Delay-k recall at each threshold, all 0.0 when nothing is labelled.
    f1 : ndarray of shape (n_thresholds,)
        Delay-k F1 at each threshold.

    Raises
    ------
    ValueError
        If the labels are not 0/1, a score is NaN, the lengths differ or
        ``delay`` is negative.
    TypeError
        If ``delay`` is not an int or the scores are not real numbers.

    See Also
    --------
    best_delay_f1 : The best point of this curve as a ``>`` threshold.

    Examples
    --------
    >>> from sktime_srcnn.metrics import delay_f1_curve
    >>> y_true = [0, 0, 1, 1, 1, 0]
    >>> scores = [0.1, 0.4, 0.2, 0.9, 0.3, 0.5]
    >>> thresholds, precision, recall, f1 = delay_f1_curve(y_true, scores, delay=1)
    >>> thresholds
    array([0.1, 0.4, 0.5, 0.9])
    >>> f1
    array([0.66666667, 0.75      , 0.85714286, 1.        ])
    """
    delay = _check_delay(delay)
    truths, score_arrays, _ = _paired_series(y_true, scores, "scores", _check_scores)
    thresholds, precision, recall, f1, _ = _delay_curve(truths, score_arrays, delay)
    return thresholds, precision, recall, f1


def best_delay_f1(y_true, scores, delay: int = 7):
    """Find the threshold with the best delay-k F1.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series.
    scores : array-like of shape (n_points,) or list of array-like
        Anomaly scores (higher is more anomalous), in the same layout as
        ``y_true``.
    delay : int, default=7
        Number of points after the start of a segment that may still detect
        it.

    Returns
    -------
    f1 : float
        The best delay-k F1 over all thresholds.
    threshold : float
        A threshold ``t`` for which flagging ``scores > t`` gives ``f1``. It
        is the midpoint between the lowest flagged score and the next lower
        score, so it is a little below that flagged score. Among thresholds
        with the same F1, the highest is returned. When nothing is labelled,
        F1 is 0.0 for every threshold and ``t`` is the maximum score, which
        flags nothing.

    Raises
    ------
    ValueError
        If the labels are not 0/1, a score is NaN, the lengths differ, there
        are no scores or ``delay`` is negative.
    TypeError
        If ``delay`` is not an int or the scores are not real numbers.

    See Also
    --------
    delay_f1_curve : The scores at every threshold.
    best_f1 : The same search with point-wise F1.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_srcnn.metrics import best_delay_f1, delay_precision_recall_f1
    >>> y_true = [0, 0, 1, 1, 1, 0]
    >>> scores = np.array([0.1, 0.4, 0.2, 0.9, 0.3, 0.5])
    >>> f1, threshold = best_delay_f1(y_true, scores, delay=1)
    >>> f1, threshold
    (1.0, 0.7)
    >>> delay_precision_recall_f1(y_true, scores > threshold, delay=1)[2]
    1.0
    """
    delay = _check_delay(delay)
    truths, score_arrays, _ = _paired_series(y_true, scores, "scores", _check_scores)
    all_scores = _pooled_scores(score_arrays)
    if all_scores.size == 0:
        raise ValueError(
            "scores is empty, so there is no threshold to choose. Pass at "
            "least one scored point."
        )
    thresholds, _, _, f1, n_positive = _delay_curve(truths, score_arrays, delay)
    if n_positive == 0:
        return 0.0, float(all_scores.max())

    best = f1.size - 1 - int(np.argmax(f1[::-1]))
    return float(f1[best]), _threshold_below(thresholds[best], all_scores)


# --------------------------------------------------------------------------
# Point-wise scores
# --------------------------------------------------------------------------


def pointwise_precision_recall_f1(y_true, y_pred):
    """Compute point-wise precision, recall and F1 of binary predictions.

    A thin wrapper of :func:`sklearn.metrics.precision_recall_fscore_support`
    with ``average="binary"`` and ``zero_division=0`` that also accepts a
    list of series, which it concatenates.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series.
    y_pred : array-like of shape (n_points,) or list of array-like
        Predicted 0/1 (or boolean) labels, in the same layout as ``y_true``.

    Returns
    -------
    precision : float
        0.0 when nothing is flagged.
    recall : float
        0.0 when nothing is labelled.
    f1 : float
        0.0 when nothing is flagged or labelled.

    Raises
    ------
    ValueError
        If the labels are not 0/1 or the lengths differ.

    See Also
    --------
    delay_precision_recall_f1 : The same scores with the delay-k rule.

    Examples
    --------
    >>> from sktime_srcnn.metrics import pointwise_precision_recall_f1
    >>> y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    >>> y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    >>> pointwise_precision_recall_f1(y_true, y_pred)
    (0.333..., 0.166..., 0.222...)
    """
    truths, flags, _ = _paired_series(y_true, y_pred, "y_pred", _check_binary)
    precision, recall, f1, _ = precision_recall_fscore_support(
        _pooled_scores(truths),
        _pooled_scores(flags),
        average="binary",
        pos_label=True,
        zero_division=0,
    )
    return float(precision), float(recall), float(f1)


def best_f1(y_true, scores):
    """Find the threshold with the best point-wise F1.

    The curve comes from :func:`sklearn.metrics.precision_recall_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series, which are concatenated.
    scores : array-like of shape (n_points,) or list of array-like
        Anomaly scores (higher is more anomalous), in the same layout as
        ``y_true``.

    Returns
    -------
    f1 : float
        The best point-wise F1 over all thresholds.
    threshold : float
        A threshold ``t`` for which flagging ``scores > t`` gives ``f1``,
        chosen as in :func:`best_delay_f1`. When nothing is labelled, F1 is
        0.0 and ``t`` is the maximum score, which flags nothing.

    Raises
    ------
    ValueError
        If the labels are not 0/1, a score is NaN, the lengths differ or
        there are no scores.
    TypeError
        If the scores are not real numbers.

    See Also
    --------
    best_delay_f1 : The same search with the delay-k rule.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_srcnn.metrics import best_f1
    >>> y_true = [0, 0, 1, 1, 1, 0]
    >>> scores = np.array([0.1, 0.4, 0.2, 0.9, 0.3, 0.5])
    >>> best_f1(y_true, scores)
    (0.75, 0.15)
    """
    truths, score_arrays, _ = _paired_series(y_true, scores, "scores", _check_scores)
    truth = _pooled_scores(truths)
    all_scores = _pooled_scores(score_arrays)
    if all_scores.size == 0:
        raise ValueError(
            "scores is empty, so there is no threshold to choose. Pass at "
            "least one scored point."
        )
    if not truth.any():
        return 0.0, float(all_scores.max())

    precision, recall, thresholds = precision_recall_curve(truth, all_scores)
    # The last precision and recall pair (1, 0) has no threshold.
    precision, recall = precision[:-1], recall[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(
            precision + recall > 0,
            2 * precision * recall / (precision + recall),
            0.0,
        )
    best = f1.size - 1 - int(np.argmax(f1[::-1]))
    return float(f1[best]), _threshold_below(thresholds[best], all_scores)


def pr_auc(y_true, scores):
    """Compute the area under the point-wise precision-recall curve.

    The area is :func:`sklearn.metrics.average_precision_score`, the mean of
    the precisions at each recall step.

    Parameters
    ----------
    y_true : array-like of shape (n_points,) or list of array-like
        True 0/1 (or boolean) labels of one series, or a list with one array
        per series, which are concatenated.
    scores : array-like of shape (n_points,) or list of array-like
        Anomaly scores (higher is more anomalous), in the same layout as
        ``y_true``.

    Returns
    -------
    float
        The average precision, or 0.0 when nothing is labelled.

    Raises
    ------
    ValueError
        If the labels are not 0/1, a score is NaN or the lengths differ.
    TypeError
        If the scores are not real numbers.

    Examples
    --------
    >>> from sktime_srcnn.metrics import pr_auc
    >>> pr_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.833...
    """
    truths, score_arrays, _ = _paired_series(y_true, scores, "scores", _check_scores)
    truth = _pooled_scores(truths)
    if not truth.any():
        return 0.0
    return float(average_precision_score(truth, _pooled_scores(score_arrays)))


# --------------------------------------------------------------------------
# Scorer for model selection
# --------------------------------------------------------------------------


def _dense_flags(predicted, n_points: int) -> np.ndarray:
    """Turn a detector's predicted ilocs into a 0/1 array of ``n_points``.

    ``predicted`` is a DataFrame with an ``"ilocs"`` column, a Series or a
    1-D array. Its entries are integer positions, or ``pd.Interval`` objects
    of positions for detectors that return segments.
    """
    if isinstance(predicted, pd.DataFrame):
        if "ilocs" not in predicted.columns:
            raise ValueError(
                f"The detector's predict returned a DataFrame without an "
                f"'ilocs' column (columns: {list(predicted.columns)}). The "
                f"delay-F1 scorer needs the positions of the flagged points "
                f"in a column named 'ilocs'."
            )
        predicted = predicted["ilocs"]
    if isinstance(predicted, (pd.Series, pd.Index)):
        predicted = predicted.array
    flags = np.zeros(n_points, dtype=bool)

    if isinstance(predicted, pd.arrays.IntervalArray) or (
        len(predicted) and isinstance(predicted[0], pd.Interval)
    ):
        intervals = pd.arrays.IntervalArray(predicted)
        left = np.ceil(np.asarray(intervals.left, dtype=np.float64))
        right = np.floor(np.asarray(intervals.right, dtype=np.float64))
        left = np.where(intervals.open_left & (left == intervals.left), left + 1, left)
        right = np.where(
            intervals.open_right & (right == intervals.right), right - 1, right
        )
        # Mark each interval with +1 at its start and -1 after its end, so
        # that the cumulative sum is positive on covered points.
        left = np.clip(left, 0, n_points).astype(np.int64)
        right = np.clip(right + 1, 0, n_points).astype(np.int64)
        nonempty = left < right
        marks = np.zeros(n_points + 1, dtype=np.int64)
        np.add.at(marks, left[nonempty], 1)
        np.add.at(marks, right[nonempty], -1)
        return np.cumsum(marks[:-1]) > 0

    ilocs = np.asarray(predicted)
    if ilocs.size == 0:
        return flags
    if ilocs.ndim != 1 or ilocs.dtype.kind not in "iu":
        raise TypeError(
            f"The detector's predict must return integer positions (ilocs), "
            f"got an array of dtype {ilocs.dtype} and shape {ilocs.shape}. "
            f"Return the positions of the flagged points, for example "
            f"np.flatnonzero(scores > threshold)."
        )
    invalid = (ilocs < 0) | (ilocs >= n_points)
    if invalid.any():
        raise ValueError(
            f"The detector's predict returned the position "
            f"{int(ilocs[invalid][0])}, outside the {n_points} points of X. "
            f"Return positions from 0 to len(X) - 1."
        )
    flags[ilocs] = True
    return flags


def _label_array(y, n_points: int) -> np.ndarray:
    if y is None:
        raise ValueError(
            "The delay-F1 scorer needs labels, got y=None. Pass the 0/1 "
            "labels as y, for example GridSearchCV(...).fit(X, y)."
        )
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"y must be one column of 0/1 labels, got a DataFrame with "
                f"{y.shape[1]} columns {list(y.columns)}. Select the label "
                f"column, for example y['label']."
            )
        y = y.iloc[:, 0]
    labels = _check_binary(y, "y", None)
    if labels.shape[0] != n_points:
        raise ValueError(
            f"y has {labels.shape[0]} labels but X has {n_points} points. "
            f"Pass one label per point of X."
        )
    return labels


class _DelayF1Scorer:
    """Callable ``scorer(estimator, X, y)`` returning the delay-k F1."""

    def __init__(self, delay: int):
        self.delay = delay

    def __call__(self, estimator, X, y=None) -> float:
        n_points = len(X)
        labels = _label_array(y, n_points)
        flags = _dense_flags(estimator.predict(X), n_points)
        return delay_precision_recall_f1(labels, flags, delay=self.delay)[2]

    def __repr__(self) -> str:
        return f"make_delay_f1_scorer(delay={self.delay})"


def make_delay_f1_scorer(delay: int = 7) -> Callable:
    """Make a scorer that rates a detector by its delay-k F1.

    The scorer has the signature ``scorer(estimator, X, y)`` that
    scikit-learn's model selection expects, so it can be passed as
    ``scoring=`` to :class:`sklearn.model_selection.GridSearchCV` or
    :func:`sklearn.model_selection.cross_val_score`. It calls
    ``estimator.predict(X)``, marks the returned positions as flagged and
    returns :func:`delay_precision_recall_f1` of the flags against ``y``.

    Parameters
    ----------
    delay : int, default=7
        Number of points after the start of a segment that may still detect
        it.

    Returns
    -------
    callable
        ``scorer(estimator, X, y) -> float``. ``estimator.predict(X)`` may
        return a DataFrame with an ``"ilocs"`` column (as sktime detectors
        do), a Series or a 1-D array. Its entries are integer positions in
        ``X``, or ``pd.Interval`` objects of positions for detected segments.
        ``y`` is a 1-D array or Series of 0/1 labels, or a DataFrame with one
        such column, with one label per point of ``X``.

    Raises
    ------
    ValueError
        If ``delay`` is negative.
    TypeError
        If ``delay`` is not an int.

    Notes
    -----
    Each split of a cross-validation is scored as one series, so segments
    cut by a split boundary are scored as two segments. Use a splitter that
    keeps time order, such as :class:`sklearn.model_selection.TimeSeriesSplit`.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_srcnn.metrics import make_delay_f1_scorer
    >>> class SpikeDetector:
    ...     def predict(self, X):
    ...         return np.flatnonzero(np.asarray(X) > 5)
    >>> X = np.array([0.0, 9.0, 0.0, 0.0, 7.0, 0.0])
    >>> y = np.array([0, 1, 1, 0, 0, 0])
    >>> scorer = make_delay_f1_scorer(delay=1)
    >>> scorer
    make_delay_f1_scorer(delay=1)
    >>> scorer(SpikeDetector(), X, y)
    0.8
    """
    return _DelayF1Scorer(_check_delay(delay))
