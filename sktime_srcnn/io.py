"""Read time series from CSV files onto a regular time grid.

Spectral Residual treats a series as equally spaced samples, but monitoring
data often has missing steps. Many KPI files of the AIOps Challenge 2018, for
example, have thousands of gaps, where the rows of whole steps are absent.
:func:`read_series` reads such a file, infers the sampling step, re-grids the
values from the first to the last timestamp and fills the missing points, so
that every point of the result is one step after the previous one.
:func:`regularize_series` does the same for a DataFrame already in memory.

:func:`load_nab_labels` turns the anomaly windows of the Numenta Anomaly
Benchmark (NAB) into 0/1 labels for the points of a series.
"""

from __future__ import annotations

import json
import lzma
import os
import warnings
import zlib
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

__all__ = ["load_nab_labels", "read_series", "regularize_series"]

Fill = Literal["linear", "ffill", "zero", "none"]
OffGrid = Literal["raise", "nearest"]

_TIMESTAMP_NAMES = ("timestamp", "time", "date", "datetime")
_LABEL_NAMES = ("label", "is_anomaly", "anomaly")
_FILLS = ("linear", "ffill", "zero", "none")
_OFF_GRID = ("raise", "nearest")

#: Number of offending rows or timestamps quoted in an error message.
_MAX_QUOTED = 5


def _quote(items) -> str:
    items = list(items)
    text = ", ".join(str(item) for item in items[:_MAX_QUOTED])
    if len(items) > _MAX_QUOTED:
        text += f", ... ({len(items)} in all)"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _display(value):
    """Return ``value`` as a plain Python object, for a readable repr."""
    return value.item() if isinstance(value, np.generic) else value


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------


def _match_name(frame: pd.DataFrame, names, exclude=()) -> list:
    return [
        column
        for column in frame.columns
        if column not in exclude and str(column).strip().lower() in names
    ]


def _check_given_column(frame, column, argument: str, source: str) -> None:
    if column not in frame.columns:
        raise ValueError(
            f"Column {column!r} (passed as {argument}) is missing from "
            f"{source}. Its columns are {list(frame.columns)}. Pass one of "
            f"them as {argument}=..."
        )


def _find_columns(frame, timestamp_column, value_column, label_column, source):
    """Return the timestamp, value and label column names of ``frame``."""
    if timestamp_column is None:
        found = _match_name(frame, _TIMESTAMP_NAMES)
        if len(found) != 1:
            problem = (
                "no timestamp column"
                if not found
                else (f"several timestamp columns {found}")
            )
            raise ValueError(
                f"{_capitalize(source)} has {problem} among its columns "
                f"{list(frame.columns)}. A timestamp column is recognized by "
                f"one of the names {list(_TIMESTAMP_NAMES)} (any case). Pass "
                f"timestamp_column=... to choose one."
            )
        timestamp_column = found[0]
    else:
        _check_given_column(frame, timestamp_column, "timestamp_column", source)

    if label_column is None:
        found = _match_name(
            frame, _LABEL_NAMES, exclude=(timestamp_column, value_column)
        )
        if len(found) > 1:
            raise ValueError(
                f"{_capitalize(source)} has several label columns ({found}). Pass "
                f"label_column=... to choose one."
            )
        label_column = found[0] if found else None
    else:
        _check_given_column(frame, label_column, "label_column", source)

    if value_column is None:
        value_column = _find_value_column(
            frame, (timestamp_column, label_column), source
        )
    else:
        _check_given_column(frame, value_column, "value_column", source)

    used = [timestamp_column, value_column, label_column]
    used = [column for column in used if column is not None]
    if len(set(used)) != len(used):
        raise ValueError(
            f"The timestamp, value and label columns of {source} must differ, "
            f"got timestamp_column={timestamp_column!r}, "
            f"value_column={value_column!r} and label_column={label_column!r}."
        )
    return timestamp_column, value_column, label_column


