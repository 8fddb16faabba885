"""Input handling and scikit-learn compatibility shared by the detectors."""

from __future__ import annotations

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.utils import Tags, TargetTags
from sktime.datatypes import convert_to
from sktime.detection.base import BaseDetector

from sktime_srcnn.exceptions import CalibrationWarning
from sktime_srcnn.injection import inject_anomalies, inject_level_shifts
from sktime_srcnn.metrics import delay_f1_curve

#: Shortest series, in points, that the detectors fit on, and below which
#: ``predict`` flags no point. Azure AI Anomaly Detector, Microsoft's
#: service built on SR-CNN, sets the same minimum for its univariate API.
#: NOTE: the minimum rejects the shortest series only; it is no quality
#: floor. A threshold calibrated on 12 to 32 points of noise can still flag
#: some of them.
MIN_POINTS = 12


def real_values(X, name: str = "X") -> np.ndarray:
    """Return one univariate series as float64 values, missing values as NaN.

    Accepts a pd.Series, a one-column pd.DataFrame, a 1-D array or an array
    of shape (n, 1). Their dtype may be boolean, integer or float, pandas
    nullable dtypes included. An object or string dtype may contain numbers,
    numeric text and missing values (None, NaN, pd.NA).

    Raises
    ------
    TypeError
        If a value is not a real number; the message names its position.
    ValueError
        If the series is empty or has more than one column.
    """
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise ValueError(
                f"{name} must be univariate, got a DataFrame with {X.shape[1]} "
                f"columns {list(X.columns)!r}. Select one column, e.g. X['value']."
            )
        X = X.iloc[:, 0]
    if isinstance(X, pd.Series):
        values = _series_floats(X, name)
    else:
        array = np.asarray(X)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise ValueError(
                f"{name} must be one univariate series, got an array of shape "
                f"{array.shape}. Pass a 1-D array or a one-column DataFrame."
            )
        values = _array_floats(array, name)

    if values.size == 0:
        raise ValueError(f"{name} is empty: a series needs at least 1 point.")
    return values


