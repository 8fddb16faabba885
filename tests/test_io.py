import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal

from sktime_srcnn.datasets import load_kpi_example
from sktime_srcnn.io import load_nab_labels, read_series, regularize_series

DATA = Path(__file__).parent / "data"
KPI_TEST = DATA / "kpi" / "54350a12-7a9d-3ca8-b81f-f886b9d156fd.csv.gz"
KPI_TRAIN = DATA / "kpi" / "54350a12-7a9d-3ca8-b81f-f886b9d156fd.train.csv.gz"
NAB = DATA / "nab"


def _write(tmp_path, text, name="series.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _csv(tmp_path, frame, name="series.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _minutes(*offsets):
    start = pd.Timestamp("2021-01-01")
    return [str(start + pd.Timedelta(minutes=offset)) for offset in offsets]


# --------------------------------------------------------------------------
# Real files
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [KPI_TEST, KPI_TRAIN], ids=["test", "train"])
def test_kpi_grid_regular(path):
    raw = pd.read_csv(path)
    series = read_series(path)
    steps = np.diff(raw["timestamp"].to_numpy())
    assert series.index.freq == pd.Timedelta(seconds=300)
    assert (np.diff(series.index.asi8) == 300 * 10**9).all()
    assert (
        len(series) == (raw["timestamp"].iloc[-1] - raw["timestamp"].iloc[0]) // 300 + 1
    )
    assert series["is_filled"].sum() == (steps // 300 - 1).sum()
    assert series["is_filled"].sum() > 0


def test_kpi_rows_preserved():
    raw = pd.read_csv(KPI_TEST)
    series = read_series(KPI_TEST)
    times = pd.to_datetime(raw["timestamp"], unit="s")
    original = series.loc[times]
    assert_array_equal(original["value"].to_numpy(), raw["value"].to_numpy())
    assert_array_equal(original["label"].to_numpy(), raw["label"].to_numpy())
    assert not original["is_filled"].any()
    assert (series.loc[series["is_filled"], "label"] == 0).all()


def test_kpi_gap_linear():
    """Values inside a gap lie on the line between its two ends."""
    raw = pd.read_csv(KPI_TEST)
    series = read_series(KPI_TEST)
    gap = int(np.flatnonzero(np.diff(raw["timestamp"]) > 300)[0])
    before, after = raw.iloc[gap], raw.iloc[gap + 1]
    inside = series.loc[
        pd.Timestamp(before["timestamp"], unit="s") : pd.Timestamp(
            after["timestamp"], unit="s"
        ),
        "value",
    ]
    expected = np.linspace(before["value"], after["value"], len(inside))
    assert_allclose(inside.to_numpy(), expected)


def test_kpi_dtypes():
    series = read_series(KPI_TEST)
    assert series.columns.tolist() == ["value", "is_filled", "label"]
    assert series["value"].dtype == np.float64
    assert series["is_filled"].dtype == bool
    assert series["label"].dtype == np.int64
    assert series.index.name == "timestamp"
    assert series.index.tz is None


def test_nab_taxi():
    raw = pd.read_csv(NAB / "nyc_taxi.csv")
    series = read_series(NAB / "nyc_taxi.csv")
    assert series.columns.tolist() == ["value", "is_filled"]
    assert series.index.freq == pd.Timedelta(minutes=30)
    assert len(series) == len(raw)
    assert not series["is_filled"].any()
    assert_array_equal(series["value"].to_numpy(), raw["value"].to_numpy(float))
    assert series.index[0] == pd.Timestamp("2014-07-01 00:00:00")


def test_nab_duplicates_named():
    """The NAB ec2 latency file repeats 03:00 twelve times at a DST change."""
    with pytest.raises(ValueError, match=r"2014-03-09 03:00:00 in rows 556, 557"):
        read_series(NAB / "ec2_request_latency_system_failure.csv")


def test_kpi_example():
    series = load_kpi_example()
    assert series.shape == (8784, 3)
    assert not series["is_filled"].any()
    assert series["label"].mean() == pytest.approx(0.0235, abs=5e-5)


# --------------------------------------------------------------------------
# NAB labels
# --------------------------------------------------------------------------


def test_nab_labels_windows():
    index = read_series(NAB / "nyc_taxi.csv").index
    labels = load_nab_labels(NAB / "combined_windows.json", "nyc_taxi.csv", index)
    windows = json.loads((NAB / "combined_windows.json").read_text())
    expected = np.zeros(len(index), dtype=bool)
    for start, end in windows["realKnownCause/nyc_taxi.csv"]:
        expected |= (index >= pd.Timestamp(start)) & (index <= pd.Timestamp(end))
    assert labels.dtype == np.int64
    assert_array_equal(labels, expected.astype(int))
    assert labels[index.get_loc(pd.Timestamp("2014-10-30 15:30"))] == 1
    assert labels[index.get_loc(pd.Timestamp("2014-10-30 15:00"))] == 0


def test_nab_labels_full_key():
    index = read_series(NAB / "nyc_taxi.csv").index
    short = load_nab_labels(NAB / "combined_windows.json", "nyc_taxi.csv", index)
    full = load_nab_labels(
        str(NAB / "combined_windows.json"), "realKnownCause/nyc_taxi.csv", index
    )
    assert_array_equal(short, full)


def test_nab_labels_points():
    """combined_labels.json lists single timestamps."""
    index = read_series(NAB / "nyc_taxi.csv").index
    labels = load_nab_labels(NAB / "combined_labels.json", "nyc_taxi.csv", index)
    assert labels.sum() == 5
    assert labels[index.get_loc(pd.Timestamp("2014-11-01 19:00"))] == 1


def test_nab_labels_empty_windows():
    index = pd.date_range("2020-01-01", periods=4, freq="h")
    assert_array_equal(load_nab_labels({"a/b.csv": []}, "b.csv", index), [0] * 4)


def test_nab_labels_window_between_points():
    index = pd.date_range("2020-01-01", periods=4, freq="h")
    windows = {"a/b.csv": [["2020-01-01 00:10", "2020-01-01 00:50"]]}
    assert_array_equal(load_nab_labels(windows, "b.csv", index), [0] * 4)


def test_nab_labels_unknown_key():
    with pytest.raises(ValueError, match="'missing.csv' is not a key"):
        load_nab_labels(NAB / "combined_windows.json", "missing.csv", [])


def test_nab_labels_ambiguous_key():
    windows = {"a/x.csv": [], "b/x.csv": []}
    with pytest.raises(ValueError, match="matches several keys"):
        load_nab_labels(windows, "x.csv", [])


def test_nab_labels_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="combined_windows.json"):
        load_nab_labels(tmp_path / "combined_windows.json", "x.csv", [])


