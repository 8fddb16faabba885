import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from sktime_srcnn.spectral_residual import (
    extend_series,
    extension_length,
    last_point_score,
    saliency_map,
    scores_from_saliency,
    sliding_spectral_residual,
    spectral_residual,
)


def naive_sliding(x, window, **kwargs):
    """Reference for sliding mode: one global-mode call per window."""
    n = len(x)
    out = np.empty(n)
    head = spectral_residual(x[:window], **kwargs)
    out[: len(head)] = head
    for t in range(window, n):
        out[t] = spectral_residual(x[t - window + 1 : t + 1], **kwargs)[-1]
    return out


def noisy_sine(rng, n, noise=0.05):
    return np.sin(np.arange(n) / 7) + rng.normal(0, noise, n)


def test_extension_matches_formula():
    """The estimate is x[a-m+1] + m * mean((a - x[a-i]) / i)."""
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    a, m = 6, 5  # anchor "previous": the point before the newest
    gradient = np.mean([(x[a] - x[a - i]) / i for i in range(1, m + 1)])
    expected = x[a - m + 1] + m * gradient
    extended = extend_series(x, n_extend=3, n_gradient=m)
    assert_allclose(extended[-3:], expected)
    assert_allclose(extended[:-3], x)


def test_extension_anchor_last_uses_newest_point():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    a, m = 7, 5
    gradient = np.mean([(x[a] - x[a - i]) / i for i in range(1, m + 1)])
    extended = extend_series(x, n_extend=2, n_gradient=m, anchor="last")
    assert_allclose(extended[-2:], x[a - m + 1] + m * gradient)


def test_extension_short_series_uses_available_points():
    assert_allclose(extend_series([4.0], n_extend=2), [4.0, 4.0, 4.0])
    assert_allclose(extend_series([1.0, 2.0], n_extend=1), [1.0, 2.0, 1.0])


def test_saliency_matches_direct_formula(rng):
    """Saliency equals |irfft(exp(L - mean_q(L)) * exp(i phase))|."""
    x = rng.normal(size=50)
    ext = extend_series(x, n_extend=5)
    spectrum = np.fft.rfft(ext)
    log_amp = np.log(np.abs(spectrum))
    padded = np.concatenate([log_amp[1:2], log_amp, log_amp[-2:-1]])
    average = (padded[:-2] + padded[1:-1] + padded[2:]) / 3
    residual = np.exp(log_amp - average) * np.exp(1j * np.angle(spectrum))
    expected = np.abs(np.fft.irfft(residual, n=ext.size))[:50]
    got = saliency_map(x, bridge_length=0, pad_to_fast_length=False)
    assert_allclose(got, expected, rtol=1e-10)


def test_scores_match_preceding_mean(rng):
    saliency = rng.uniform(0.5, 2.0, size=40)
    z = 5
    scores = scores_from_saliency(saliency, score_window=z)
    for i in range(z, 40):
        mean = saliency[i - z : i].mean()
        assert scores[i] == pytest.approx((saliency[i] - mean) / mean)
    head_mean = (saliency[: z + 1].sum() - saliency[0]) / z
    assert scores[0] == pytest.approx((saliency[0] - head_mean) / head_mean)


def test_scores_keep_sign():
    scores = scores_from_saliency([2.0, 2.0, 2.0, 0.5], score_window=3)
    assert scores[-1] == pytest.approx(-0.75)


@pytest.mark.parametrize("window", [1, 5, 21, 22, 64])
@pytest.mark.parametrize("anchor", ["previous", "last"])
def test_sliding_equals_naive_loop(rng, window, anchor):
    x = noisy_sine(rng, 300)
    x[150] += 3
    kwargs = dict(anchor=anchor, bridge_length=0)
    got = sliding_spectral_residual(x, window=window, chunk_size=37, **kwargs)
    assert_allclose(got, naive_sliding(x, window, **kwargs), rtol=0, atol=1e-9)


def test_sliding_threads_and_saliency_output(rng):
    x = noisy_sine(rng, 500)
    one = sliding_spectral_residual(x, window=100, output="saliency")
    two = sliding_spectral_residual(
        x, window=100, output="saliency", n_jobs=2, chunk_size=50
    )
    assert_allclose(one, two, rtol=0, atol=0)
    naive = [
        saliency_map(x[t - 99 : t + 1], bridge_length=0)[-1] for t in range(99, 500)
    ]
    assert_allclose(one[99:], naive, atol=1e-12)


def test_sliding_short_series_equals_global(rng):
    x = noisy_sine(rng, 50)
    assert_allclose(
        sliding_spectral_residual(x, window=100),
        spectral_residual(x, bridge_length=0),
    )


def test_last_point_score_equals_global(rng):
    x = noisy_sine(rng, 200)
    assert last_point_score(x) == pytest.approx(
        spectral_residual(x, bridge_length=0)[-1], abs=1e-12
    )


def test_anchor_previous_finds_newest_point_spikes(rng):
    """A spike at the newest point is found with the earlier anchor only."""
    found = {"previous": 0, "last": 0}
    for seed in range(4):
        x = noisy_sine(np.random.default_rng(seed), 400)
        x[-1] += 1.5
        for anchor in found:
            found[anchor] += last_point_score(x, anchor=anchor) > 3
    assert found["previous"] == 4
    assert found["last"] == 0


