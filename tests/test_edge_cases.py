import gzip

import numpy as np
import pandas as pd
import pytest

from sktime_srcnn import SRAnnotator, SRCNNAnnotator, SRTransformer
from sktime_srcnn.cli import main
from sktime_srcnn.injection import inject_anomalies, inject_level_shifts
from sktime_srcnn.io import read_series


def test_values_near_float_limit_score_finite():
    X = np.sin(np.arange(50))[None, :] * 1e308
    assert np.isfinite(SRTransformer().fit_transform(X)).all()
    y = pd.Series(np.sin(np.arange(400) / 10) * 1e307)
    detector = SRAnnotator(window=100, random_state=0).fit(y)
    assert np.isfinite(detector.threshold_)
    assert np.isfinite(detector.transform_scores(y)).all()


def test_injection_near_float_limit_stays_finite():
    x = np.sin(np.arange(300) / 10) * 1e308
    changed = inject_anomalies(x, [100, 200], random_state=0)
    assert np.isfinite(changed).all()
    assert np.flatnonzero(changed != x).tolist() == [100, 200]


def test_level_shift_moves_a_stretch_by_one_amount():
    x = np.sin(np.arange(300) / 10)
    changed = inject_level_shifts(x, [100, 290], lengths=[20, 50], random_state=0)
    moved = np.flatnonzero(changed != x).tolist()
    assert moved == list(range(100, 120)) + list(range(290, 300))
    assert np.ptp(changed[100:120] - x[100:120]) < 1e-12
    assert np.array_equal(x, np.sin(np.arange(300) / 10))


def test_level_shift_near_float_limit_stays_finite():
    x = np.sin(np.arange(300) / 10) * 1e308
    changed = inject_level_shifts(x, [100, 105], lengths=40, random_state=0)
    assert np.isfinite(changed).all()


def test_level_shift_length_zero_rejected():
    with pytest.raises(ValueError, match="lengths must be at least 1, got 0"):
        inject_level_shifts(np.zeros(50), [10], lengths=0)


@pytest.mark.parametrize("values", [np.full(300, 7.0), np.zeros(300)])
def test_srcnn_constant_series_features_finite(values):
    """A constant window has no spread; its points sit at level 0."""
    detector = SRCNNAnnotator(window=64, max_points=2000, max_epochs=1)
    features = detector._features(values, np.arange(values.size))
    assert np.isfinite(features).all()
    assert (features[2] == 0).all()


def test_srcnn_features_do_not_depend_on_scale():
    rng = np.random.default_rng(0)
    x = np.sin(np.arange(400) / 6) + rng.normal(0, 0.1, 400)
    detector = SRCNNAnnotator(window=64)
    ends = np.arange(400)
    small = detector._features(x, ends)
    large = detector._features(x * 1e6, ends)
    np.testing.assert_allclose(small, large, atol=1e-6)


def test_srcnn_without_shifts_trains_on_points_only(rng):
    detector = SRCNNAnnotator(window=64, max_points=2000, shift_rate=0.0)
    _, targets = detector._training_set(
        [rng.normal(size=600)], [None], np.random.default_rng(0)
    )
    with_shifts = SRCNNAnnotator(window=64, max_points=2000, shift_rate=0.01)
    _, shifted = with_shifts._training_set(
        [rng.normal(size=600)], [None], np.random.default_rng(0)
    )
    # Point anomalies are single points; shifts mark runs of 8.
    assert (targets == 1).mean() < (shifted == 1).mean()


def test_segment_longer_than_series_gives_finite_scores():
    rng = np.random.default_rng(0)
    y = pd.Series(np.sin(np.arange(200) / 6) + rng.normal(0, 0.05, 200))
    detector = SRCNNAnnotator(
        threshold=3.0,
        window=64,
        segment_length=5000,
        max_points=2000,
        max_epochs=1,
        random_state=0,
    ).fit(y)
    assert np.isfinite(detector.feature_mean_).all()
    assert np.isfinite(detector.feature_std_).all()
    assert np.isfinite(detector.transform_scores(y)).all()


@pytest.mark.parametrize(
    "random_state", [np.random.default_rng(0), np.random.RandomState(0)]
)
def test_random_state_generator_accepted(random_state):
    y = pd.Series(np.sin(np.arange(300) / 6))
    detector = SRAnnotator(window=50, random_state=random_state).fit(y)
    assert np.isfinite(detector.threshold_)


@pytest.mark.parametrize("event", [-50, 6000, pd.Interval(1000, 7000), 2.5])
def test_event_outside_series_rejected(event):
    y = pd.Series(np.sin(np.arange(5000) / 6))
    with pytest.raises(ValueError, match="which is not a position of a series"):
        SRAnnotator(window=50).fit(y, pd.DataFrame({"ilocs": [event]}))


def test_truncated_gzip_is_a_clear_error(tmp_path):
    text = "timestamp,value\n" + "\n".join(f"{i * 60},{i % 7}" for i in range(200))
    packed = gzip.compress(text.encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ValueError, match="could not be read"):
        read_series(path)


def test_cli_refuses_to_overwrite_input(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text(
        "timestamp,value\n" + "\n".join(f"{i * 60},{i % 7}" for i in range(200))
    )
    before = path.read_bytes()
    assert main(["detect", str(path), "--method", "sr", "--output", str(path)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_update_refits_on_merged_series():
    y = pd.Series(np.sin(np.arange(300) / 6))
    detector = SRAnnotator(window=50, random_state=0).fit(y)
    later = pd.Series(np.sin(np.arange(300, 400) / 6), index=range(300, 400))
    detector.update(later)
    assert len(detector._X) == 400
    assert np.isfinite(detector.threshold_)
    from_array = SRAnnotator(window=50, random_state=0).fit(y.to_numpy())
    assert np.isfinite(from_array.update(y).threshold_)


def test_update_after_several_series_rejected():
    y = pd.Series(np.sin(np.arange(300) / 6))
    detector = SRAnnotator(window=50).fit([y, y])
    with pytest.raises(ValueError, match="fitted on several"):
        detector.update(y)


@pytest.mark.parametrize("n", [12, 50, 200])
def test_srcnn_short_copies_get_no_shifts(n):
    """Shifts follow shift_rate; a copy too short for one gets none."""
    rng = np.random.default_rng(0)
    series = [rng.normal(size=n)]
    plain = SRCNNAnnotator(window=64, max_points=4000, shift_rate=0.0)
    shifted = SRCNNAnnotator(window=64, max_points=4000, shift_rate=0.002)
    _, expected = plain._training_set(series, [None], np.random.default_rng(0))
    _, targets = shifted._training_set(series, [None], np.random.default_rng(0))
    np.testing.assert_array_equal(targets, expected)


def test_srcnn_holdout_short_train_unsplit():
    x = np.sin(np.arange(14) / 3)
    params = dict(window=64, max_points=2000, max_epochs=1, random_state=0)
    split = SRCNNAnnotator(holdout=0.9, **params).fit(x)
    whole = SRCNNAnnotator(holdout=0.0, **params).fit(x)
    assert split.threshold_ == whole.threshold_