def test_nab_labels_tz_index():
    index = pd.date_range("2020-01-01", periods=3, freq="h", tz="UTC")
    with pytest.raises(ValueError, match="time zone UTC.*tz_localize"):
        load_nab_labels({"a/b.csv": []}, "b.csv", index)


def test_nab_labels_unsorted_index():
    index = pd.DatetimeIndex(["2020-01-02", "2020-01-01"])
    with pytest.raises(ValueError, match="must be increasing"):
        load_nab_labels({"a/b.csv": []}, "b.csv", index)


def test_nab_labels_reversed_window():
    windows = {"a/b.csv": [["2020-01-02", "2020-01-01"]]}
    with pytest.raises(ValueError, match="ends before it starts"):
        load_nab_labels(windows, "b.csv", pd.DatetimeIndex(["2020-01-01"]))


def test_nab_labels_bad_window():
    windows = {"a/b.csv": [["2020-01-01", "soon"]]}
    with pytest.raises(ValueError, match="could not be parsed"):
        load_nab_labels(windows, "b.csv", pd.DatetimeIndex(["2020-01-01"]))


# --------------------------------------------------------------------------
# Step inference
# --------------------------------------------------------------------------


def test_step_month_start_with_gap(tmp_path):
    """Month starts count as regular, and March is filled in time."""
    dates = ["2021-01-01", "2021-02-01", "2021-04-01", "2021-05-01"]
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": [1.0, 2.0, 61.0, 5]}))
    series = read_series(path)
    assert series.index.freqstr == "MS"
    assert series.index.tolist() == list(
        pd.date_range("2021-01-01", "2021-05-01", freq="MS")
    )
    assert series["is_filled"].tolist() == [False, False, True, False, False]
    # February has 28 days and March 31, so 1 March is 28/59 of the way.
    assert series["value"].iloc[2] == pytest.approx(2.0 + 59.0 * 28 / 59)


