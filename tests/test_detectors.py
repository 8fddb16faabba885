import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sktime.utils.estimator_checks import check_estimator as sktime_check

from sktime_srcnn import SRAnnotator, SRCNNAnnotator
from sktime_srcnn.metrics import make_delay_f1_scorer

FAST_CNN = dict(window=64, max_points=100000)


def spiky_series(rng, n=600, spikes=(450,)):
    y = np.sin(np.arange(n) / 6) + rng.normal(0, 0.05, n)
    for position in spikes:
        y[position] += 6
    return pd.Series(y)


@pytest.mark.parametrize("detector", [SRAnnotator, SRCNNAnnotator])
def test_sktime_checks(detector):
    results = sktime_check(detector, raise_exceptions=False)
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert failed == {}


@pytest.mark.parametrize(
    "make",
    [
        lambda: SRAnnotator(window=100, random_state=0),
        lambda: SRCNNAnnotator(random_state=0, **FAST_CNN),
    ],
    ids=["sr", "srcnn"],
)
def test_input_types_agree(rng, make):
    y = spiky_series(rng)
    detector = make().fit(y)
    expected = detector.predict(y)["ilocs"].to_numpy()
    as_frame = detector.predict(y.to_frame("value"))["ilocs"].to_numpy()
    as_array = detector.predict(y.to_numpy())["ilocs"].to_numpy()
    assert 450 in expected
    assert_array_equal(as_frame, expected)
    assert_array_equal(as_array, expected)
    scores = detector.transform_scores(y)
    assert len(scores) == len(y)


def test_srcnn_same_seed_bit_identical(rng):
    y = spiky_series(rng)
    first = SRCNNAnnotator(random_state=3, **FAST_CNN).fit(y).transform_scores(y)
    second = SRCNNAnnotator(random_state=3, **FAST_CNN).fit(y).transform_scores(y)
    assert_array_equal(np.asarray(first), np.asarray(second))


def test_predict_leaves_global_random_state(rng):
    y = spiky_series(rng)
    detector = SRCNNAnnotator(random_state=0, **FAST_CNN).fit(y)
    torch_state = torch.get_rng_state()
    numpy_state = np.random.get_state()[1].copy()
    detector.predict(y)
    detector.transform_scores(y)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert_array_equal(np.random.get_state()[1], numpy_state)


def test_fit_leaves_global_torch_state(rng):
    y = spiky_series(rng)
    torch_state = torch.get_rng_state()
    SRCNNAnnotator(random_state=0, **FAST_CNN).fit(y)
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_pickle_round_trip(rng):
    y = spiky_series(rng)
    detector = SRCNNAnnotator(random_state=0, **FAST_CNN).fit(y)
    restored = pickle.loads(pickle.dumps(detector))
    assert_array_equal(
        np.asarray(restored.transform_scores(y)),
        np.asarray(detector.transform_scores(y)),
    )


def test_fit_several_series(rng):
    # The spike lies in the held-out part, which the network does not learn.
    series = [spiky_series(rng, 500, ()), spiky_series(rng, 400, (350,))]
    detector = SRCNNAnnotator(random_state=0, **FAST_CNN).fit(series)
    assert 350 in detector.predict(series[1])["ilocs"].tolist()
    sr = SRAnnotator(window=100, random_state=0).fit(series)
    assert np.isfinite(sr.threshold_)


def test_inputs_not_mutated(rng):
    y = spiky_series(rng)
    before = y.copy()
    values = y.to_numpy().copy()
    SRAnnotator(window=100, random_state=0).fit(y).predict(y)
    SRCNNAnnotator(random_state=0, **FAST_CNN).fit(values).predict(values)
    pd.testing.assert_series_equal(y, before)
    assert_array_equal(values, before.to_numpy())


def test_missing_values_never_flagged(rng):
    y = spiky_series(rng)
    y.iloc[200:203] = np.nan
    y.iloc[-1] = np.nan
    detector = SRAnnotator(window=100, threshold=-1e9).fit(y)
    flagged = set(detector.predict(y)["ilocs"])
    assert not flagged & {200, 201, 202, len(y) - 1}
    assert np.isfinite(detector.transform_scores(y)).all()


def test_clone_keeps_params():
    detector = SRCNNAnnotator(channels=8, lr=0.01)
    copy = clone(detector)
    assert copy.get_params()["channels"] == 8
    assert copy.get_params()["lr"] == 0.01


def test_grid_search_threshold_on_real_kpi(kpi_test_raw):
    """GridSearchCV tunes the threshold with a delay-F1 scorer on a KPI."""
    series = kpi_test_raw["value"].iloc[:3000].reset_index(drop=True)
    labels = kpi_test_raw["label"].iloc[:3000].reset_index(drop=True)
    search = GridSearchCV(
        SRAnnotator(window=288),
        {"threshold": [2.0, 4.0, 8.0, 1e9]},
        cv=TimeSeriesSplit(3),
        scoring=make_delay_f1_scorer(delay=7),
    )
    search.fit(series.to_frame(), labels)
    assert search.best_params_["threshold"] < 1e9
    assert search.best_score_ > 0