def _find_value_column(frame, exclude, source):
    named = _match_name(frame, ("value",), exclude=exclude)
    if len(named) == 1:
        return named[0]
    rest = [column for column in frame.columns if column not in exclude]
    if len(rest) == 1:
        return rest[0]
    numeric = [
        column
        for column in rest
        if pd.api.types.is_numeric_dtype(frame[column].dtype)
        and not pd.api.types.is_bool_dtype(frame[column].dtype)
    ]
    if len(numeric) == 1:
        return numeric[0]
    problem = "no numeric column" if not numeric else f"the numeric columns {numeric}"
    raise ValueError(
        f"The value column of {source} is ambiguous: there is no column named "
        f"'value' and {problem} besides the timestamp and label columns. Pass "
        f"value_column=... to choose one of {rest}."
    )


# --------------------------------------------------------------------------
# Column contents
# --------------------------------------------------------------------------


def _as_float(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def _parse_numeric_timestamps(column: pd.Series, name, source) -> pd.DatetimeIndex:
    seconds = _as_float(column)
    bad = np.flatnonzero(~np.isfinite(seconds))
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"Timestamp column {name!r} of {source} has the missing or "
            f"infinite value {_display(column.iloc[row])!r} in row {row}. Every row "
            f"needs a timestamp: fill it in or drop the row."
        )
    # Round to microseconds, because a float64 Unix time of today carries
    # no finer precision.
    micros = np.round(seconds * 1e6)
    limit = float(np.iinfo(np.int64).max) / 1e3
    outside = np.flatnonzero(np.abs(micros) >= limit)
    if outside.size:
        row = int(outside[0])
        raise ValueError(
            f"Timestamp column {name!r} of {source} has the value "
            f"{_display(column.iloc[row])!r} in row {row}, too large for a "
            f"date in Unix seconds. Numbers are read as seconds since "
            f"1970-01-01 UTC. If they are milliseconds, divide them by 1000 "
            f"and pass the DataFrame to regularize_series."
        )
    return pd.DatetimeIndex(pd.to_datetime(micros.astype(np.int64), unit="us"))


def _to_datetime(text: pd.Series, **kwargs) -> pd.Series:
    try:
        return pd.to_datetime(text, errors="coerce", **kwargs)
    except ValueError as error:
        if "Mixed timezones" not in str(error):
            raise
        # Several UTC offsets occur on both sides of a daylight saving change.
        # An offset does not name a time zone, so convert to UTC.
        return pd.to_datetime(text, errors="coerce", utc=True, **kwargs)


def _parse_text_timestamps(column: pd.Series, name, source) -> pd.DatetimeIndex:
    missing = column.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"Timestamp column {name!r} of {source} is empty in row {row}. "
            f"Every row needs a timestamp: fill it in or drop the row."
        )
    parsed = _to_datetime(column, format="ISO8601")
    if parsed.isna().any():
        with warnings.catch_warnings():
            # pandas warns when it cannot infer one format for all rows, and
            # the rows that it then fails to parse are reported below.
            warnings.simplefilter("ignore", UserWarning)
            parsed = _to_datetime(column)
    failed = parsed.isna().to_numpy()
    if failed.any():
        row = int(np.flatnonzero(failed)[0])
        raise ValueError(
            f"Timestamp column {name!r} of {source} has the value "
            f"{_display(column.iloc[row])!r} in row {row}, which could not be "
            f"parsed as a date and time "
            f"({_count(int(failed.sum()), 'such row')} in all). Write "
            f"timestamps as 'YYYY-MM-DD HH:MM:SS' or as Unix seconds."
        )
    return pd.DatetimeIndex(parsed)