def test_step_month_start_no_gap(tmp_path):
    dates = pd.date_range("2020-01-01", periods=14, freq="MS").astype(str)
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": np.arange(14.0)}))
    series = read_series(path)
    assert series.index.freqstr == "MS"
    assert not series["is_filled"].any()


def test_step_month_end_with_gap(tmp_path):
    dates = ["2021-01-31", "2021-02-28", "2021-03-31", "2021-05-31", "2021-06-30"]
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": np.arange(5.0)}))
    series = read_series(path)
    assert series.index.freqstr == "ME"
    assert len(series) == 6
    assert series.index[3] == pd.Timestamp("2021-04-30")


def test_step_quarter_with_gap(tmp_path):
    dates = ["2020-02-01", "2020-05-01", "2020-11-01", "2021-02-01"]
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": np.arange(4.0)}))
    series = read_series(path)
    assert len(series) == 5
    assert series.index[2] == pd.Timestamp("2020-08-01")


def test_step_milliseconds_text(tmp_path):
    times = pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(50) * 678, "ms")
    times = times.delete([10, 11, 30])
    frame = pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M:%S.%f"), "value": 1.0})
    series = read_series(_csv(tmp_path, frame))
    assert series.index.freq == pd.Timedelta(milliseconds=678)
    assert len(series) == 50
    assert series["is_filled"].sum() == 3


def test_step_milliseconds_unix_float(tmp_path):
    """Float Unix seconds keep a 678 ms grid despite rounding."""
    seconds = 1.6e9 + np.arange(40) * 0.678
    frame = pd.DataFrame({"timestamp": np.delete(seconds, [5, 6]), "value": 2.0})
    series = read_series(_csv(tmp_path, frame))
    assert series.index.freq == pd.Timedelta(milliseconds=678)
    assert len(series) == 40
    assert series["is_filled"].sum() == 2


def test_step_ten_seconds(tmp_path):
    seconds = np.delete(1_600_000_000 + 10 * np.arange(30), [3, 4, 5, 20])
    frame = pd.DataFrame({"timestamp": seconds, "value": np.arange(26.0)})
    series = read_series(_csv(tmp_path, frame))
    assert series.index.freq == pd.Timedelta(seconds=10)
    assert len(series) == 30
    assert series["is_filled"].sum() == 4


def test_step_hourly(tmp_path):
    times = np.delete(pd.date_range("2021-06-01", periods=48, freq="h"), [7, 40])
    frame = pd.DataFrame({"datetime": times.astype(str), "value": 1.5})
    series = read_series(_csv(tmp_path, frame))
    assert series.index.freq == pd.Timedelta(hours=1)
    assert len(series) == 48
    assert series.index[7] == pd.Timestamp("2021-06-01 07:00")
    assert series["is_filled"].iloc[7]