def test_fast_length_padding():
    assert extension_length(1440) == 5
    assert extension_length(1440, pad_to_fast_length=True) == 18
    n_fft = 10**6 + extension_length(10**6)
    assert n_fft % 2 == 0
    assert max(p for p in (2, 3, 5) if n_fft % p == 0) <= 5


def test_fast_length_changes_scores_little(rng):
    x = noisy_sine(rng, 1000)
    x[500] += 2
    exact = spectral_residual(x, pad_to_fast_length=False)
    padded = spectral_residual(x, pad_to_fast_length=True)
    assert np.argmax(exact) == np.argmax(padded) == 500
    assert padded[500] == pytest.approx(exact[500], rel=0.1)
    assert np.corrcoef(exact, padded)[0, 1] > 0.9


def test_bridge_removes_start_artifact(rng):
    x = np.sin(np.linspace(0, 10, 2000)) + rng.uniform(-0.05, 0.05, 2000)
    assert spectral_residual(x, bridge_length=0)[0] > 3
    assert spectral_residual(x)[:20].max() < 3


def test_spikes_at_first_points_found():
    ramp = np.arange(57.0, 177.0, 5.0)
    ramp[0], ramp[1] = 182.0, 37.0
    scores = spectral_residual(ramp)
    assert scores[0] > 3
    assert scores[1] > 3
    assert scores[2:].max() < 3


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_short_rows_finite_without_warnings(n):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = spectral_residual(np.arange(n, dtype=float) ** 2)
        saliency = saliency_map(np.ones((2, n)))
    assert scores.shape == (n,)
    assert np.isfinite(scores).all()
    assert np.isfinite(saliency).all()


@pytest.mark.parametrize(
    "x",
    [np.ones(1000), np.zeros(1000), np.full(100, 5.0, dtype=np.float32)],
    ids=["ones", "zeros", "float32-fives"],
)
def test_constant_series_scores_zero(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = spectral_residual(x)
        sliding = sliding_spectral_residual(x, window=50)
    assert np.abs(scores).max() < 1e-6
    assert np.abs(sliding).max() < 1e-6


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float32, bool])
def test_dtypes_match_float64(rng, dtype):
    x = rng.integers(0, 2 if dtype is bool else 200, size=300).astype(dtype)
    assert_allclose(spectral_residual(x), spectral_residual(x.astype(float)))


def test_input_not_mutated(rng):
    x = rng.normal(size=200)
    before = x.copy()
    spectral_residual(x)
    sliding_spectral_residual(x, window=50)
    extend_series(x)
    assert_allclose(x, before, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        ([], ValueError, "at least 1 point"),
        ([1.0, np.nan, 2.0], ValueError, "got nan at position 1"),
        ([1.0, np.inf], ValueError, "got inf at position 1"),
        (np.array([1 + 2j, 3j]), TypeError, "complex128"),
        (np.array(["a", "b"]), TypeError, "<U1"),
        (np.ones((2, 2, 2)), ValueError, "3 dimensions"),
    ],
)
def test_invalid_input_errors(x, error, match):
    with pytest.raises(error, match=match):
        spectral_residual(x)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filter_size": 0}, "filter_size must be an int >= 1, got 0"),
        ({"score_window": -1}, "score_window must be an int >= 1, got -1"),
        ({"n_extend": 2.5}, "n_extend must be an int, got 2.5"),
        ({"anchor": "first"}, "anchor must be 'previous' or 'last', got 'first'"),
        ({"pad_to_fast_length": "yes"}, "pad_to_fast_length must be True"),
    ],
)
def test_invalid_parameter_errors(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        spectral_residual(np.ones(10), **kwargs)


@pytest.mark.parametrize("window", [0, -3])
def test_invalid_window_errors(window):
    with pytest.raises(ValueError, match=f"window must be an int >= 1, got {window}"):
        sliding_spectral_residual(np.ones(10), window=window)


finite_series = arrays(
    np.float64,
    st.integers(1, 200),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None)
@given(x=finite_series, scale=st.floats(1e-3, 1e3))
def test_property_finite_and_scale_invariant(x, scale):
    scores = spectral_residual(x)
    assert scores.shape == x.shape
    assert np.isfinite(scores).all()
    # Points whose saliency is at the round-off level of the row have no
    # stable score, so compare only where the saliency is clearly resolved.
    saliency = saliency_map(x)
    resolved = saliency > 1e-6 * max(saliency.max(), 1e-300)
    scaled = spectral_residual(x * scale)
    assert_allclose(scaled[resolved], scores[resolved], rtol=1e-5, atol=1e-5)


def test_real_kpi_top_scores_in_anomalies(kpi_test_raw):
    """Top-scored points fall in labelled anomalies far more than by chance.

    The criterion: among the 1% highest scores, the share of labelled points
    is at least five times the share of labelled points in the whole file.
    """
    values = kpi_test_raw["value"].to_numpy()
    labels = kpi_test_raw["label"].to_numpy().astype(bool)
    scores = sliding_spectral_residual(values, window=1440)
    top = np.argsort(scores)[-len(scores) // 100 :]
    assert labels[top].mean() >= 5 * labels.mean()