def _parse_timestamps(column: pd.Series, name, source) -> pd.DatetimeIndex:
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        missing = column.isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise ValueError(
                f"Timestamp column {name!r} of {source} is NaT in row {row}. "
                f"Every row needs a timestamp: fill it in or drop the row."
            )
        times = pd.DatetimeIndex(column)
    elif pd.api.types.is_bool_dtype(dtype):
        raise TypeError(
            f"Timestamp column {name!r} of {source} is boolean. Pass a column "
            f"of dates or Unix seconds as timestamp_column=..."
        )
    elif pd.api.types.is_numeric_dtype(dtype):
        if pd.api.types.is_complex_dtype(dtype):
            raise TypeError(
                f"Timestamp column {name!r} of {source} is complex. Pass a "
                f"column of dates or Unix seconds as timestamp_column=..."
            )
        times = _parse_numeric_timestamps(column, name, source)
    else:
        times = _parse_text_timestamps(column, name, source)
    return times.as_unit("ns")


def _parse_values(column: pd.Series, name, source) -> np.ndarray:
    dtype = column.dtype
    if pd.api.types.is_complex_dtype(dtype):
        imaginary = np.flatnonzero(column.to_numpy().imag != 0)
        row = int(imaginary[0]) if imaginary.size else 0
        raise TypeError(
            f"Value column {name!r} of {source} is complex ({dtype}), with "
            f"{_display(column.iloc[row])!r} in row {row}. The detectors need "
            f"real numbers, so pass the real part or the magnitude."
        )
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        values = _as_float(column)
    else:
        numeric = pd.to_numeric(column, errors="coerce")
        bad = numeric.isna().to_numpy() & column.notna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"Value column {name!r} of {source} has the non-numeric value "
                f"{_display(column.iloc[row])!r} in row {row} "
                f"({_count(int(bad.sum()), 'such row')} in all). Correct or "
                f"remove these entries, and leave a missing value empty."
            )
        values = _as_float(numeric)

    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        row = int(infinite[0])
        raise ValueError(
            f"Value column {name!r} of {source} has the infinite value "
            f"{values[row]} in row {row}. Replace it by a finite number, or "
            f"leave it empty to have it filled."
        )
    if np.isnan(values).all():
        raise ValueError(
            f"Value column {name!r} of {source} contains no values: all "
            f"{values.size} rows are missing. Check that value_column names "
            f"the column of measurements."
        )
    return values


def _parse_labels(column: pd.Series, name, source) -> np.ndarray:
    numeric = column
    if not (
        pd.api.types.is_numeric_dtype(column.dtype)
        or pd.api.types.is_bool_dtype(column.dtype)
    ):
        numeric = pd.to_numeric(column, errors="coerce")
    labels = _as_float(numeric)
    bad = np.flatnonzero((labels != 0) & (labels != 1))
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"Label column {name!r} of {source} has the value "
            f"{_display(column.iloc[row])!r} in row {row}, but labels must be "
            f"0 for normal or 1 for anomalous points "
            f"({_count(bad.size, 'such row')} in all). Correct the labels, or "
            f"pass label_column=... to choose another column."
        )
    return labels.astype(np.int64)


# --------------------------------------------------------------------------
# Timestamps and the grid
# --------------------------------------------------------------------------


def _check_order(times: pd.DatetimeIndex, name, source) -> None:
    """Raise if ``times`` has duplicates or is not increasing."""
    ns = times.asi8
    problems = []
    backward = np.flatnonzero(ns[1:] < ns[:-1])
    if backward.size:
        row = int(backward[0]) + 1
        problems.append(
            f"The timestamps are not increasing, because row {row} "
            f"({times[row]}) is earlier than row {row - 1} ({times[row - 1]}) "
            f"({_count(backward.size, 'such row')} in all)."
        )
    duplicated = times.duplicated(keep=False)
    if duplicated.any():
        repeated = times[duplicated].unique()
        rows = np.flatnonzero(duplicated)
        problems.append(
            f"Some timestamps occur more than once "
            f"({_count(len(repeated), 'repeated time')}): {_quote(repeated)} "
            f"in rows {_quote(rows)}."
        )
    if problems:
        raise ValueError(
            f"Timestamp column {name!r} of {source} is invalid. "
            f"{' '.join(problems)} Each time must occur once, in increasing "
            f"order. Sort the rows by time and drop or aggregate duplicate "
            f"times (for example with frame.groupby({name!r}).mean()), then "
            f"pass the DataFrame to regularize_series."
        )