def test_step_tz_strings_across_dst(tmp_path):
    """Hourly local times across a DST change stay aware, in UTC."""
    local = pd.date_range("2021-03-27 22:00", periods=8, freq="h", tz="Europe/Berlin")
    text = local.strftime("%Y-%m-%d %H:%M:%S%z").str.replace(
        r"(\d\d)$", r":\1", regex=True
    )
    path = _csv(tmp_path, pd.DataFrame({"timestamp": text, "value": np.arange(8.0)}))
    series = read_series(path)
    assert str(series.index.tz) == "UTC"
    assert series.index.freq == pd.Timedelta(hours=1)
    assert not series["is_filled"].any()
    assert (series.index == local.tz_convert("UTC")).all()


def test_step_tz_single_offset(tmp_path):
    text = [
        "2021-01-01 00:00:00+01:00",
        "2021-01-01 00:05:00+01:00",
        "2021-01-01 00:15:00+01:00",
    ]
    path = _csv(tmp_path, pd.DataFrame({"timestamp": text, "value": [1.0, 2, 3]}))
    series = read_series(path)
    assert series.index.tz is not None
    assert series.index[0].utcoffset() == pd.Timedelta(hours=1)
    assert len(series) == 4


def test_step_tz_frame_keeps_zone():
    times = pd.date_range("2021-10-30 22:00", periods=10, freq="h", tz="Europe/Berlin")
    frame = pd.DataFrame({"time": times.delete(4), "value": np.arange(9.0)})
    series = regularize_series(frame)
    assert str(series.index.tz) == "Europe/Berlin"
    assert len(series) == 10
    assert (series.index == times).all()


def test_step_tz_daily_gap_across_dst():
    """Daily local midnights with a gap across DST stay on midnight."""
    times = pd.date_range("2021-03-20", periods=15, freq="D", tz="Europe/Berlin")
    frame = pd.DataFrame({"time": times.delete([5, 9]), "value": np.arange(13.0)})
    series = regularize_series(frame)
    assert (series.index == times).all()
    assert series["is_filled"].sum() == 2


def test_step_freq_given(tmp_path):
    """A given step overrides the median spacing of 10 minutes."""
    frame = pd.DataFrame({"time": _minutes(0, 10, 20, 25, 30), "value": np.arange(5.0)})
    series = read_series(_csv(tmp_path, frame), freq="5min")
    assert series.index.freq == pd.Timedelta(minutes=5)
    assert len(series) == 7
    assert series["is_filled"].sum() == 2


def test_step_freq_timedelta(tmp_path):
    frame = pd.DataFrame({"time": _minutes(0, 10, 20, 25, 30), "value": np.arange(5.0)})
    series = read_series(_csv(tmp_path, frame), freq=pd.Timedelta(minutes=5))
    assert len(series) == 7


def test_step_freq_offset(tmp_path):
    dates = ["2021-01-01", "2021-03-01"]
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": [1.0, 3.0]}))
    series = read_series(path, freq=pd.offsets.MonthBegin())
    assert series.index.freqstr == "MS"
    assert len(series) == 3


def test_step_year_start_with_gap(tmp_path):
    dates = ["2000-01-01", "2001-01-01", "2003-01-01", "2004-01-01"]
    path = _csv(tmp_path, pd.DataFrame({"date": dates, "value": np.arange(4.0)}))
    series = read_series(path)
    assert len(series) == 5
    assert series.index[2] == pd.Timestamp("2002-01-01")


def test_step_two_points(tmp_path):
    frame = pd.DataFrame({"time": _minutes(0, 3), "value": [1.0, 2.0]})
    series = read_series(_csv(tmp_path, frame))
    assert len(series) == 2
    assert series.index.freq == pd.Timedelta(minutes=3)


def test_step_lower_median(tmp_path):
    """With spacings of 1 and 2 minutes the step is 1 minute."""
    frame = pd.DataFrame({"time": _minutes(0, 1, 3), "value": [1.0, 2.0, 4.0]})
    series = read_series(_csv(tmp_path, frame))
    assert series.index.freq == pd.Timedelta(minutes=1)
    assert_allclose(series["value"], [1.0, 2.0, 3.0, 4.0])