def test_srcnn_finds_labelled_anomaly_on_real_series(kpi_test_raw):
    """SR-CNN fitted on a real KPI excerpt flags a labelled anomaly."""
    frame = kpi_test_raw.iloc[:4000]
    labels = frame["label"].to_numpy()
    assert labels.any()
    detector = SRCNNAnnotator(
        window=288, max_points=50000, max_epochs=4, random_state=0
    ).fit(frame["value"])
    flagged = detector.predict(frame["value"])["ilocs"].to_numpy()
    assert labels[flagged].sum() > 0


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"window": 0}, "'window' parameter of SRAnnotator"),
        ({"mode": "online"}, "'mode' parameter of SRAnnotator"),
        ({"calibration_rate": 2.0}, "'calibration_rate' parameter of SRAnnotator"),
    ],
)
def test_sr_invalid_params(params, match):
    with pytest.raises(ValueError, match=match):
        SRAnnotator(**params).fit(pd.Series(np.ones(30)))


def test_srcnn_invalid_param():
    match = "'segment_length' parameter of SRCNNAnnotator"
    with pytest.raises(ValueError, match=match):
        SRCNNAnnotator(segment_length=-1).fit(pd.Series(np.ones(30)))


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.array([]), ValueError, "X is empty"),
        (np.array([np.nan, np.nan]), ValueError, "all 2 points are missing"),
        (np.array([1.0, np.inf, 2.0]), ValueError, "infinite value at position 1"),
        (np.array(["1", "x"], dtype=object), TypeError, "'x' at position 1"),
        (pd.DataFrame({"a": [1.0], "b": [2.0]}), ValueError, "2 columns"),
    ],
)
def test_bad_series_errors(X, error, match):
    with pytest.raises(error, match=match):
        SRAnnotator(threshold=3.0).fit(pd.Series(np.ones(30))).predict(X)


def test_known_labels_used_in_addition(rng):
    """Labels given to fit change the training targets and the threshold."""
    y = spiky_series(rng, spikes=(150, 450))
    labels = np.zeros(len(y), dtype=int)
    labels[150] = 1
    plain = SRCNNAnnotator(random_state=0, **FAST_CNN).fit(y)
    labelled = SRCNNAnnotator(random_state=0, **FAST_CNN).fit(y, labels)
    assert not np.array_equal(
        np.asarray(plain.transform_scores(y)), np.asarray(labelled.transform_scores(y))
    )
    events = pd.DataFrame({"ilocs": [150]})
    sr_events = SRAnnotator(window=100, random_state=0).fit(y, events)
    sr_dense = SRAnnotator(window=100, random_state=0).fit(y, labels)
    assert sr_events.threshold_ == sr_dense.threshold_


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (np.zeros(5), "one 0/1 label per point"),
        (np.full(600, 2), "must hold 0/1 labels, got"),
    ],
)
def test_bad_labels_errors(rng, labels, match):
    with pytest.raises(ValueError, match=match):
        SRAnnotator(window=100).fit(spiky_series(rng), labels)


@pytest.mark.parametrize("kind", ["multiindex", "numpy3D"])
def test_srcnn_fit_on_panel_equals_list(kind):
    rng = np.random.default_rng(0)
    values = [np.sin(np.arange(n) / 6) + rng.normal(0, 0.05, n) for n in (200, 200)]
    if kind == "multiindex":
        index = pd.MultiIndex.from_product([["a", "b"], range(200)])
        panel = pd.DataFrame({"value": np.concatenate(values)}, index=index)
    else:
        panel = np.stack(values)[:, None, :]
    params = dict(window=64, max_points=5000, max_epochs=1, random_state=0)
    from_panel = SRCNNAnnotator(**params).fit(panel)
    from_list = SRCNNAnnotator(**params).fit([pd.Series(v) for v in values])
    probe = pd.Series(values[0])
    assert_array_equal(
        from_panel.transform_scores(probe), from_list.transform_scores(probe)
    )


def test_panel_with_two_variables_raises():
    panel = np.zeros((2, 2, 50))
    with pytest.raises(ValueError, match="2 variables per series"):
        SRAnnotator().fit(panel)


def test_srcnn_holdout_zero_calibrates_on_training_series(rng):
    """Without a held-out part, the threshold comes from the whole series."""
    detector = SRCNNAnnotator(holdout=0.0, random_state=0, **FAST_CNN)
    detector.fit(spiky_series(rng, spikes=()))
    flagged = detector.predict(spiky_series(rng))["ilocs"].tolist()
    assert 450 in flagged
    assert len(flagged) <= 0.05 * 600


def test_srcnn_short_series_keeps_full_segments(rng):
    """A short series in a list does not shorten the segments of the others."""
    detector = SRCNNAnnotator(window=64, max_points=2000, random_state=0)
    long, short = rng.normal(size=600), rng.normal(size=20)
    inputs, targets = detector._training_set(
        [long, short], [None, None], np.random.default_rng(0)
    )
    assert inputs.shape[2] == detector._context() + detector.segment_length
    # The short series' segments are padded on the left, with no target there.
    padded = targets[(targets == -1).sum(axis=1) > detector._context()]
    assert padded.shape[0] > 0
    assert ((padded >= 0).sum(axis=1) == short.size).all()