def series_values(X, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """Return the values of one univariate series and the mask of filled points.

    Accepts the inputs of :func:`real_values`. Missing values (NaN, None,
    pd.NA) are filled by linear interpolation between their neighbours, and
    by the nearest value at the ends. The mask marks them, so that they are
    never flagged.

    Raises
    ------
    TypeError
        If a value is not a real number.
    ValueError
        If the series is empty, all missing, infinite somewhere, or has more
        than one column.
    """
    values = real_values(X, name)
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        raise ValueError(
            f"{name} contains an infinite value at position {infinite[0]} "
            f"({values[infinite[0]]}). Replace it with a finite value or NaN."
        )
    filled = np.isnan(values)
    if filled.all():
        raise ValueError(
            f"{name} has no values: all {values.size} points are missing. "
            f"Pass a series with at least one measured value."
        )
    if filled.any():
        known = np.flatnonzero(~filled)
        values = values.copy()
        values[filled] = np.interp(np.flatnonzero(filled), known, values[known])
    return values, filled


def _series_floats(X: pd.Series, name: str) -> np.ndarray:
    dtype = X.dtype
    if pd.api.types.is_bool_dtype(dtype) or (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    ):
        return X.to_numpy(dtype=np.float64, na_value=np.nan)
    if pd.api.types.is_string_dtype(dtype):
        return _object_floats(X.to_numpy(dtype=object), name)
    raise TypeError(_type_message(name, dtype, X.to_numpy()))


def _array_floats(array: np.ndarray, name: str) -> np.ndarray:
    if array.dtype.kind in "biuf":
        return array.astype(np.float64)
    if array.dtype.kind in "OUS":
        return _object_floats(array, name)
    raise TypeError(_type_message(name, array.dtype, array))


def _object_floats(array: np.ndarray, name: str) -> np.ndarray:
    """Convert numbers, numeric text and missing values to float64.

    None and pd.NA become NaN. Text is converted as by ``float``, so that
    "1.5" and "nan" are accepted, and any other value raises.
    """
    values = np.empty(array.size)
    for position, value in enumerate(array):
        if value is None or value is pd.NA:
            values[position] = np.nan
        elif isinstance(value, (Real, np.bool_)):
            values[position] = float(value)
        elif isinstance(value, (str, bytes)):
            try:
                values[position] = float(value)
            except ValueError:
                raise TypeError(
                    _type_message(name, array.dtype, array, position)
                ) from None
        else:
            raise TypeError(_type_message(name, array.dtype, array, position))
    return values


def _type_message(name, dtype, array, position=None) -> str:
    """Describe the first value of ``array`` that is not a real number.

    ``position`` is that value's position, or None for the first element,
    or for a complex array the first element with an imaginary part.
    """
    is_complex = np.asarray(array).dtype.kind == "c"
    if position is None:
        position = 0
        if is_complex:
            nonzero = np.flatnonzero(np.asarray(array).imag != 0)
            position = int(nonzero[0]) if nonzero.size else 0
    value = array[position]
    if isinstance(value, np.generic):
        value = value.item()
    is_complex = is_complex or isinstance(value, complex)
    fix = (
        "Pass the real part or the magnitude of the values."
        if is_complex
        else "Convert the values to float first."
    )
    return (
        f"{name} must hold real numbers, got {value!r} at position {position} "
        f"(dtype {dtype}). {fix}"
    )


def check_time_index(X, name: str = "X") -> None:
    """Raise if the index of a pandas series is not strictly increasing.

    The detectors score points by position and return their index with the
    scores, so a missing, repeated or decreasing time would silently pair
    scores with the wrong times. NumPy arrays and pandas inputs with a
    MultiIndex (sktime panels) are not checked here.

    Raises
    ------
    ValueError
        Naming the first position whose time is missing, or not later than
        the time before it.
    """
    if not isinstance(X, (pd.Series, pd.DataFrame)):
        return
    index = X.index
    if isinstance(index, pd.MultiIndex) or len(index) < 2:
        return
    if index.is_monotonic_increasing and index.is_unique:
        return

    missing = np.flatnonzero(pd.isna(index))
    if missing.size:
        raise ValueError(
            f"The index of {name} is missing at position {missing[0]}. Every "
            f"point needs a time: fill it in or drop the point."
        )
    try:
        later = np.asarray(index[1:] > index[:-1])
    except TypeError:
        # Times that cannot be compared are left to sktime's input checks.
        return
    position = int(np.flatnonzero(~later)[0]) + 1
    current, previous = index[position], index[position - 1]
    relation = "equal to" if current == previous else "earlier than"
    raise ValueError(
        f"The index of {name} must be strictly increasing, but position "
        f"{position} ({current}) is {relation} position {position - 1} "
        f"({previous}). Sort the series with {name}.sort_index() and drop "
        f"or aggregate repeated times, for example with "
        f"{name}.groupby(level=0).mean()."
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
                left, right = event.left, event.right
            else:
                left, right = event, event + 1
            if not (0 <= left < right <= n) or int(left) != left:
                raise ValueError(
                    f"{name} has the event {event!r}, which is not a position "
                    f"of a series of {n} points. Give integer ilocs in "
                    f"[0, {n - 1}] or intervals within [0, {n}]."
                )
            labels[int(left) : int(np.ceil(right))] = 1
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
    """Pair each fit series with its known labels (or None).

    Raises a ValueError for a series shorter than ``MIN_POINTS``.
    """
    several = isinstance(X, (list, tuple))
    names = [f"X[{i}]" if several else "X" for i in range(len(series_list(X)))]
    series = [
        series_values(x, name)[0] for x, name in zip(series_list(X), names, strict=True)
    ]
    for values, name in zip(series, names, strict=True):
        if values.size < MIN_POINTS:
            raise ValueError(
                f"{name} is too short to fit on: {values.size} points "
                f"(minimum {MIN_POINTS}). Pass a longer series."
            )
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


def resolve_rng(random_state) -> np.random.Generator:
    """Return a numpy Generator for an int, Generator, RandomState or None.

    A Generator is used as it is, so fitting advances it; a RandomState
    seeds a new Generator with one draw from it.
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    return np.random.default_rng(random_state)


def panel_series(X) -> list | None:
    """Split an sktime panel into a list of series; return None for other input.

    A panel is a DataFrame with a two-level MultiIndex (instance, time),
    sktime's ``pd-multiindex``, or a 3-D array of shape (n_series, 1,
    n_timepoints), sktime's ``numpy3D``.
    """
    if isinstance(X, pd.DataFrame) and X.index.nlevels == 2:
        return [frame.droplevel(0) for _, frame in X.groupby(level=0, sort=False)]
    if isinstance(X, np.ndarray) and X.ndim == 3:
        if X.shape[1] != 1:
            raise ValueError(
                f"X is a 3-D panel with {X.shape[1]} variables per series, but "
                "the detectors are univariate. Pass an array of shape "
                "(n_series, 1, n_timepoints) or a list of 1-D series."
            )
        return list(X[:, 0, :])
    return None


def series_list(X) -> list:
    """Split a fit input into a list of single series.

    A list or tuple is a collection of series; an sktime panel arrives as a
    list of DataFrames (mtype ``df-list``); anything else is one series.
    """
    if isinstance(X, (list, tuple)):
        return list(X)
    return [X]


#: Largest share of calibration points that a calibrated threshold may flag.
#: Without this bound, a series whose synthetic anomalies score no higher
#: than its normal points gets the threshold that flags every point, because
#: that threshold still reaches an F1 equal to the anomaly rate.
MAX_FLAG_SHARE = 0.05


def calibrate_threshold(truths, scores, delay: int = 7) -> float:
    """Return the threshold with the best pooled delay-F1 on synthetic labels.

    Only thresholds that flag at most ``MAX_FLAG_SHARE`` of the points are
    considered. Flagging ``score > threshold`` reproduces the chosen F1.
    """
    thresholds, _, _, f1 = delay_f1_curve(truths, scores, delay=delay)
    pooled = np.concatenate([np.asarray(s, dtype=np.float64) for s in scores])
    floor = np.quantile(pooled, 1.0 - MAX_FLAG_SHARE)
    allowed = thresholds >= floor
    if not allowed.any() or f1[allowed].max() == 0:
        warnings.warn(
            "No threshold separates the synthetic anomalies from the other "
            "calibration points, so the threshold is set to the highest "
            f"calibration score ({pooled.max():.4g}) and few points will be "
            "flagged. Pass threshold=... to choose one.",
            CalibrationWarning,
            stacklevel=3,
        )
        return float(pooled.max())
    best = np.flatnonzero(allowed)[np.argmax(f1[allowed])]
    if best == 0:
        return float(np.nextafter(thresholds[0], -np.inf))
    # Halfway to the next lower distinct score: the same points are flagged
    # on the calibration data, with a margin for new data.
    return float((thresholds[best] + thresholds[best - 1]) / 2)


#: Minimum number of synthetic anomalies per series when calibrating. With
#: fewer, the calibrated threshold varies widely from seed to seed.
MIN_INJECTIONS = 500
#: Maximum number of injected copies of one series when calibrating.
MAX_COPIES = 20


def calibration_copies(n_points: int, rate: float) -> int:
    """Return how many injected copies give about ``MIN_INJECTIONS`` anomalies."""
    per_copy = max(1, round(rate * n_points))
    return int(min(MAX_COPIES, -(-MIN_INJECTIONS // per_copy)))


#: Range of the lengths of synthetic level shifts, in points (high end
#: excluded).
SHIFT_LENGTHS = (8, 200)
#: Number of points at the start of a synthetic level shift that are
#: labelled anomalous: those within which a delay-7 evaluation wants it
#: found.
SHIFT_LABELLED = 8


def inject_shifts(values, truth, rate, rng, window, margin=0):
    """Return a copy of ``values`` with level shifts, and label them.

    Shifts start at ``rate`` of the points from ``margin`` on, rounded to
    the nearest whole number, so a stretch too short for half a shift gets
    none. They last ``SHIFT_LENGTHS`` points. The first ``SHIFT_LABELLED``
    points of each are set to 1 in ``truth``, in place.
    """
    available = max(0, values.size - margin)
    count = min(int(round(rate * available)), available)
    if count == 0:
        return values.copy()
    positions = np.sort(rng.choice(available, size=count, replace=False) + margin)
    lengths = rng.integers(*SHIFT_LENGTHS, size=count)
    for start in positions:
        truth[start : start + SHIFT_LABELLED] = 1
    return inject_level_shifts(values, positions, lengths, rng, window)


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

    def _flags(self, scores: np.ndarray, filled: np.ndarray) -> np.ndarray:
        """Flag the points scored above the threshold.

        Filled points are never flagged, and neither is any point of a
        series shorter than ``MIN_POINTS``.
        """
        if scores.size < MIN_POINTS:
            return np.zeros(scores.size, dtype=bool)
        return (scores > self.threshold_) & ~filled

    def _calibrate(self, parts, rate: float, rng, shift_rate: float = 0.0) -> float:
        """Choose the threshold on injected copies of the calibration data.

        ``parts`` contains ``(values, known_labels or None, start)`` per
        series. Anomalies are injected into ``values[start:]`` at ``rate`` of
        its points, in the number of copies that ``calibration_copies``
        returns, and only those points are scored. With ``shift_rate`` > 0,
        level shifts start at that share of the points as well (see
        ``inject_shifts``).
        """
        truths, scores = [], []
        for values, known, start in parts:
            for _ in range(calibration_copies(values.size - start, rate)):
                positions = injection_positions(values.size, rate, rng, margin=start)
                injected = inject_anomalies(
                    values, positions, random_state=rng, window=self.window
                )
                truth = (
                    np.zeros(values.size, dtype=np.int8)
                    if known is None
                    else known.astype(np.int8)
                )
                truth[positions] = 1
                if shift_rate > 0:
                    injected = inject_shifts(
                        injected, truth, shift_rate, rng, self.window, start
                    )
                truths.append(truth[start:])
                scores.append(self._scores(injected, start))
        return calibrate_threshold(truths, scores)

    def _output(self, scores: np.ndarray, filled: np.ndarray, X) -> pd.Series:
        """Ilocs of the flagged points as an unnamed Series."""
        return pd.Series(np.flatnonzero(self._flags(scores, filled)), dtype="int64")

    def _check_X(self, X):
        # sktime rejects an unsorted index with a long generic message, so
        # the index is checked first, with a message that names the position.
        check_time_index(X)
        return super()._check_X(X)

    @staticmethod
    def _score_series(X, scores: np.ndarray) -> pd.Series:
        index = X.index if isinstance(X, (pd.Series, pd.DataFrame)) else None
        return pd.Series(scores, index=index)

    def fit(self, X, y=None):
        """Fit the detector on one series or on several.

        Parameters
        ----------
        X : pd.Series, pd.DataFrame, np.ndarray, or a list of them
            One univariate series, or several as a list or an sktime panel
            (a DataFrame with an (instance, time) MultiIndex or a 3-D array
            of shape (n_series, 1, n_timepoints)), each of at least
            ``MIN_POINTS`` (12) points. Missing values are
            filled by linear interpolation. A pandas index must be strictly
            increasing.
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
        panel = panel_series(X)
        if panel is not None:
            X = panel
        if isinstance(X, (list, tuple)):
            for i, x in enumerate(X):
                check_time_index(x, f"X[{i}]")
            self._fit(X, y)
            self._X = None
            self._is_fitted = True
            return self
        super().fit(X, y=y)
        # sktime's update() merges new data into the stored training data,
        # which must then have the inner DataFrame type.
        self._X = convert_to(X, "pd.DataFrame")
        return self

    def update(self, X, y=None):
        """Refit on the training series merged with ``X`` by index.

        Parameters
        ----------
        X : pd.Series, pd.DataFrame or np.ndarray
            New points of the series the detector was fitted on; points at
            new index values are appended, points at known ones replace the
            old values.
        y : ignored
            Labels are not merged; pass them to ``fit``.

        Returns
        -------
        self
            The refitted detector.
        """
        self.check_is_fitted()
        if self._X is None:
            raise ValueError(
                f"{type(self).__name__}.update needs a detector fitted on one "
                f"series, but it was fitted on several. Call fit again with "
                f"the longer series."
            )
        return super().update(X, y=None)

    def _predict(self, X):
        values, filled = series_values(X)
        return self._output(self._scores(values), filled, X)

    def _transform_scores(self, X):
        values, _ = series_values(X)
        return self._score_series(X, self._scores(values))

    def _predict_scores(self, X):
        values, filled = series_values(X)
        scores = self._scores(values)
        return pd.Series(scores[self._flags(scores, filled)])
