"""Edge-case inputs at every public entry point: a correct result or a clear error.

Each section covers one kind of input that anomaly detectors often mishandle:
unsorted, repeated or missing timestamps, missing values, short and constant
series, anomalies at the edges, sampling steps, dtypes, window parameters at
their limits, non-numeric values and time-zone-aware indexes. The last
sections check that no entry point writes to its input and that scores stay
finite and scale-free on any finite input.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone

from sktime_srcnn import (
    SRAnnotator,
    SRCNNAnnotator,
    SRSeriesTransformer,
    SRTransformer,
)
from sktime_srcnn._detector_base import MIN_POINTS
from sktime_srcnn.cli import main
from sktime_srcnn.injection import inject_anomalies
from sktime_srcnn.io import read_series, regularize_series
from sktime_srcnn.spectral_residual import (
    extend_series,
    last_point_score,
    saliency_map,
    scores_from_saliency,
    sliding_spectral_residual,
    spectral_residual,
)

# A short window and a small training budget keep the module fast.
FAST_CNN = dict(window=64, max_points=100000)

#: Timestamps in seconds that repeat (3) and go back in time (7 to 1).
UNSORTED_SECONDS = [2, 7, 1, 3, 3, 3, 6, *range(8, 41)]
#: Irregular second-level times of 20 rows, 6 of them at the same second.
REPEATED_SECONDS = [0, 3, 4, 9, 15, *[17] * 6, 22, 30, 31, 38, 40, 47, 55, 56, 60]
SHORT = [10, 11, 10, 12, 11, 10, 11, 12]


def sr_detector(**params):
    return SRAnnotator(**{"window": 64, "random_state": 0, **params})


def cnn_detector(**params):
    return SRCNNAnnotator(**{**FAST_CNN, "random_state": 0, **params})


DETECTORS = [sr_detector, cnn_detector]
DETECTOR_IDS = ["sr", "srcnn"]


@pytest.fixture(scope="module", params=DETECTORS, ids=DETECTOR_IDS)
def fitted_on_sine(request):
    """Each detector fitted once on a clean noisy sine, for predict tests."""
    return request.param().fit(noisy_sine())


@pytest.fixture(scope="module", params=DETECTORS, ids=DETECTOR_IDS)
def fitted_on_pattern(request):
    """Each detector fitted once on the repeated 8-point SHORT pattern."""
    return request.param().fit(pattern_series(320))


def noisy_sine(n=300, seed=0, spike=None):
    rng = np.random.default_rng(seed)
    values = np.sin(np.arange(n) / 6) + rng.normal(0, 0.05, n)
    if spike is not None:
        values[spike] += 4
    return values


def write_csv(tmp_path, frame, name="series.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def run_cli(capsys, *args):
    """Run the detect command; return the exit status, stdout and stderr."""
    status = main(["detect", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def assert_cli_error(capsys, args, message):
    status, out, err = run_cli(capsys, *args)
    assert status == 2
    assert out == ""
    assert err.startswith("sktime-srcnn: error: ")
    assert message in err
    assert "Traceback" not in err


def minute_frame(values, start="2024-01-01"):
    times = pd.date_range(start, periods=len(values), freq="min")
    return pd.DataFrame(
        {"timestamp": times.strftime("%Y-%m-%d %H:%M:%S"), "value": values}
    )


# --------------------------------------------------------------------------
# Timestamps not strictly increasing
# --------------------------------------------------------------------------

UNSORTED_READER_MESSAGE = (
    "row 2 (1970-01-01 00:00:01) is earlier than row 1 (1970-01-01 00:00:07)"
)
UNSORTED_INDEX_MESSAGE = (
    "must be strictly increasing, but position 2 (1970-01-01 00:00:01) is "
    "earlier than position 1 (1970-01-01 00:00:07). Sort the series with "
    "X.sort_index()"
)


def unsorted_series():
    index = pd.to_datetime(UNSORTED_SECONDS, unit="s")
    return pd.Series(np.arange(10.0, 50.0), index=index)


def test_unsorted_times_reader(tmp_path):
    frame = pd.DataFrame({"timestamp": UNSORTED_SECONDS, "value": range(10, 50)})
    path = write_csv(tmp_path, frame)
    with pytest.raises(ValueError) as error:
        read_series(path)
    message = str(error.value)
    assert UNSORTED_READER_MESSAGE in message
    assert "1970-01-01 00:00:03 in rows 3, 4, 5" in message
    assert "Sort the rows by time" in message


def test_unsorted_times_cli(tmp_path, capsys):
    frame = pd.DataFrame({"timestamp": UNSORTED_SECONDS, "value": range(10, 50)})
    path = write_csv(tmp_path, frame)
    assert_cli_error(capsys, [path, "--method", "sr"], UNSORTED_READER_MESSAGE)


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_unsorted_index_detector_fit(make):
    with pytest.raises(ValueError, match=re.escape(UNSORTED_INDEX_MESSAGE)):
        make().fit(unsorted_series())


@pytest.mark.parametrize(
    "method", ["predict", "transform_scores", "predict_scores", "transform"]
)
def test_unsorted_index_detector_methods(fitted_on_sine, method):
    with pytest.raises(ValueError, match=re.escape(UNSORTED_INDEX_MESSAGE)):
        getattr(fitted_on_sine, method)(unsorted_series())


def test_unsorted_index_in_fit_list():
    series = [pd.Series(noisy_sine(40)), unsorted_series()]
    message = "The index of X[1] must be strictly increasing, but position 2"
    with pytest.raises(ValueError, match=re.escape(message)):
        sr_detector().fit(series)


def test_unsorted_index_series_transformer():
    with pytest.raises(ValueError, match=re.escape(UNSORTED_INDEX_MESSAGE)):
        SRSeriesTransformer().fit_transform(unsorted_series())


def test_repeated_and_missing_index_series_transformer():
    repeated = pd.Series(noisy_sine(40), index=[0, 1, 1, *range(2, 39)])
    message = "position 2 (1) is equal to position 1 (1)"
    with pytest.raises(ValueError, match=re.escape(message)):
        SRSeriesTransformer().fit_transform(repeated)

    index = pd.date_range("2024-01-01", periods=40, freq="min").to_series()
    index.iloc[10] = pd.NaT
    missing = pd.Series(noisy_sine(40), index=pd.DatetimeIndex(index))
    message = "The index of X is missing at position 10."
    with pytest.raises(ValueError, match=re.escape(message)):
        SRSeriesTransformer().fit_transform(missing)


def test_repeated_index_detector():
    series = pd.Series(noisy_sine(40), index=[0, 1, 1, *range(2, 39)])
    message = "position 2 (1) is equal to position 1 (1)"
    with pytest.raises(ValueError, match=re.escape(message)):
        sr_detector().fit(series)


def test_irregular_index_scored_by_position(fitted_on_sine):
    """Increasing but uneven times are scored by position; the index is kept."""
    values = noisy_sine(200, spike=150)
    seconds = np.cumsum(np.random.default_rng(1).integers(1, 600, 200))
    series = pd.Series(values, index=pd.to_datetime(seconds, unit="s"))
    detector = fitted_on_sine
    scores = detector.transform_scores(series)
    pd.testing.assert_index_equal(scores.index, series.index)
    assert_array_equal(scores.to_numpy(), detector.transform_scores(values))
    assert_array_equal(detector.predict(series), detector.predict(values))


# --------------------------------------------------------------------------
# Duplicate timestamps
# --------------------------------------------------------------------------

REPEATED_MESSAGE = (
    "Some timestamps occur more than once (1 repeated time): 2024-01-01 "
    "00:00:17 in rows 5, 6, 7, 8, 9, ... (6 in all)."
)


def repeated_frame():
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(REPEATED_SECONDS, unit="s")
    values = noisy_sine(len(times))
    return pd.DataFrame(
        {"timestamp": times.strftime("%Y-%m-%d %H:%M:%S"), "value": values}
    )


def test_repeated_times_reader(tmp_path):
    path = write_csv(tmp_path, repeated_frame())
    with pytest.raises(ValueError, match=re.escape(REPEATED_MESSAGE)) as error:
        read_series(path)
    assert "drop or aggregate duplicate times" in str(error.value)


def test_repeated_times_frame():
    with pytest.raises(ValueError, match=re.escape(REPEATED_MESSAGE)):
        regularize_series(repeated_frame())


def test_repeated_times_cli(tmp_path, capsys):
    path = write_csv(tmp_path, repeated_frame())
    assert_cli_error(capsys, [path, "--method", "sr"], REPEATED_MESSAGE)


# --------------------------------------------------------------------------
# A missing timestamp
# --------------------------------------------------------------------------


def test_empty_time_reader(tmp_path):
    frame = minute_frame(noisy_sine(100))
    frame.loc[10, "timestamp"] = ""
    path = write_csv(tmp_path, frame)
    message = "Timestamp column 'timestamp' of "
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_series(path)
    assert "is empty in row 10. Every row needs a timestamp" in str(error.value)


def test_empty_time_cli(tmp_path, capsys):
    frame = minute_frame(noisy_sine(100))
    frame.loc[10, "timestamp"] = ""
    path = write_csv(tmp_path, frame)
    assert_cli_error(capsys, [path, "--method", "sr"], "is empty in row 10.")


def test_nat_time_frame():
    times = pd.date_range("2024-01-01", periods=100, freq="min").to_series()
    times.iloc[10] = pd.NaT
    frame = pd.DataFrame({"timestamp": times.to_numpy(), "value": noisy_sine(100)})
    message = "Timestamp column 'timestamp' of the DataFrame is NaT in row 10."
    with pytest.raises(ValueError, match=re.escape(message)):
        regularize_series(frame)


def test_missing_unix_time_frame():
    seconds = np.arange(100, dtype=float) * 60
    seconds[10] = np.nan
    frame = pd.DataFrame({"timestamp": seconds, "value": noisy_sine(100)})
    message = "has the missing or infinite value nan in row 10"
    with pytest.raises(ValueError, match=re.escape(message)):
        regularize_series(frame)


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_nat_index_detector(make):
    index = pd.date_range("2024-01-01", periods=100, freq="min").to_series()
    index.iloc[10] = pd.NaT
    series = pd.Series(noisy_sine(100), index=pd.DatetimeIndex(index))
    message = "The index of X is missing at position 10. Every point needs a time"
    with pytest.raises(ValueError, match=re.escape(message)):
        make().fit(series)


# --------------------------------------------------------------------------
# Missing values
# --------------------------------------------------------------------------

MISSING_CASES = {"first-two": [0, 1], "last": [299], "3-5": [3, 4, 5]}


def with_missing(positions, n=300):
    values = noisy_sine(n)
    values[positions] = np.nan
    return values


def linear_fill(values):
    """The detectors' documented fill: linear inside, nearest value at the ends."""
    missing = np.isnan(values)
    filled = values.copy()
    known = np.flatnonzero(~missing)
    filled[missing] = np.interp(np.flatnonzero(missing), known, values[known])
    return filled


