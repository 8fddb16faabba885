"""Input handling and scikit-learn compatibility shared by the detectors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils import Tags, TargetTags
from sktime.detection.base import BaseDetector

from sktime_srcnn.metrics import best_delay_f1


def series_values(X, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """Return the values of one univariate series and the mask of filled points.

    Accepts a pd.Series, a one-column pd.DataFrame, a 1-D array or an array
    of shape (n, 1). Missing values (NaN, None, pd.NA) are filled by linear
    interpolation between their neighbours, and by the nearest value at the
    ends; the mask marks them so that they are never flagged.

    Raises
    ------
    TypeError
        If the values are not real numbers.
    ValueError
        If the series is empty, all missing, infinite somewhere, or has more
        than one column.
    """
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise ValueError(
                f"{name} must be univariate, got a DataFrame with {X.shape[1]} "
                f"columns {list(X.columns)!r}. Select one column, e.g. X['value']."
            )
        X = X.iloc[:, 0]
    if isinstance(X, pd.Series):
        if X.dtype.kind not in "biuf" and not pd.api.types.is_numeric_dtype(X):
            raise TypeError(_type_message(name, X.dtype, X.to_numpy()))
        if X.dtype.kind == "c":
            raise TypeError(_type_message(name, X.dtype, X.to_numpy()))
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        array = np.asarray(X)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise ValueError(
                f"{name} must be one univariate series, got an array of shape "
                f"{array.shape}. Pass a 1-D array or a one-column DataFrame."
            )
        if array.dtype.kind not in "biuf":
            if array.dtype.kind == "O":
                try:
                    array = array.astype(np.float64)
                except (TypeError, ValueError):
                    raise TypeError(_type_message(name, array.dtype, array)) from None
            else:
                raise TypeError(_type_message(name, array.dtype, array))
        values = array.astype(np.float64)

    if values.size == 0:
        raise ValueError(f"{name} is empty: a series needs at least 1 point.")
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        raise ValueError(
            f"{name} contains an infinite value at position {infinite[0]} "
            f"({values[infinite[0]]}). Replace it with a finite value or NaN."
        )
    filled = np.isnan(values)
    if filled.all():
        raise ValueError(f"{name} has no values: all {values.size} points are missing.")
    if filled.any():
        known = np.flatnonzero(~filled)
        values = values.copy()
        values[filled] = np.interp(np.flatnonzero(filled), known, values[known])
    return values, filled


def _type_message(name, dtype, array) -> str:
    bad = 0
    for position, value in enumerate(array):
        try:
            float(value)
        except (TypeError, ValueError):
            bad = position
            break
    return (
        f"{name} must hold real numbers, got dtype {dtype} with {array[bad]!r} "
        f"at position {bad}. Convert the values to float first."
    )


def dense_labels(y, n: int, name: str = "y") -> np.ndarray | None:
    """Return known anomalies as a 0/1 array of length ``n``, or None.

    ``y`` may be None, an sktime event frame with an ``"ilocs"`` column of
    integer positions (or ``pd.Interval`` ranges), or a 0/1 array, Series or
    one-column DataFrame of length ``n``.
    """
    if y is None:
        return None
    if isinstance(y, pd.DataFrame) and "ilocs" in y.columns:
        labels = np.zeros(n, dtype=np.int8)
        for event in y["ilocs"]:
            if isinstance(event, pd.Interval):
                labels[int(event.left) : int(event.right)] = 1
            else:
                labels[int(event)] = 1
        return labels
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"{name} must be one column of 0/1 labels or an event frame "
                f"with an 'ilocs' column, got columns {list(y.columns)!r}."
            )
        y = y.iloc[:, 0]
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.size != n:
        raise ValueError(
            f"{name} must hold one 0/1 label per point ({n} points), got an "
            f"array of shape {labels.shape}. Pass labels aligned with X."
        )
    if not np.isin(labels, (0, 1)).all():
        bad = labels[~np.isin(labels, (0, 1))][0]
        raise ValueError(
            f"{name} must hold 0/1 labels, got {bad!r}. Mark anomalies with 1 "
            f"and normal points with 0."
        )
    return labels.astype(np.int8)


def labelled_series(X, y) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Pair each fit series with its known labels (or None)."""
    series = [series_values(x, f"X[{i}]")[0] for i, x in enumerate(series_list(X))]
    if y is None:
        return [(values, None) for values in series]
    ys = series_list(y) if isinstance(X, (list, tuple)) else [y]
    if len(ys) != len(series):
        raise ValueError(
            f"y must give labels for each of the {len(series)} series, got "
            f"{len(ys)}. Pass a list of label arrays aligned with X."
        )
    return [
        (values, dense_labels(labels, values.size, f"y[{i}]"))
        for i, (values, labels) in enumerate(zip(series, ys, strict=True))
    ]