def _parse_freq(freq):
    """Return ``freq`` as a pandas offset, or raise naming it."""
    try:
        if isinstance(freq, (str, pd.DateOffset)):
            offset = to_offset(freq)
        else:
            offset = to_offset(pd.Timedelta(freq))
    except (ValueError, TypeError):
        raise ValueError(
            f"freq={freq!r} is not a valid frequency. Pass a pandas "
            f"offset alias such as '5min' or 'MS', or a Timedelta."
        ) from None
    if offset.n <= 0:
        raise ValueError(
            f"freq={freq!r} is not a positive step. Pass a positive frequency "
            f"such as '5min'."
        )
    return offset


def _calendar_offsets(times: pd.DatetimeIndex, median_days: float):
    """Return the calendar offsets that a spacing of ``median_days`` suggests."""
    month = times[0].month
    if 28 <= median_days <= 31:
        return [pd.offsets.MonthBegin(), pd.offsets.MonthEnd()]
    if 89 <= median_days <= 92:
        return [
            pd.offsets.QuarterBegin(startingMonth=month),
            pd.offsets.QuarterEnd(startingMonth=month),
        ]
    if 365 <= median_days <= 366:
        return [pd.offsets.YearBegin(month=month), pd.offsets.YearEnd(month=month)]
    return []