# --------------------------------------------------------------------------
# Off-grid timestamps
# --------------------------------------------------------------------------


def test_off_grid_raises(tmp_path):
    frame = pd.DataFrame({"time": [0, 60, 130, 180, 240], "value": np.arange(5.0)})
    with pytest.raises(ValueError, match=r"1 timestamp off the grid .* row 2"):
        read_series(_csv(tmp_path, frame))


def test_off_grid_nearest(tmp_path):
    frame = pd.DataFrame({"time": [0, 60, 130, 180, 240], "value": np.arange(5.0)})
    series = read_series(_csv(tmp_path, frame), off_grid="nearest")
    assert len(series) == 5
    assert series["value"].iloc[2] == 2.0
    assert not series["is_filled"].any()


def test_off_grid_nearest_tie_later(tmp_path):
    frame = pd.DataFrame({"time": [0, 60, 150, 300], "value": [0.0, 1.0, 2.0, 3.0]})
    series = read_series(_csv(tmp_path, frame), freq="60s", off_grid="nearest")
    assert series.loc[pd.Timestamp(180, unit="s"), "value"] == 2.0
    assert series["is_filled"].tolist() == [False, False, True, False, True, False]


def test_off_grid_nearest_last_point(tmp_path):
    """The last timestamp may move past the last grid point before it."""
    frame = pd.DataFrame({"time": [0, 60, 120, 170], "value": [0.0, 1.0, 2.0, 3.0]})
    series = read_series(_csv(tmp_path, frame), freq="60s", off_grid="nearest")
    assert series.index[-1] == pd.Timestamp(180, unit="s")
    assert series["value"].iloc[-1] == 3.0


def test_off_grid_nearest_collision(tmp_path):
    frame = pd.DataFrame({"time": [0, 60, 110, 130, 180], "value": np.arange(5.0)})
    with pytest.raises(ValueError, match=r"rows 2 .* and 3 .* same nearest grid point"):
        read_series(_csv(tmp_path, frame), freq="60s", off_grid="nearest")


def test_off_grid_first_not_on_freq(tmp_path):
    frame = pd.DataFrame({"date": ["2021-01-15", "2021-02-01"], "value": [1.0, 2.0]})
    with pytest.raises(
        ValueError, match="first timestamp .* not on the frequency 'MS'"
    ):
        read_series(_csv(tmp_path, frame), freq="MS")


def test_off_grid_invalid_option(tmp_path):
    frame = pd.DataFrame({"time": [0, 60], "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match="off_grid must be one of"):
        read_series(_csv(tmp_path, frame), off_grid="snap")


# --------------------------------------------------------------------------
# Filling
# --------------------------------------------------------------------------


_GAPPY = "time,value\n0,\n60,2\n120,3\n240,5\n300,\n"


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        ("linear", [2.0, 2.0, 3.0, 4.0, 5.0, 5.0]),
        ("ffill", [2.0, 2.0, 3.0, 3.0, 5.0, 5.0]),
        ("zero", [0.0, 2.0, 3.0, 0.0, 5.0, 0.0]),
    ],
)
def test_fill_modes(tmp_path, fill, expected):
    series = read_series(_write(tmp_path, _GAPPY), fill=fill)
    assert_allclose(series["value"], expected)
    assert series["is_filled"].tolist() == [True, False, False, True, False, True]


def test_fill_none_with_gap(tmp_path):
    with pytest.raises(ValueError, match=r"3 missing points .* fill='linear'"):
        read_series(_write(tmp_path, _GAPPY), fill="none")


def test_fill_none_without_gap(tmp_path):
    series = read_series(_write(tmp_path, "time,value\n0,1\n60,2\n"), fill="none")
    assert_allclose(series["value"], [1.0, 2.0])