def series_list(X) -> list:
    """Split a fit input into a list of single series.

    A list or tuple is a collection of series; an sktime panel arrives as a
    list of DataFrames (mtype ``df-list``); anything else is one series.
    """
    if isinstance(X, (list, tuple)):
        return list(X)
    return [X]


def calibrate_threshold(truths, scores, delay: int = 7) -> float:
    """Return the threshold with the best pooled delay-F1 on synthetic labels."""
    _, threshold = best_delay_f1(truths, scores, delay=delay)
    return float(threshold)


def injection_positions(n: int, rate: float, rng, margin: int = 0) -> np.ndarray:
    """Draw sorted distinct positions for synthetic anomalies.

    About ``rate * n`` positions in ``[margin, n)``, at least one when the
    range is not empty.
    """
    available = n - margin
    if available <= 0:
        return np.array([], dtype=np.intp)
    count = max(1, int(round(rate * available)))
    count = min(count, available)
    return np.sort(rng.choice(available, size=count, replace=False) + margin)


class SklearnCompatibleDetector(BaseDetector):
    """sktime detector that scikit-learn's ``clone`` and search tools accept."""

    def __sklearn_tags__(self):
        return Tags(estimator_type=None, target_tags=TargetTags(required=False))

    def __sklearn_is_fitted__(self):
        return self.is_fitted

    def _output(self, scores: np.ndarray, filled: np.ndarray, X) -> pd.Series:
        """Ilocs of the flagged points as an unnamed Series."""
        flags = (scores > self.threshold_) & ~filled
        return pd.Series(np.flatnonzero(flags), dtype="int64")

    @staticmethod
    def _score_series(X, scores: np.ndarray) -> pd.Series:
        index = X.index if isinstance(X, (pd.Series, pd.DataFrame)) else None
        return pd.Series(scores, index=index)

    def fit(self, X, y=None):
        """Fit the detector on one series or on several.

        Parameters
        ----------
        X : pd.Series, pd.DataFrame, np.ndarray, or a list of them
            One univariate series, or several as a list or an sktime panel.
            Missing values are filled by linear interpolation.
        y : array-like, pd.DataFrame, list of them, or None, default=None
            Known anomalies, optional: 0/1 labels per point, or an sktime
            event frame with an ``"ilocs"`` column; a list for several
            series. The detectors learn without labels; known ones are used
            in addition to the synthetic anomalies.

        Returns
        -------
        self
            The fitted detector.
        """
        if isinstance(X, (list, tuple)):
            self._fit(X, y)
            self._is_fitted = True
            return self
        return super().fit(X, y=y)

    def _predict(self, X):
        values, filled = series_values(X)
        return self._output(self._scores(values), filled, X)

    def _transform_scores(self, X):
        values, _ = series_values(X)
        return self._score_series(X, self._scores(values))

    def _predict_scores(self, X):
        values, filled = series_values(X)
        scores = self._scores(values)
        flags = (scores > self.threshold_) & ~filled
        return pd.Series(scores[flags])