def _infer_step(times: pd.DatetimeIndex):
    """Infer the sampling step of increasing ``times`` as a pandas offset.

    ``pd.infer_freq`` recognizes gap-free series, including calendar steps.
    A series with gaps gets the (lower) median spacing, except that a median near a
    month, quarter or year is taken as that calendar step when every
    timestamp lies on it.
    """
    if len(times) >= 3:
        inferred = pd.infer_freq(times)
        if inferred is not None:
            return to_offset(inferred)

    # The lower median is an observed spacing, and gaps only make spacings
    # longer, so it favors the shorter of two middle spacings.
    spacings = np.sort(np.diff(times.asi8))
    median = int(spacings[(spacings.size - 1) // 2])
    day = pd.Timedelta(days=1).value
    for offset in _calendar_offsets(times, median / day):
        grid = pd.date_range(times[0], times[-1], freq=offset)
        if (grid.get_indexer(times) >= 0).all():
            return offset
    if median % day == 0:
        # A calendar day keeps the local time of day across daylight saving
        # changes, where a fixed 24 hours would drift by an hour.
        return pd.offsets.Day(median // day)
    return to_offset(pd.Timedelta(median, unit="ns"))


def _grid_positions(times, step, off_grid, name, source):
    """Place ``times`` on the grid that starts at ``times[0]``.

    Returns the grid and the position of each timestamp in it.
    """
    end = times[-1] if off_grid == "raise" else times[-1] + step
    grid = pd.date_range(times[0], end, freq=step)
    if len(grid) == 0 or grid[0] != times[0]:
        raise ValueError(
            f"The first timestamp of {source}, {times[0]}, is not on the "
            f"frequency {step.freqstr!r}. Pass a frequency that starts there, "
            f"or leave freq=None to infer it."
        )

    if off_grid == "raise":
        positions = grid.get_indexer(times)
        off = np.flatnonzero(positions < 0)
        if off.size:
            row = int(off[0])
            raise ValueError(
                f"Timestamp column {name!r} of {source} has "
                f"{_count(off.size, 'timestamp')} off the grid of step "
                f"{step.freqstr!r} that starts at {times[0]}, the first in row "
                f"{row} ({times[row]}). Pass the step as freq=..., or pass "
                f"off_grid='nearest' to move each timestamp to the nearest "
                f"grid point."
            )
        return grid, positions

    positions = grid.get_indexer(times, method="nearest")
    collided = np.flatnonzero(positions[1:] == positions[:-1])
    if collided.size:
        row = int(collided[0]) + 1
        raise ValueError(
            f"Timestamp column {name!r} of {source} has rows {row - 1} "
            f"({times[row - 1]}) and {row} ({times[row]}) on the same nearest "
            f"grid point {grid[positions[row]]} of step {step.freqstr!r} "
            f"({_count(collided.size, 'such row')} in all). Pass a smaller step as "
            f"freq=..., or aggregate these rows first."
        )
    return grid[: positions[-1] + 1], positions


def _fill_missing(values, grid, missing, fill, source):
    if not missing.any():
        return values
    if fill == "none":
        first = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{_capitalize(source)} has {_count(int(missing.sum()), 'missing point')} "
            f"on the regular grid (missing steps or empty values), the first "
            f"at {grid[first]}. The detectors need a value at every step, so "
            f"pass fill='linear', 'ffill' or 'zero'."
        )
    filled = values.copy()
    if fill == "linear":
        # Interpolate in time rather than in position, which matters for
        # calendar steps of unequal length. np.interp repeats the first and
        # last known values outside their range.
        elapsed = (grid.asi8 - grid.asi8[0]).astype(np.float64)
        known = ~missing
        filled[missing] = np.interp(elapsed[missing], elapsed[known], values[known])
    elif fill == "ffill":
        filled = pd.Series(values).ffill().bfill().to_numpy()
    else:
        filled[missing] = 0.0
    return filled


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def _regularize(
    frame, value_column, timestamp_column, label_column, freq, fill, off_grid, source
):
    if fill not in _FILLS:
        raise ValueError(
            f"fill must be one of {list(_FILLS)}, got {fill!r}. Pass "
            f"fill='linear' to interpolate missing points in time."
        )
    if off_grid not in _OFF_GRID:
        raise ValueError(
            f"off_grid must be one of {list(_OFF_GRID)}, got {off_grid!r}."
        )
    step = None if freq is None else _parse_freq(freq)

    timestamp_column, value_column, label_column = _find_columns(
        frame, timestamp_column, value_column, label_column, source
    )
    if len(frame) < 2:
        raise ValueError(
            f"{_capitalize(source)} has {_count(len(frame), 'row')}, but a series "
            f"needs at least 2 points to have a sampling step."
        )
    times = _parse_timestamps(frame[timestamp_column], timestamp_column, source)
    _check_order(times, timestamp_column, source)
    values = _parse_values(frame[value_column], value_column, source)
    labels = None
    if label_column is not None:
        labels = _parse_labels(frame[label_column], label_column, source)

    if step is None:
        step = _infer_step(times)
    grid, positions = _grid_positions(times, step, off_grid, timestamp_column, source)

    # Rows go to their grid points, and every other point starts as missing.
    gridded = np.full(len(grid), np.nan)
    gridded[positions] = values
    missing = np.isnan(gridded)
    result = pd.DataFrame(
        {
            "value": _fill_missing(gridded, grid, missing, fill, source),
            "is_filled": missing,
        },
        index=grid,
    )
    if labels is not None:
        gridded_labels = np.zeros(len(grid), dtype=np.int64)
        gridded_labels[positions] = labels
        result["label"] = gridded_labels
    result.index.name = "timestamp"
    return result


def regularize_series(
    frame: pd.DataFrame,
    value_column=None,
    timestamp_column=None,
    label_column=None,
    freq=None,
    fill: Fill = "linear",
    off_grid: OffGrid = "raise",
) -> pd.DataFrame:
    """Put the rows of a DataFrame on a regular time grid.

    This is :func:`read_series` for a DataFrame already in memory, with the
    same rules. The DataFrame is not modified.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per observation, with a timestamp column, a value column and
        optionally a label column. A timestamp column of dtype datetime64
        (with or without a time zone) is used as it is.
    value_column : str, default=None
        Name of the value column, or None to detect it.
    timestamp_column : str, default=None
        Name of the timestamp column, or None to detect it.
    label_column : str, default=None
        Name of the label column, or None to detect it.
    freq : str, pandas.DateOffset or pandas.Timedelta, default=None
        Sampling step, or None to infer it.
    fill : {"linear", "ffill", "zero", "none"}, default="linear"
        How missing points are filled.
    off_grid : {"raise", "nearest"}, default="raise"
        What happens to timestamps between grid points.

    Returns
    -------
    pandas.DataFrame
        The regular series, as described in :func:`read_series`.

    Raises
    ------
    ValueError
        For the invalid inputs listed in :func:`read_series`.
    TypeError
        If the value or timestamp column has an unusable dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_srcnn.io import regularize_series
    >>> frame = pd.DataFrame({"time": [0, 60, 180], "value": [1.0, 2.0, 4.0]})
    >>> regularize_series(frame)
                         value  is_filled
    timestamp
    1970-01-01 00:00:00    1.0      False
    1970-01-01 00:01:00    2.0      False
    1970-01-01 00:02:00    3.0       True
    1970-01-01 00:03:00    4.0      False
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"frame must be a pandas DataFrame, got {type(frame).__name__}. "
            f"To read a CSV file, use read_series(path)."
        )
    return _regularize(
        frame,
        value_column,
        timestamp_column,
        label_column,
        freq,
        fill,
        off_grid,
        "the DataFrame",
    )


def read_series(
    path,
    value_column=None,
    timestamp_column=None,
    label_column=None,
    freq=None,
    fill: Fill = "linear",
    off_grid: OffGrid = "raise",
    **read_csv_kwargs,
) -> pd.DataFrame:
    """Read a time series from a CSV file onto a regular time grid.

    The file needs a timestamp column and a value column, and may have a
    0/1 label column. The rows are placed on a grid of one step from the
    first to the last timestamp, and the grid points without a row, or
    whose row has no value, are filled.

    Parameters
    ----------
    path : str, path-like or file-like
        The CSV file, read by :func:`pandas.read_csv`, which also opens
        compressed files such as ``.csv.gz``.
    value_column : str, default=None
        Name of the value column. None takes the column named ``value`` (any
        case), else the only column besides the timestamp and label columns,
        else the only numeric one, and raises if that is ambiguous.
    timestamp_column : str, default=None
        Name of the timestamp column. None takes the column named
        ``timestamp``, ``time``, ``date`` or ``datetime`` (any case).
    label_column : str, default=None
        Name of the label column. None takes the column named ``label``,
        ``is_anomaly`` or ``anomaly`` (any case), if there is one.
    freq : str, pandas.DateOffset or pandas.Timedelta, default=None
        Sampling step, as a pandas offset alias (``"5min"``, ``"h"``,
        ``"MS"``), an offset or a Timedelta. None infers the step. A
        gap-free series gets :func:`pandas.infer_freq`, and a series with
        gaps the median spacing of its timestamps (the lower one of the two
        middle spacings when their number is even). A median spacing of
        about a month, quarter or year becomes that calendar step when every
        timestamp lies on it, and a whole number of days becomes calendar
        days.
    fill : {"linear", "ffill", "zero", "none"}, default="linear"
        How missing points (steps without a row and rows without a value)
        are filled. ``"linear"`` interpolates linearly in time, and missing
        points before the first or after the last value take that value.
        ``"ffill"`` repeats the previous value, and missing points before
        the first value take the first value. ``"zero"`` sets every missing
        point to 0. ``"none"`` fills nothing and raises if a point is
        missing.
    off_grid : {"raise", "nearest"}, default="raise"
        What happens to a timestamp that is not a whole number of steps
        after the first. ``"raise"`` raises a ValueError naming its row, and
        ``"nearest"`` moves it to the nearest grid point (the later one on a
        tie). Two rows moved to the same grid point raise a ValueError. No
        row is dropped.
    **read_csv_kwargs
        Further arguments for :func:`pandas.read_csv`, such as ``sep=";"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by a regular DatetimeIndex named ``timestamp`` whose
        ``freq`` is the step, with the columns

        - ``value`` (float64), the values, filled where missing.
        - ``is_filled`` (bool), True for the points that were filled.
        - ``label`` (int64, only if the file has a label column), the 0/1
          labels, with 0 at the inserted points.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a column is missing or ambiguous, a value is not a number or is
        infinite, or all values are missing. Also if a timestamp is missing
        or cannot be parsed, timestamps repeat or decrease, or a timestamp
        is off the grid. Also if there are fewer than 2 rows, a label is not
        0/1, or ``fill="none"`` meets a missing point. Each message names
        the row or column and the fix.
    TypeError
        If the value or timestamp column is complex or the timestamp column
        is boolean.

    Notes
    -----
    Rows are numbered from 0 in the messages, not counting the header line,
    as in ``DataFrame.iloc``.

    Numeric timestamps are Unix seconds (UTC), rounded to the microsecond,
    and give a naive index. Text timestamps are parsed as ISO 8601, or else
    in the format that pandas infers from the first one. Text with a UTC
    offset stays timezone-aware. With one offset throughout, the index has
    that fixed offset. With several, as across a daylight saving change,
    the index is converted to UTC.

    Duplicate or decreasing timestamps raise rather than being sorted or
    merged, because sorting or merging would hide a problem in the data,
    such as two series mixed in one file or a clock change. NAB's
    ``ec2_request_latency_system_failure.csv``, for example, repeats
    2014-03-09 03:00:00 twelve times, on the day that daylight saving time
    started in the USA. Sort or aggregate the rows with pandas and pass
    the DataFrame to :func:`regularize_series`.

    Examples
    --------
    >>> from importlib.resources import files
    >>> from sktime_srcnn.io import read_series
    >>> path = files("sktime_srcnn.datasets") / "data" / "kpi_301c70d8_test.csv.gz"
    >>> series = read_series(path)
    >>> series.index.freq
    <5 * Minutes>
    >>> series.columns.tolist()
    ['value', 'is_filled', 'label']
    """
    if isinstance(path, (str, os.PathLike)) and not os.path.exists(path):
        raise FileNotFoundError(
            f"File {os.fspath(path)!r} not found (working directory "
            f"{os.getcwd()!r}). Check the path."
        )
    source = (
        f"{os.fspath(path)!r}" if isinstance(path, (str, os.PathLike)) else ("the file")
    )
    try:
        frame = pd.read_csv(path, **read_csv_kwargs)
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"{_capitalize(source)} is empty. Pass a CSV file with a header "
            f"line and at least 2 rows."
        ) from None
    except (EOFError, OSError, UnicodeDecodeError, lzma.LZMAError, zlib.error) as error:
        # Truncated or corrupt compressed files and undecodable text.
        raise ValueError(
            f"{_capitalize(source)} could not be read: {error}. Check that the "
            f"file is a complete CSV file (or .gz, .bz2, .xz, .zip archive of "
            f"one) in UTF-8, or pass encoding=... for another encoding."
        ) from None
    return _regularize(
        frame,
        value_column,
        timestamp_column,
        label_column,
        freq,
        fill,
        off_grid,
        source,
    )


def load_nab_labels(windows_json, key: str, index) -> np.ndarray:
    """Mark the points of a series that fall in its NAB anomaly windows.

    Parameters
    ----------
    windows_json : str, path-like or dict
        NAB's ``combined_windows.json`` (or a dict loaded from it), which
        maps each series, by its path relative to NAB's ``data`` folder, to
        a list of ``[start, end]`` windows. A file of single timestamps such
        as ``combined_labels.json`` works too: each timestamp is the window
        ``[t, t]``.
    key : str
        The series' key, such as ``"realKnownCause/nyc_taxi.csv"``. A file
        name such as ``"nyc_taxi.csv"`` is accepted when exactly one key ends
        with it.
    index : pandas.DatetimeIndex or array-like of datetime
        The timestamps of the series, in increasing order, for example the
        index returned by :func:`read_series`. NAB's timestamps carry no time
        zone, so the index must not have one either.

    Returns
    -------
    ndarray of int64 of shape (len(index),)
        1 for points inside any window, both ends included, else 0.

    Raises
    ------
    ValueError
        If the key is unknown or ambiguous, a window cannot be parsed or
        ends before it starts, or ``index`` is not increasing or has a time
        zone.
    FileNotFoundError
        If ``windows_json`` is a path that does not exist.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_srcnn.io import load_nab_labels
    >>> windows = {"demo/a.csv": [["2020-01-01 00:10", "2020-01-01 00:20"]]}
    >>> index = pd.date_range("2020-01-01", periods=6, freq="5min")
    >>> load_nab_labels(windows, "a.csv", index)
    array([0, 0, 1, 1, 1, 0])
    """
    if isinstance(windows_json, Mapping):
        windows_by_key = windows_json
        source = "the windows dict"
    else:
        if not os.path.exists(windows_json):
            raise FileNotFoundError(
                f"File {os.fspath(windows_json)!r} not found (working "
                f"directory {os.getcwd()!r}). Pass the path of NAB's "
                f"labels/combined_windows.json."
            )
        with open(windows_json, encoding="utf-8") as file:
            windows_by_key = json.load(file)
        source = repr(os.fspath(windows_json))

    if key not in windows_by_key:
        matches = [name for name in windows_by_key if name.endswith("/" + key)]
        if len(matches) != 1:
            problem = "matches several keys" if matches else "is not a key"
            raise ValueError(
                f"{key!r} {problem} of {source}. Pass one of the keys "
                f"{_quote(repr(name) for name in matches or windows_by_key)}."
            )
        key = matches[0]

    index = pd.DatetimeIndex(index)
    if index.tz is not None:
        raise ValueError(
            f"index has the time zone {index.tz}, but NAB timestamps have "
            f"none. Pass index.tz_localize(None)."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            "index must be increasing to be labelled. Sort the series by time first."
        )

    windows = [
        (entry, entry) if isinstance(entry, str) else tuple(entry)
        for entry in windows_by_key[key]
    ]
    if not windows:
        return np.zeros(len(index), dtype=np.int64)
    if any(len(window) != 2 for window in windows):
        raise ValueError(
            f"The windows of {key!r} in {source} must be [start, end] pairs "
            f"or single timestamps, got {windows_by_key[key]!r}."
        )
    try:
        starts = pd.DatetimeIndex([window[0] for window in windows])
        ends = pd.DatetimeIndex([window[1] for window in windows])
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"A window of {key!r} in {source} could not be parsed as dates ({error})."
        ) from None
    reversed_windows = np.flatnonzero(ends < starts)
    if reversed_windows.size:
        window = windows[int(reversed_windows[0])]
        raise ValueError(
            f"The window {list(window)} of {key!r} in {source} ends before it "
            f"starts. Swap its start and end."
        )

    # Count +1 at the first point of each window and -1 after its last, so
    # that the running sum is positive inside any window.
    marks = np.zeros(len(index) + 1, dtype=np.int64)
    np.add.at(marks, index.searchsorted(starts, side="left"), 1)
    np.add.at(marks, index.searchsorted(ends, side="right"), -1)
    return (np.cumsum(marks[:-1]) > 0).astype(np.int64)