def test_fill_invalid_option(tmp_path):
    with pytest.raises(ValueError, match=r"fill must be one of .* got 'mean'"):
        read_series(_write(tmp_path, _GAPPY), fill="mean")


def test_fill_labels_zero(tmp_path):
    path = _write(tmp_path, "timestamp,value,label\n0,1,1\n120,3,1\n180,4,0\n")
    series = read_series(path)
    assert series["label"].tolist() == [1, 0, 1, 0]
    assert series["is_filled"].tolist() == [False, True, False, False]


def test_fill_nan_row_keeps_label(tmp_path):
    path = _write(tmp_path, "timestamp,value,label\n0,1,0\n60,,1\n120,3,0\n")
    series = read_series(path)
    assert series["label"].tolist() == [0, 1, 0]
    assert series["is_filled"].tolist() == [False, True, False]
    assert series["value"].iloc[1] == 2.0


# --------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------


def test_columns_detected_any_case(tmp_path):
    path = _write(tmp_path, "Timestamp,Value,IS_ANOMALY\n0,1,0\n60,2,1\n")
    series = read_series(path)
    assert series.columns.tolist() == ["value", "is_filled", "label"]
    assert series["label"].tolist() == [0, 1]


def test_columns_single_other_numeric(tmp_path):
    path = _write(tmp_path, "time,cpu,host\n0,1.5,a\n60,2.5,a\n")
    assert_allclose(read_series(path)["value"], [1.5, 2.5])


def test_columns_explicit(tmp_path):
    path = _write(tmp_path, "when,a,b,flag\n0,1,10,0\n60,2,20,1\n")
    series = read_series(
        path, timestamp_column="when", value_column="b", label_column="flag"
    )
    assert_allclose(series["value"], [10.0, 20.0])
    assert series["label"].tolist() == [0, 1]


def test_columns_bool_labels(tmp_path):
    path = _write(tmp_path, "timestamp,value,anomaly\n0,1,False\n60,2,True\n")
    assert read_series(path)["label"].tolist() == [0, 1]


def test_columns_file_object():
    text = io.StringIO("timestamp,value\n0,1\n60,2\n180,4\n")
    assert_allclose(read_series(text)["value"], [1.0, 2.0, 3.0, 4.0])


def test_columns_read_csv_options(tmp_path):
    path = _write(tmp_path, "timestamp;value\n0;1\n60;2\n")
    assert_allclose(read_series(path, sep=";")["value"], [1.0, 2.0])


