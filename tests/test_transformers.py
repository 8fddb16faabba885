import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from numpy.testing import assert_allclose
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks
from sktime.utils.estimator_checks import check_estimator as sktime_check

from sktime_srcnn import SRSeriesTransformer, SRTransformer
from sktime_srcnn.spectral_residual import (
    saliency_map,
    sliding_spectral_residual,
    spectral_residual,
)


@parametrize_with_checks([SRTransformer(), SRTransformer(output="saliency")])
def test_sklearn_checks(estimator, check):
    check(estimator)


def test_sktime_checks():
    results = sktime_check(SRSeriesTransformer, raise_exceptions=False)
    failed = {name: result for name, result in results.items() if result != "PASSED"}
    assert failed == {}


def test_transformer_matches_core(rng):
    X = rng.normal(size=(4, 64))
    assert_allclose(SRTransformer().fit_transform(X), spectral_residual(X))
    saliency = SRTransformer(output="saliency").fit(X).transform(X)
    assert_allclose(saliency, saliency_map(X))


def test_transformer_pandas_output(rng):
    X = pd.DataFrame(rng.normal(size=(3, 10)), columns=[f"t{i}" for i in range(10)])
    out = SRTransformer().set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(X.columns)


def test_transformer_invalid_parameter_message():
    with pytest.raises(ValueError, match="'score_window' parameter of SRTransformer"):
        SRTransformer(score_window=0).fit(np.ones((2, 5)))


def test_transformer_row_length_must_match(rng):
    model = SRTransformer().fit(rng.normal(size=(2, 10)))
    with pytest.raises(ValueError, match="10 features"):
        model.transform(rng.normal(size=(2, 12)))


def test_grid_search_on_real_kpi_windows(kpi_test_raw):
    """GridSearchCV over an SR parameter beats chance on real labelled windows.

    Each sample is the 64-point window ending at a point of KPI 54350a12, and
    its target is that point's label. Balanced accuracy above 0.6 is clearly
    better than the 0.5 of chance.
    """
    values = kpi_test_raw["value"].to_numpy()
    labels = kpi_test_raw["label"].to_numpy()
    windows = sliding_window_view(values, 64)
    targets = labels[63:]
    positives = np.flatnonzero(targets == 1)
    negatives = np.flatnonzero(targets == 0)[::10]
    rows = np.sort(np.concatenate([positives, negatives]))

    pipeline = Pipeline(
        [
            ("sr", SRTransformer()),
            ("clf", LogisticRegression(class_weight="balanced", max_iter=500)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        {"sr__score_window": [5, 21]},
        cv=3,
        scoring="balanced_accuracy",
    )
    search.fit(windows[rows], targets[rows])
    assert search.best_score_ > 0.6


def test_series_transformer_keeps_index(rng):
    index = pd.date_range("2024-03-30", periods=100, freq="h", tz="Europe/Berlin")
    y = pd.Series(rng.normal(size=100), index=index, name="load")
    out = SRSeriesTransformer().fit(y).transform(y)
    assert out.index.equals(index)
    assert out.name == "load"
    assert_allclose(out.to_numpy(), spectral_residual(y.to_numpy()))


def test_series_transformer_sliding_mode(rng):
    y = pd.Series(rng.normal(size=300))
    out = SRSeriesTransformer(mode="sliding", window=50).fit(y).transform(y)
    assert_allclose(out.to_numpy(), sliding_spectral_residual(y.to_numpy(), window=50))


def test_series_transformer_invalid_mode():
    y = pd.Series(np.ones(10))
    with pytest.raises(ValueError, match="'mode' parameter of SRSeriesTransformer"):
        SRSeriesTransformer(mode="online").fit(y).transform(y)