@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_filled_linearly(fitted_on_sine, case):
    values = with_missing(MISSING_CASES[case])
    detector = fitted_on_sine
    scores = detector.transform_scores(pd.Series(values))
    assert_array_equal(
        scores.to_numpy(), detector.transform_scores(linear_fill(values))
    )
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_never_flagged(make, case):
    positions = MISSING_CASES[case]
    values = pd.Series(with_missing(positions))
    flagged = set(make(threshold=-1e9).fit(values).predict(values)["ilocs"])
    assert flagged == set(range(300)) - set(positions)


@pytest.mark.parametrize(
    "make",
    [sr_detector, lambda: SRAnnotator(mode="global", random_state=0)],
    ids=["sr", "sr-global"],
)
@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_add_no_flags(make, case):
    """A calibrated detector flags no point of the filled series that it does
    not flag in the complete one."""
    complete = pd.Series(noisy_sine())
    gapped = pd.Series(with_missing(MISSING_CASES[case]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = set(make().fit(complete).predict(complete)["ilocs"])
        flagged = set(make().fit(gapped).predict(gapped)["ilocs"])
    assert flagged <= expected


@pytest.mark.parametrize("case", ["last", "3-5"])
def test_missing_values_add_no_flags_srcnn(case):
    """The fitted network flags no point of the filled series that it does not
    flag in the complete one. Two networks fitted on the two series would
    differ by their training alone, so one fitted detector scores both.

    Missing leading values are filled with the first measured value, and
    that flat start changes the saliency map of the whole first window. The
    input requirements page documents the effect.
    """
    complete = pd.Series(noisy_sine())
    gapped = pd.Series(with_missing(MISSING_CASES[case]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        detector = cnn_detector().fit(complete)
    expected = set(detector.predict(complete)["ilocs"])
    assert set(detector.predict(gapped)["ilocs"]) <= expected


def test_all_missing_detector(fitted_on_sine):
    message = (
        "X has no values: all 300 points are missing. Pass a series with at "
        "least one measured value."
    )
    values = np.full(300, np.nan)
    with pytest.raises(ValueError, match=re.escape(message)):
        clone(fitted_on_sine).fit(values)
    with pytest.raises(ValueError, match=re.escape(message)):
        fitted_on_sine.predict(values)


@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_reader(tmp_path, case):
    positions = MISSING_CASES[case]
    frame = minute_frame(with_missing(positions))
    frame = frame.astype({"value": object})
    frame.loc[positions, "value"] = ""
    series = read_series(write_csv(tmp_path, frame))
    assert np.flatnonzero(series["is_filled"]).tolist() == positions
    assert_allclose(series["value"], linear_fill(with_missing(positions)))


def test_all_missing_reader(tmp_path):
    frame = minute_frame([""] * 100)
    message = "Value column 'value' of "
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_series(write_csv(tmp_path, frame))
    assert "contains no values: all 100 rows are missing" in str(error.value)


@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_cli(tmp_path, capsys, case):
    positions = MISSING_CASES[case]
    frame = minute_frame(with_missing(positions)).astype({"value": object})
    frame.loc[positions, "value"] = ""
    path = write_csv(tmp_path, frame)
    output = tmp_path / "scores.csv"
    args = [path, "--method", "sr", "--window", 64, "--threshold=-1e9"]
    status, out, _ = run_cli(capsys, *args, "--output", output)
    assert status == 0
    assert f"{len(positions)} of them filled (filled points are never flagged)" in out
    table = pd.read_csv(output)
    assert np.flatnonzero(table["is_filled"]).tolist() == positions
    assert_array_equal(table["flag"], 1 - table["is_filled"])
    assert np.isfinite(table["score"]).all()


@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_sr_functions_name_position(case):
    values = with_missing(MISSING_CASES[case])
    first = MISSING_CASES[case][0]
    message = f"Spectral Residual needs finite values, got nan at position {first}."
    for function in (spectral_residual, saliency_map, scores_from_saliency):
        with pytest.raises(ValueError, match=re.escape(message)):
            function(values)
    with pytest.raises(ValueError, match=re.escape(message)):
        sliding_spectral_residual(values, window=50)
    with pytest.raises(ValueError, match=re.escape(message)):
        SRSeriesTransformer().fit_transform(pd.Series(values))


@pytest.mark.parametrize("case", MISSING_CASES)
def test_missing_values_sr_transformer_names_position(case):
    rows = np.vstack([noisy_sine(), with_missing(MISSING_CASES[case])])
    first = MISSING_CASES[case][0]
    message = f"got nan at row 1, position {first}. Fill or drop missing"
    with pytest.raises(ValueError, match=re.escape(message)):
        SRTransformer().fit(rows)
    with pytest.raises(ValueError, match=re.escape(message)):
        SRTransformer().fit(np.vstack([noisy_sine(), noisy_sine()])).transform(rows)


def test_all_missing_sr_functions():
    message = "got nan at position 0."
    with pytest.raises(ValueError, match=re.escape(message)):
        spectral_residual(np.full(300, np.nan))
    with pytest.raises(ValueError, match=re.escape("got nan at row 0, position 0.")):
        SRTransformer().fit(np.full((1, 300), np.nan))


# --------------------------------------------------------------------------
# Series shorter than the window
# --------------------------------------------------------------------------

SHORT_SERIES = [SHORT, [10], [10, 11], [10, 11, 10, 12, 11]]
SHORT_IDS = ["8", "1", "2", "5"]


def pattern_series(n, seed=0):
    """The 8-point pattern of SHORT repeated, with small noise."""
    rng = np.random.default_rng(seed)
    return pd.Series(np.resize(SHORT, n) + rng.normal(0, 0.1, n))


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
@pytest.mark.parametrize("values", SHORT_SERIES, ids=SHORT_IDS)
def test_short_series_fit_too_short(make, values):
    message = (
        f"X is too short to fit on: {len(values)} points (minimum {MIN_POINTS}). "
        f"Pass a longer series."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        make().fit(pd.Series(values, dtype=float))


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_short_series_in_fit_list(make):
    message = f"X[1] is too short to fit on: 8 points (minimum {MIN_POINTS})."
    with pytest.raises(ValueError, match=re.escape(message)):
        make().fit([pattern_series(200), pd.Series(SHORT, dtype=float)])


def test_empty_series_detector(fitted_on_pattern):
    message = "X is empty: a series needs at least 1 point."
    with pytest.raises(ValueError, match=re.escape(message)):
        clone(fitted_on_pattern).fit(np.array([]))
    with pytest.raises(ValueError, match=re.escape(message)):
        fitted_on_pattern.predict(np.array([]))


@pytest.mark.parametrize("values", SHORT_SERIES, ids=SHORT_IDS)
def test_short_series_predict_no_flags(fitted_on_pattern, values):
    """A series shorter than MIN_POINTS is scored but never flagged."""
    detector = fitted_on_pattern
    series = pd.Series(values, dtype=float)
    assert detector.predict(series)["ilocs"].tolist() == []
    assert detector.predict_scores(series).empty
    scores = detector.transform_scores(series)
    assert len(scores) == len(values)
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("n", [16, 24, 32])
def test_shorter_than_window_no_flags(fitted_on_pattern, n):
    """Whole periods of the clean pattern, shorter than the window, are not flagged.

    SR-CNN's network learned from windows of ``window`` points. On a series
    shorter than that it reads features of a shorter saliency map, so only
    finite scores are required of it.
    """
    series = pd.Series(np.resize(SHORT, n), dtype=float)
    if isinstance(fitted_on_pattern, SRCNNAnnotator):
        assert np.isfinite(fitted_on_pattern.transform_scores(series)).all()
        return
    assert fitted_on_pattern.predict(series)["ilocs"].tolist() == []


def test_short_series_cli(tmp_path, capsys):
    path = write_csv(tmp_path, minute_frame(SHORT))
    message = (
        "is too short to fit a detector on: 8 points on its regular grid "
        f"(minimum {MIN_POINTS}). Pass a longer series."
    )
    assert_cli_error(capsys, [path, "--method", "sr"], message)


@pytest.mark.parametrize("values", SHORT_SERIES, ids=SHORT_IDS)
def test_short_series_sr_functions(values):
    x = np.array(values, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outputs = [
            spectral_residual(x),
            sliding_spectral_residual(x, window=1440),
            SRTransformer().fit_transform(x[None, :])[0],
            SRSeriesTransformer().fit_transform(pd.Series(x)).to_numpy(),
        ]
    for scores in outputs:
        assert scores.shape == x.shape
        assert np.isfinite(scores).all()
        # No point reaches the threshold of Ren et al. (2019).
        assert scores.max() < 3


def test_one_point_scores_zero():
    assert spectral_residual([5.0]).tolist() == [0.0]
    assert scores_from_saliency([2.0]).tolist() == [0.0]
    assert sliding_spectral_residual([5.0, 7.0, 6.0], window=1).tolist() == [0, 0, 0]


def test_empty_series_sr_functions():
    message = "Expected series of at least 1 point, got rows of length 0."
    with pytest.raises(ValueError, match=re.escape(message)):
        spectral_residual([])
    with pytest.raises(
        ValueError, match=re.escape("X is empty: a series needs at least 1 point.")
    ):
        SRSeriesTransformer().fit_transform(pd.Series([], dtype=float))
    with pytest.raises(ValueError, match=re.escape("Found array with 0 feature(s)")):
        SRTransformer().fit(np.empty((1, 0)))


# --------------------------------------------------------------------------
# Constant series
# --------------------------------------------------------------------------

CONSTANT = {
    "ones": np.ones(1000),
    "zeros": np.zeros(1000),
    "float32-fives": np.full(100, 5.0, dtype=np.float32),
}


@pytest.mark.parametrize("name", CONSTANT)
def test_constant_series_sr_functions(name):
    x = CONSTANT[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outputs = [
            spectral_residual(x),
            sliding_spectral_residual(x, window=64),
            SRTransformer().fit_transform(x[None, :])[0],
            SRSeriesTransformer().fit_transform(pd.Series(x)).to_numpy(),
            SRSeriesTransformer(mode="sliding", window=64)
            .fit_transform(pd.Series(x))
            .to_numpy(),
        ]
    for scores in outputs:
        assert np.isfinite(scores).all()
        assert np.abs(scores).max() < 1e-6


@pytest.mark.parametrize(
    "make",
    [sr_detector, lambda: SRAnnotator(mode="global", random_state=0), cnn_detector],
    ids=["sr", "sr-global", "srcnn"],
)
@pytest.mark.parametrize("name", CONSTANT)
def test_constant_series_detectors(make, name):
    series = pd.Series(CONSTANT[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        detector = make().fit(series)
        flagged = detector.predict(series)["ilocs"].tolist()
        scores = detector.transform_scores(series)
    assert flagged == []
    assert np.isfinite(scores).all()
    assert np.isfinite(detector.threshold_)


def test_constant_series_cli(tmp_path, capsys):
    path = write_csv(tmp_path, minute_frame(np.ones(1000)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = run_cli(capsys, path, "--method", "sr", "--seed", 0)
    assert status == 0
    assert "Flagged 0 of 1000 points with SRAnnotator" in out
    assert err == ""


def test_constant_window_injection_scales_with_value():
    """Synthetic anomalies on a constant series have about its magnitude."""
    for level in (0.0, 1.0, 5.0, 1e6):
        x = np.full(500, level)
        changed = inject_anomalies(x, [100, 300], random_state=0)
        shifts = np.abs(changed - x)[[100, 300]]
        assert (shifts > 0).all()
        assert (shifts < 5 * max(level, 1.0)).all()


# --------------------------------------------------------------------------
# Anomalies at the first points
# --------------------------------------------------------------------------


def first_points_ramp():
    ramp = np.arange(57.0, 177.0, 5.0)
    ramp[0], ramp[1] = 182.0, 37.0
    return ramp


def test_first_points_flagged_by_core():
    ramp = first_points_ramp()
    assert ramp.size == 24
    assert ramp[-1] == 172.0
    assert np.flatnonzero(spectral_residual(ramp) > 3).tolist() == [0, 1]


def test_first_points_flagged_by_annotator():
    series = pd.Series(first_points_ramp())
    detector = SRAnnotator(mode="global", threshold=3).fit(series)
    assert detector.predict(series)["ilocs"].tolist() == [0, 1]


# --------------------------------------------------------------------------
# Edges of a clean signal
# --------------------------------------------------------------------------


def bumped_signal(seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, 2000)
    values = np.sin(x) + np.sin(5 * x) + np.cos(x) + rng.uniform(-0.05, 0.05, 2000)
    values[600:603] = 2.2
    values[1450:1460] = 2.1
    return pd.Series(values)


NEAR_FIRST_BUMP = set(range(595, 608))
NEAR_SECOND_BUMP = set(range(1445, 1465))


def test_clean_edges_global_mode():
    series = bumped_signal()
    flagged = set(
        SRAnnotator(mode="global", random_state=0).fit(series).predict(series)["ilocs"]
    )
    assert flagged <= NEAR_FIRST_BUMP | NEAR_SECOND_BUMP
    assert flagged & NEAR_FIRST_BUMP
    assert flagged & NEAR_SECOND_BUMP


@pytest.mark.parametrize("mode", ["global", "sliding"])
@pytest.mark.parametrize("seed", range(5))
def test_clean_edges_not_flagged(mode, seed):
    series = bumped_signal(seed)
    detector = SRAnnotator(mode=mode, random_state=seed).fit(series)
    flagged = detector.predict(series)["ilocs"].to_numpy()
    assert not ((flagged < 20) | (flagged >= 1980)).any()


# --------------------------------------------------------------------------
# Sampling steps
# --------------------------------------------------------------------------

STEPS = {
    "10s": ("10s", pd.Timedelta("10s")),
    "678ms": ("678ms", pd.Timedelta("678ms")),
    "month-start": ("MS", pd.offsets.MonthBegin()),
    "hourly": ("h", pd.Timedelta("1h")),
}


def stepped_frame(freq, n=240, spike=150, dropped=40):
    times = pd.date_range("2020-01-01", periods=n, freq=freq)
    values = noisy_sine(n, spike=spike)
    frame = pd.DataFrame(
        {"timestamp": times.strftime("%Y-%m-%d %H:%M:%S.%f"), "value": values}
    )
    # One missing row tests that the step is inferred despite a gap.
    return frame.drop(index=dropped), times


@pytest.mark.parametrize("step", STEPS)
def test_step_inferred_and_spike_flagged(tmp_path, step):
    freq, expected = STEPS[step]
    frame, times = stepped_frame(freq)
    path = write_csv(tmp_path, frame)
    series = read_series(path)
    assert series.index.freq == pd.tseries.frequencies.to_offset(expected)
    pd.testing.assert_index_equal(series.index, times.as_unit("ns"), check_names=False)
    assert np.flatnonzero(series["is_filled"]).tolist() == [40]
    pd.testing.assert_frame_equal(read_series(path, freq=freq), series)

    detector = SRAnnotator(random_state=0).fit(series["value"])
    assert detector.predict(series["value"])["ilocs"].tolist() == [150]


@pytest.mark.parametrize("step", STEPS)
def test_step_cli_flags_spike(tmp_path, capsys, step):
    freq, _ = STEPS[step]
    frame, times = stepped_frame(freq)
    path = write_csv(tmp_path, frame)
    output = tmp_path / "scores.csv"
    status, out, _ = run_cli(
        capsys, path, "--method", "sr", "--seed", 0, "--output", output
    )
    assert status == 0
    assert "Flagged 1 of 240 points with SRAnnotator" in out
    table = pd.read_csv(output)
    assert np.flatnonzero(table["flag"]).tolist() == [150]
    assert pd.Timestamp(table["timestamp"][150]) == times[150]


def test_month_starts_stay_on_calendar(tmp_path):
    frame, times = stepped_frame("MS", n=60, spike=40, dropped=13)
    series = read_series(write_csv(tmp_path, frame))
    assert (series.index.day == 1).all()
    assert series.index[13] == pd.Timestamp("2021-02-01")
    assert series.index.freqstr == "MS"


# --------------------------------------------------------------------------
# Dtypes
# --------------------------------------------------------------------------


def byte_values():
    """A noisy sine in 0..255 with a spike to the top of the uint8 range."""
    rng = np.random.default_rng(0)
    values = np.round(100 + 40 * np.sin(np.arange(300) / 6) + rng.normal(0, 3, 300))
    values[200] = 255
    values[201] = 0
    return values


def as_dtype(values, dtype):
    if dtype == "Int64":
        return pd.array(values.astype(np.int64), dtype="Int64")
    if dtype == "bool":
        return values > 100
    return values.astype(dtype)


DTYPES = ["int64", "int32", "uint8", "float32", "Int64", "bool"]


def float_reference(values, dtype):
    return (values > 100).astype(np.float64) if dtype == "bool" else values


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_sr_functions_and_transformers(dtype):
    values = byte_values()
    x = as_dtype(values, dtype)
    expected = spectral_residual(float_reference(values, dtype))
    assert_array_equal(spectral_residual(np.asarray(x, dtype=None)), expected)
    assert_array_equal(
        SRTransformer().fit_transform(np.asarray(x)[None, :])[0], expected
    )
    scores = SRSeriesTransformer().fit_transform(pd.Series(x))
    assert_array_equal(scores.to_numpy(), expected)


@pytest.fixture(scope="module")
def float64_flags():
    """Flags of each detector fitted on byte_values() as float64, by detector."""
    series = pd.Series(byte_values())
    return {
        make: make().fit(series).predict(series)["ilocs"].tolist() for make in DETECTORS
    }


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_detectors_match_float64(make, dtype, float64_flags):
    values = byte_values()
    if dtype == "bool":
        reference = pd.Series(float_reference(values, dtype))
        expected = make().fit(reference).predict(reference)["ilocs"].tolist()
    else:
        expected = float64_flags[make]
        # The spike up at 200 and down at 201 is found.
        assert {200, 201} & set(expected)
    series = pd.Series(as_dtype(values, dtype))
    assert make().fit(series).predict(series)["ilocs"].tolist() == expected


def test_nullable_int_missing_value_filled():
    values = byte_values()
    x = pd.array(values.astype(np.int64), dtype="Int64")
    x[50] = pd.NA
    reference = values.copy()
    reference[50] = np.nan
    detector = sr_detector(threshold=3.0).fit(pd.Series(reference))
    assert_array_equal(
        detector.transform_scores(pd.Series(x)).to_numpy(),
        detector.transform_scores(pd.Series(reference)).to_numpy(),
    )
    assert 50 not in detector.predict(pd.Series(x))["ilocs"].tolist()


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_reader(dtype):
    values = byte_values()
    times = pd.date_range("2024-01-01", periods=300, freq="min")
    frame = pd.DataFrame({"timestamp": times, "value": as_dtype(values, dtype)})
    series = regularize_series(frame)
    assert series["value"].dtype == np.float64
    assert_array_equal(series["value"], float_reference(values, dtype))


# --------------------------------------------------------------------------
# Window-size parameters at their limits
# --------------------------------------------------------------------------

CORE_FUNCTIONS = {
    "spectral_residual": (
        spectral_residual,
        ["filter_size", "score_window", "n_extend", "n_gradient", "bridge_length"],
    ),
    "saliency_map": (
        saliency_map,
        ["filter_size", "n_extend", "n_gradient", "bridge_length"],
    ),
    "sliding_spectral_residual": (
        lambda x, **kw: sliding_spectral_residual(x, **{"window": 50, **kw}),
        [
            "window",
            "filter_size",
            "score_window",
            "n_extend",
            "n_gradient",
            "chunk_size",
        ],
    ),
    "last_point_score": (
        last_point_score,
        ["filter_size", "score_window", "n_extend", "n_gradient"],
    ),
}
#: Smallest accepted value of each window-like parameter of the functions.
MINIMUM = {
    "window": 1,
    "filter_size": 1,
    "score_window": 1,
    "n_extend": 0,
    "n_gradient": 1,
    "bridge_length": 0,
    "chunk_size": 1,
}


def core_cases():
    for name, (function, parameters) in CORE_FUNCTIONS.items():
        for parameter in parameters:
            yield pytest.param(function, parameter, id=f"{name}-{parameter}")


@pytest.mark.parametrize(("function", "parameter"), list(core_cases()))
@pytest.mark.parametrize("size", [100, 101, 5000])
def test_window_larger_than_series(function, parameter, size):
    x = noisy_sine(100, spike=60)
    result = np.atleast_1d(function(x, **{parameter: size}))
    assert np.isfinite(result).all()
    if result.size > 1:
        # The first 50 points of sliding_spectral_residual come from its
        # first window, whose start can be salient without a bridge. With a
        # gradient over a whole window, the point after the spike extends
        # the spike's window and can score highest.
        assert abs(int(np.argmax(result[50:])) + 50 - 60) <= 1


@pytest.mark.parametrize(("function", "parameter"), list(core_cases()))
def test_window_at_minimum(function, parameter):
    x = noisy_sine(100, spike=60)
    result = function(x, **{parameter: MINIMUM[parameter]})
    assert np.isfinite(result).all()


@pytest.mark.parametrize(("function", "parameter"), list(core_cases()))
@pytest.mark.parametrize("offset", [1, 5])
def test_window_below_minimum_core(function, parameter, offset):
    value = MINIMUM[parameter] - offset
    message = f"{parameter} must be an int >= {MINIMUM[parameter]}, got {value}."
    with pytest.raises(ValueError, match=re.escape(message)):
        function(noisy_sine(100), **{parameter: value})


def test_window_equal_to_series_is_global():
    x = noisy_sine(100, spike=60)
    expected = spectral_residual(x, bridge_length=0)
    for window in (100, 101, 10**6):
        assert_allclose(
            sliding_spectral_residual(x, window=window), expected, atol=1e-12
        )


def test_window_one_scores_zero():
    assert_array_equal(sliding_spectral_residual(noisy_sine(100), window=1), 0.0)


@pytest.mark.parametrize("value", [0, -1])
def test_sliding_chunk_size_and_n_jobs_invalid(value):
    message = f"chunk_size must be an int >= 1, got {value}."
    with pytest.raises(ValueError, match=re.escape(message)):
        sliding_spectral_residual(noisy_sine(100), window=20, chunk_size=value)
    with pytest.raises(ValueError, match=re.escape("n_jobs must be a non-zero int")):
        sliding_spectral_residual(noisy_sine(100), window=20, n_jobs=0)


def test_extend_series_parameters_invalid():
    with pytest.raises(
        ValueError, match=re.escape("n_extend must be an int >= 0, got -1.")
    ):
        extend_series(noisy_sine(20), n_extend=-1)
    with pytest.raises(
        ValueError, match=re.escape("n_gradient must be an int >= 1, got 0.")
    ):
        extend_series(noisy_sine(20), n_gradient=0)
    assert extend_series(noisy_sine(20), n_gradient=10**6).shape == (25,)
    assert_array_equal(extend_series(noisy_sine(20), n_extend=0), noisy_sine(20))


ESTIMATOR_WINDOWS = [
    (SRTransformer, "filter_size", 1),
    (SRTransformer, "score_window", 1),
    (SRTransformer, "n_extend", 0),
    (SRTransformer, "n_gradient", 1),
    (SRTransformer, "bridge_length", 0),
    (SRSeriesTransformer, "window", 2),
    (SRSeriesTransformer, "filter_size", 1),
    (SRSeriesTransformer, "score_window", 1),
    (SRSeriesTransformer, "n_extend", 0),
    (SRSeriesTransformer, "n_gradient", 1),
    (SRSeriesTransformer, "bridge_length", 0),
    (SRAnnotator, "window", 2),
    (SRAnnotator, "filter_size", 1),
    (SRAnnotator, "score_window", 1),
    (SRAnnotator, "n_extend", 0),
    (SRAnnotator, "n_gradient", 1),
    (SRAnnotator, "bridge_length", 0),
    (SRCNNAnnotator, "window", 2),
    (SRCNNAnnotator, "segment_length", 1),
    (SRCNNAnnotator, "dilation", 1),
    (SRCNNAnnotator, "filter_size", 1),
    (SRCNNAnnotator, "score_window", 1),
    (SRCNNAnnotator, "n_extend", 0),
    (SRCNNAnnotator, "n_gradient", 1),
    (SRCNNAnnotator, "kernel_size", 1),
    (SRCNNAnnotator, "max_points", 1),
    (SRCNNAnnotator, "batch_size", 1),
]


def fit_estimator(estimator_class, **params):
    x = noisy_sine(100, spike=60)
    if estimator_class is SRTransformer:
        return SRTransformer(**params).fit_transform(x[None, :])[0]
    if estimator_class is SRSeriesTransformer:
        series = pd.Series(x)
        return SRSeriesTransformer(mode="sliding", **params).fit_transform(series)
    if estimator_class is SRCNNAnnotator:
        # SR-CNN learns the points of its training series as normal, so it
        # is fitted on the series without the spike.
        detector = cnn_detector(threshold=0.0, **params).fit(noisy_sine(100))
        return detector.transform_scores(x).to_numpy()
    return SRAnnotator(threshold=3.0, **params).fit(x).predict(x)


@pytest.mark.parametrize(
    ("estimator_class", "parameter", "minimum"),
    ESTIMATOR_WINDOWS,
    ids=[f"{cls.__name__}-{name}" for cls, name, _ in ESTIMATOR_WINDOWS],
)
@pytest.mark.parametrize("offset", [1, 5])
def test_window_below_minimum_estimators(estimator_class, parameter, minimum, offset):
    value = minimum - offset
    message = (
        f"The '{parameter}' parameter of {estimator_class.__name__} must be an "
        f"int in the range [{minimum}, inf). Got {value} instead."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        fit_estimator(estimator_class, **{parameter: value})


@pytest.mark.parametrize(
    ("estimator_class", "parameter"),
    [
        (SRSeriesTransformer, "window"),
        (SRSeriesTransformer, "score_window"),
        (SRAnnotator, "window"),
        (SRAnnotator, "filter_size"),
        (SRCNNAnnotator, "window"),
        (SRCNNAnnotator, "segment_length"),
        (SRCNNAnnotator, "kernel_size"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
@pytest.mark.parametrize("size", [100, 10**6])
def test_window_larger_than_series_estimators(estimator_class, parameter, size):
    if estimator_class is SRCNNAnnotator and parameter == "kernel_size":
        size = min(size, 301)
    result = fit_estimator(estimator_class, **{parameter: size})
    if estimator_class is SRCNNAnnotator and parameter == "kernel_size":
        # Kernels wider than the series leave the network little to learn
        # from; it must still score every point.
        assert result.shape == (100,)
        assert np.isfinite(result).all()
        return
    if isinstance(result, pd.DataFrame):
        assert 60 in result["ilocs"].tolist()
    else:
        assert np.isfinite(result).all()
        assert int(np.argmax(np.asarray(result))) == 60


def test_srcnn_window_one_invalid():
    message = (
        "The 'window' parameter of SRCNNAnnotator must be an int in the range [2, inf)"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        fit_estimator(SRCNNAnnotator, window=1)


@pytest.mark.parametrize("value", ["1", "0", "-5"])
def test_cli_window_invalid(capsys, value):
    status, out, err = run_cli(capsys, "--method", "sr", f"--window={value}")
    assert status == 2
    assert out == ""
    assert f"argument --window: must be an integer >= 2, got {value}" in err


def test_cli_window_larger_than_series(tmp_path, capsys):
    frame = minute_frame(noisy_sine(300, spike=200))
    path = write_csv(tmp_path, frame)
    status, out, _ = run_cli(
        capsys, path, "--method", "sr", "--window", 10**6, "--seed", 0
    )
    assert status == 0
    assert "2024-01-01 03:20:00" in out


# --------------------------------------------------------------------------
# Non-numeric values
# --------------------------------------------------------------------------


def values_with(bad, position=7, n=30):
    values = list(np.sin(np.arange(n)))
    values[position] = bad
    return values


def test_text_value_reader_and_cli(tmp_path, capsys):
    path = write_csv(tmp_path, minute_frame(values_with("abc")))
    message = "Value column 'value' of "
    detail = "has the non-numeric value 'abc' in row 7 (1 such row in all)"
    fix = "Correct or remove these entries, and leave a missing value empty."
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_series(path)
    assert detail in str(error.value)
    assert fix in str(error.value)
    assert_cli_error(capsys, [path, "--method", "sr"], detail)


def test_complex_text_value_reader(tmp_path):
    path = write_csv(tmp_path, minute_frame(values_with("(1+2j)")))
    with pytest.raises(
        ValueError, match=re.escape("non-numeric value '(1+2j)' in row 7")
    ):
        read_series(path)


def test_complex_value_frame():
    times = pd.date_range("2024-01-01", periods=30, freq="min")
    values = np.array(values_with(0.5 + 1j), dtype=complex)
    message = (
        "Value column 'value' of the DataFrame is complex (complex128), with "
        "(0.5+1j) in row 7."
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        regularize_series(pd.DataFrame({"timestamp": times, "value": values}))


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_infinite_value_reader_and_cli(tmp_path, capsys, bad):
    path = write_csv(tmp_path, minute_frame(values_with(bad)))
    detail = f"has the infinite value {bad} in row 7. Replace it by a finite number"
    with pytest.raises(ValueError, match=re.escape(detail)) as error:
        read_series(path)
    assert str(error.value).startswith("Value column 'value' of ")
    assert_cli_error(capsys, [path, "--method", "sr"], detail)


@pytest.mark.parametrize(
    ("values", "error", "detail"),
    [
        (
            np.array(values_with("abc"), dtype=object),
            TypeError,
            "got 'abc' at position 7",
        ),
        (np.array(values_with("abc")), TypeError, "got 'abc' at position 7"),
        (np.array(values_with(0.5 + 1j)), TypeError, "got (0.5+1j) at position 7"),
        (np.array(values_with(np.inf)), ValueError, "got inf at position 7"),
        (np.array(values_with(-np.inf)), ValueError, "got -inf at position 7"),
    ],
    ids=["object-text", "text", "complex", "inf", "-inf"],
)
def test_non_numeric_sr_functions(values, error, detail):
    for function in (spectral_residual, saliency_map):
        with pytest.raises(error, match=re.escape(detail)):
            function(values)
    clean = np.array(values_with(0.0), dtype=values.dtype)
    with pytest.raises(
        error, match=re.escape(detail.replace("position", "row 1, position"))
    ):
        spectral_residual(np.vstack([clean, values]))


@pytest.mark.parametrize(
    ("bad", "detail"),
    [
        ("abc", "got 'abc' at row 1, position 7"),
        (0.5 + 1j, "got (0.5+1j) at row 1, position 7"),
        (np.inf, "got inf at row 1, position 7"),
    ],
    ids=["text", "complex", "inf"],
)
def test_non_numeric_sr_transformer(bad, detail):
    clean = np.array(values_with(0.0))
    rows = np.array([clean, values_with(bad)], dtype=object if bad == "abc" else None)
    with pytest.raises(ValueError, match=re.escape(detail)):
        SRTransformer().fit(rows)
    with pytest.raises(ValueError, match=re.escape(detail)):
        SRTransformer().fit(np.vstack([clean, clean])).transform(rows)


@pytest.mark.parametrize(
    ("values", "error", "detail"),
    [
        (
            pd.Series(values_with("abc"), dtype=object),
            TypeError,
            "got 'abc' at position 7 (dtype object)",
        ),
        (pd.Series(values_with("abc")), TypeError, "got 'abc' at position 7"),
        (
            np.array(values_with("abc"), dtype=object),
            TypeError,
            "got 'abc' at position 7",
        ),
        (
            pd.Series(values_with(0.5 + 1j)),
            TypeError,
            "got (0.5+1j) at position 7 (dtype complex128)",
        ),
        (
            np.array(values_with(0.5 + 1j)),
            TypeError,
            "got (0.5+1j) at position 7 (dtype complex128)",
        ),
        (
            pd.Series(values_with(pd.Timestamp("2024-01-01"))),
            TypeError,
            "at position 7",
        ),
        (
            pd.Series(values_with(np.inf)),
            ValueError,
            "infinite value at position 7 (inf)",
        ),
    ],
    ids=[
        "object-text",
        "text",
        "array-text",
        "complex",
        "array-complex",
        "timestamp",
        "inf",
    ],
)
@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_non_numeric_detectors(make, values, error, detail):
    with pytest.raises(error, match=re.escape(detail)) as raised:
        make().fit(values)
    assert str(raised.value).startswith("X ")


@pytest.mark.parametrize(
    ("values", "error", "detail"),
    [
        (
            pd.Series(values_with("abc")),
            TypeError,
            "X must hold real numbers, got 'abc' at position 7",
        ),
        (pd.Series(values_with(0.5 + 1j)), TypeError, "got (0.5+1j) at position 7"),
        (pd.Series(values_with(np.inf)), ValueError, "got inf at position 7"),
    ],
    ids=["text", "complex", "inf"],
)
def test_non_numeric_series_transformer(values, error, detail):
    with pytest.raises(error, match=re.escape(detail)):
        SRSeriesTransformer().fit_transform(values)


def test_numeric_objects_accepted():
    values = np.sin(np.arange(30))
    expected = spectral_residual(values)
    assert_array_equal(spectral_residual(values.astype(object)), expected)

    detector = sr_detector(threshold=3.0).fit(values)
    expected = detector.transform_scores(values)
    as_objects = pd.Series(values, dtype=object)
    as_text = pd.Series([repr(float(value)) for value in values])
    for X in (as_objects, as_text, values[:, None]):
        assert_array_equal(detector.transform_scores(X).to_numpy(), expected)


def test_timestamps_as_values_sr_functions():
    values = np.array(["2024-01-01"] * 5, dtype="datetime64[D]")
    message = "got datetime.date(2024, 1, 1) at position 0 of an array of dtype"
    with pytest.raises(TypeError, match=re.escape(message)):
        spectral_residual(values)


def test_one_series_functions_reject_rows():
    rows = np.ones((2, 5))
    message = "last_point_score takes one window (a 1-D array), got shape (2, 5)."
    with pytest.raises(ValueError, match=re.escape(message)):
        last_point_score(rows)
    message = "sliding_spectral_residual takes one series (a 1-D array)"
    with pytest.raises(ValueError, match=re.escape(message)):
        sliding_spectral_residual(rows)


# --------------------------------------------------------------------------
# Time-zone-aware index kept
# --------------------------------------------------------------------------


@pytest.fixture(
    params=["2021-03-27 12:00", "2021-10-30 12:00"], ids=["spring", "autumn"]
)
def berlin_series(request):
    """A series at 15 min steps across a daylight saving change in Berlin."""
    index = pd.date_range(request.param, periods=200, freq="15min", tz="Europe/Berlin")
    assert len({time.utcoffset() for time in index}) == 2
    return pd.Series(noisy_sine(200, spike=120), index=index, name="load")


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_tz_index_kept_by_detectors(make, berlin_series):
    detector = make().fit(berlin_series)
    for X in (berlin_series, berlin_series.to_frame()):
        scores = detector.transform_scores(X)
        pd.testing.assert_index_equal(scores.index, berlin_series.index, exact=True)


def test_tz_index_kept_by_series_transformer(berlin_series):
    for mode in ("global", "sliding"):
        scores = SRSeriesTransformer(mode=mode, window=64).fit_transform(berlin_series)
        pd.testing.assert_index_equal(scores.index, berlin_series.index, exact=True)
        assert scores.name == "load"


def test_tz_index_kept_by_cli(tmp_path, capsys, berlin_series):
    times = [t.isoformat() for t in berlin_series.index]
    frame = pd.DataFrame({"timestamp": times, "value": berlin_series.to_numpy()})
    path = write_csv(tmp_path, frame)
    output = tmp_path / "scores.csv"
    status, _, _ = run_cli(
        capsys, path, "--method", "sr", "--window", 64, "--output", output
    )
    assert status == 0
    table = pd.read_csv(output)
    written = pd.DatetimeIndex(pd.to_datetime(table["timestamp"]))
    # Offsets change across the daylight saving change, so the reader keeps
    # the instants and writes them in UTC.
    pd.testing.assert_index_equal(
        written.as_unit("ns"), read_series(path).index, check_names=False
    )
    assert (written == berlin_series.index).all()
    assert table["timestamp"].str.endswith("+00:00").all()


# --------------------------------------------------------------------------
# No entry point writes to its input
# --------------------------------------------------------------------------


def read_only(values):
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


def test_read_only_sr_functions():
    x = read_only(noisy_sine(200, spike=100))
    rows = read_only(np.vstack([x, x]))
    before = x.copy()
    spectral_residual(x)
    spectral_residual(rows)
    saliency_map(rows)
    scores_from_saliency(np.abs(x))
    extend_series(rows)
    last_point_score(x)
    sliding_spectral_residual(x, window=50)
    sliding_spectral_residual(x, window=50, n_jobs=2, chunk_size=16)
    inject_anomalies(x, [10, 20], random_state=0)
    assert_array_equal(x, before)


def test_read_only_transformers():
    x = read_only(noisy_sine(200, spike=100))
    rows = read_only(np.vstack([x, x]))
    transformer = SRTransformer().fit(rows)
    transformer.transform(rows)
    SRTransformer(output="saliency").fit_transform(rows)
    SRSeriesTransformer().fit_transform(x)
    series = pd.Series(noisy_sine(200))
    before = series.copy()
    SRSeriesTransformer(mode="sliding", window=50).fit_transform(series)
    pd.testing.assert_series_equal(series, before)


@pytest.mark.parametrize("make", DETECTORS, ids=DETECTOR_IDS)
def test_read_only_detectors(make):
    values = noisy_sine(200, spike=150)
    values[[3, 4, 100]] = np.nan
    x = read_only(values)
    before = x.copy()
    detector = make().fit([x, x])
    detector.predict(x)
    detector.transform_scores(x)
    detector.predict_scores(x)
    assert_array_equal(x, before)

    series = pd.Series(values, index=pd.date_range("2024", periods=200, freq="min"))
    frame = series.to_frame("value")
    series_before, frame_before = series.copy(), frame.copy()
    detector = make().fit(frame)
    detector.predict(series)
    detector.transform_scores(frame)
    detector.predict_scores(frame)
    pd.testing.assert_series_equal(series, series_before)
    pd.testing.assert_frame_equal(frame, frame_before)


def test_frame_left_unchanged_by_reader():
    frame = minute_frame(with_missing([3, 4, 5], n=100))
    before = frame.copy()
    regularize_series(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_cli_leaves_file(tmp_path, capsys):
    path = write_csv(tmp_path, minute_frame(with_missing([3], n=100)))
    content = path.read_bytes()
    status, _, _ = run_cli(capsys, path, "--method", "sr", "--window", 32)
    assert status == 0
    assert path.read_bytes() == content


# --------------------------------------------------------------------------
# Properties on any finite input
# --------------------------------------------------------------------------

finite_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 120)),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None)
@given(X=finite_rows, scale=st.floats(1e-3, 1e3))
def test_property_sr_transformer_finite_and_scale_invariant(X, scale):
    scores = SRTransformer().fit_transform(X)
    assert scores.shape == X.shape
    assert np.isfinite(scores).all()
    # Points whose saliency is at the round-off level of their row have no
    # stable score, so compare only where the saliency is clearly resolved.
    saliency = SRTransformer(output="saliency").fit_transform(X)
    resolved = saliency > 1e-6 * np.maximum(saliency.max(axis=1, keepdims=True), 1e-300)
    scaled = SRTransformer().fit_transform(X * scale)
    assert_allclose(scaled[resolved], scores[resolved], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("value", [1e-310, 1.1e-308, 1e300])
def test_extreme_magnitudes_finite(value):
    for x in (np.array([value]), np.array([value, 2 * value, value, 5 * value])):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scores = spectral_residual(x)
            saliency = saliency_map(x)
        assert np.isfinite(scores).all()
        assert np.isfinite(saliency).all()
    assert_allclose(
        saliency_map([value, 2 * value, value]), saliency_map([1.0, 2.0, 1.0])
    )