def test_columns_missing_given(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n")
    with pytest.raises(ValueError, match=r"Column 'cpu' \(passed as value_column\)"):
        read_series(path, value_column="cpu")


def test_columns_no_timestamp(tmp_path):
    path = _write(tmp_path, "when,value\n0,1\n60,2\n")
    with pytest.raises(
        ValueError, match="has no timestamp column among.*timestamp_column="
    ):
        read_series(path)


def test_columns_two_timestamps(tmp_path):
    path = _write(tmp_path, "date,time,value\n2021-01-01,00:00,1\n2021-01-01,00:05,2\n")
    with pytest.raises(
        ValueError, match=r"several timestamp columns \['date', 'time'\]"
    ):
        read_series(path)


def test_columns_ambiguous_value(tmp_path):
    path = _write(tmp_path, "timestamp,a,b\n0,1,2\n60,3,4\n")
    with pytest.raises(ValueError, match=r"ambiguous.*value_column=.*\['a', 'b'\]"):
        read_series(path)


def test_columns_two_labels(tmp_path):
    path = _write(tmp_path, "timestamp,value,label,anomaly\n0,1,0,0\n60,2,0,0\n")
    with pytest.raises(ValueError, match="several label columns"):
        read_series(path)


def test_columns_same_twice(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n")
    with pytest.raises(ValueError, match="must differ"):
        read_series(path, value_column="timestamp")


# --------------------------------------------------------------------------
# Invalid contents
# --------------------------------------------------------------------------


def test_invalid_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.csv' not found"):
        read_series(tmp_path / "nothing.csv")


def test_invalid_empty_file(tmp_path):
    with pytest.raises(ValueError, match="is empty"):
        read_series(_write(tmp_path, ""))


def test_invalid_header_only(tmp_path):
    with pytest.raises(ValueError, match="has 0 rows, but .* at least 2"):
        read_series(_write(tmp_path, "timestamp,value\n"))


def test_invalid_one_row(tmp_path):
    with pytest.raises(ValueError, match="has 1 row, but .* at least 2"):
        read_series(_write(tmp_path, "timestamp,value\n0,1\n"))


def test_invalid_text_value(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n120,3\n180,abc\n")
    with pytest.raises(ValueError, match="non-numeric value 'abc' in row 3"):
        read_series(path)


def test_invalid_complex_text_value(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,(1+2j)\n")
    with pytest.raises(ValueError, match=r"non-numeric value '\(1\+2j\)' in row 1"):
        read_series(path)


def test_invalid_complex_dtype():
    frame = pd.DataFrame({"time": [0, 60], "value": np.array([1 + 2j, 3j])})
    with pytest.raises(TypeError, match="'value' of the DataFrame is complex"):
        regularize_series(frame)


def test_invalid_infinite_value(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n120,inf\n")
    with pytest.raises(ValueError, match="infinite value inf in row 2"):
        read_series(path)


def test_invalid_all_nan(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,\n60,\n120,\n")
    with pytest.raises(ValueError, match="contains no values: all 3 rows"):
        read_series(path)


def test_invalid_unparseable_time(tmp_path):
    times = _minutes(0, 1, 2, 3) + ["yesterday"] + _minutes(5)
    path = _csv(tmp_path, pd.DataFrame({"time": times, "value": 1.0}))
    with pytest.raises(ValueError, match="'yesterday' in row 4, which could not"):
        read_series(path)


def test_invalid_empty_time_text(tmp_path):
    """Row 10 of 20 has no time."""
    times = _minutes(*range(20))
    times[10] = ""
    path = _csv(tmp_path, pd.DataFrame({"time": times, "value": 1.0}))
    with pytest.raises(ValueError, match="is empty in row 10"):
        read_series(path)


def test_invalid_empty_time_unix(tmp_path):
    lines = [f"{60 * i},1" if i != 10 else ",1" for i in range(20)]
    path = _write(tmp_path, "timestamp,value\n" + "\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="missing or infinite value nan in row 10"):
        read_series(path)


def test_invalid_nat_time():
    times = pd.Series(pd.date_range("2021-01-01", periods=4, freq="h"))
    times[2] = pd.NaT
    with pytest.raises(ValueError, match="is NaT in row 2"):
        regularize_series(pd.DataFrame({"time": times, "value": 1.0}))


def test_invalid_unix_milliseconds(tmp_path):
    frame = pd.DataFrame({"timestamp": [1.6e12, 1.6e12 + 1000], "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match="too large .* milliseconds, divide"):
        read_series(_csv(tmp_path, frame))


def test_invalid_bool_time():
    frame = pd.DataFrame({"time": [True, False], "value": [1.0, 2.0]})
    with pytest.raises(TypeError, match="'time' of the DataFrame is boolean"):
        regularize_series(frame)


def test_invalid_duplicates(tmp_path):
    """20 rows in which one second occurs 6 times."""
    seconds = list(range(0, 140, 10)) + [140] * 6
    path = _csv(tmp_path, pd.DataFrame({"timestamp": seconds, "value": 1.0}))
    with pytest.raises(ValueError) as error:
        read_series(path)
    message = str(error.value)
    assert "(1 repeated time): 1970-01-01 00:02:20" in message
    assert "in rows 14, 15, 16, 17, 18, ... (6 in all)" in message
    assert "groupby('timestamp')" in message


def test_invalid_not_increasing_and_duplicates(tmp_path):
    """Both problems of 2, 7, 1, 3, 3, 3, 6 are reported together."""
    path = _csv(
        tmp_path, pd.DataFrame({"timestamp": [2, 7, 1, 3, 3, 3, 6], "value": 1.0})
    )
    with pytest.raises(ValueError) as error:
        read_series(path)
    message = str(error.value)
    assert "row 2 (1970-01-01 00:00:01) is earlier than row 1" in message
    assert "(1 such row in all)" in message
    assert "(1 repeated time): 1970-01-01 00:00:03 in rows 3, 4, 5" in message
    assert "Sort the rows by time" in message


def test_invalid_not_increasing(tmp_path):
    path = _csv(tmp_path, pd.DataFrame({"timestamp": [0, 60, 30], "value": 1.0}))
    with pytest.raises(
        ValueError, match=r"not increasing, because row 2 .*\(1 such row in all\)"
    ):
        read_series(path)


def test_invalid_label(tmp_path):
    path = _write(tmp_path, "timestamp,value,label\n0,1,0\n60,2,2\n")
    with pytest.raises(ValueError, match="'label' .* value 2 in row 1, but labels"):
        read_series(path)


def test_invalid_missing_label(tmp_path):
    path = _write(tmp_path, "timestamp,value,label\n0,1,0\n60,2,\n")
    with pytest.raises(ValueError, match="value nan in row 1, but labels"):
        read_series(path)


def test_invalid_freq(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n")
    with pytest.raises(ValueError, match="freq='5 minutes' is not a valid frequency"):
        read_series(path, freq="5 minutes")


def test_invalid_negative_freq(tmp_path):
    path = _write(tmp_path, "timestamp,value\n0,1\n60,2\n")
    with pytest.raises(ValueError, match="not a positive step"):
        read_series(path, freq=pd.Timedelta(minutes=-1))


def test_invalid_frame_type():
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got str"):
        regularize_series("series.csv")


# --------------------------------------------------------------------------
# DataFrames and dtypes
# --------------------------------------------------------------------------


def test_frame_nullable_ints():
    frame = pd.DataFrame(
        {
            "timestamp": pd.array([0, 60, 180, 240], dtype="Int64"),
            "value": pd.array([1, None, 3, 4], dtype="Int64"),
            "label": pd.array([0, 1, 0, 0], dtype="Int64"),
        }
    )
    series = regularize_series(frame)
    assert_allclose(series["value"], [1.0, 5 / 3, 7 / 3, 3.0, 4.0])
    assert series["is_filled"].tolist() == [False, True, True, False, False]
    assert series["label"].tolist() == [0, 1, 0, 0, 0]
    assert series["label"].dtype == np.int64


def test_read_nullable_backend(tmp_path):
    path = _write(tmp_path, "timestamp,value,label\n0,1,0\n60,,1\n120,3,0\n")
    series = read_series(path, dtype_backend="numpy_nullable")
    assert series["value"].dtype == np.float64
    assert_allclose(series["value"], [1.0, 2.0, 3.0])


def test_frame_not_mutated():
    frame = pd.DataFrame(
        {"time": ["2021-01-01 00:00", "2021-01-01 00:02"], "value": [1, None]}
    )
    frame.loc[2] = ["2021-01-01 00:03", 4]
    before = frame.copy()
    regularize_series(frame)
    assert_frame_equal(frame, before)


def test_frame_datetime_column():
    times = pd.date_range("2021-01-01", periods=5, freq="15min").delete(2)
    series = regularize_series(pd.DataFrame({"time": times, "value": [1.0, 2, 4, 5]}))
    assert series.index.freq == pd.Timedelta(minutes=15)
    assert_allclose(series["value"], [1.0, 2.0, 3.0, 4.0, 5.0])
