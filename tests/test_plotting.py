import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sktime_srcnn.plotting import plot_detection  # noqa: E402


@pytest.fixture
def detection(rng):
    n_points = 200
    index = pd.date_range("2024-01-01", periods=n_points, freq="5min", name="time")
    values = pd.Series(np.sin(np.arange(n_points) / 8), index=index, name="cpu")
    values.iloc[[50, 120, 121]] += 3
    scores = np.abs(rng.normal(0, 1, n_points))
    scores[[50, 120, 121]] = 6.0
    flags = scores > 4.0
    labels = np.zeros(n_points, dtype=int)
    labels[[49, 50, 120, 121, 122, n_points - 1]] = 1
    return values, scores, flags, labels


def _line(ax, label):
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, f"expected one line labelled {label!r}"
    return matches[0]


def test_plot_detection_png(detection, tmp_path):
    values, scores, flags, labels = detection
    fig = plot_detection(values, scores, flags=flags, threshold=4.0, labels=labels)
    path = tmp_path / "detection.png"
    fig.savefig(path)
    plt.close(fig)
    assert path.stat().st_size > 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_detection_axes_data(detection):
    values, scores, flags, labels = detection
    fig = plot_detection(values, scores, flags=flags, threshold=4.0, labels=labels)
    series_ax, score_ax = fig.axes

    series = _line(series_ax, "series")
    assert (series.get_xdata() == values.index.to_numpy()).all()
    np.testing.assert_array_equal(series.get_ydata(), values.to_numpy())

    flagged = _line(series_ax, "flagged")
    assert len(flagged.get_xdata()) == flags.sum()
    np.testing.assert_array_equal(flagged.get_ydata(), values.to_numpy()[flags])

    score = _line(score_ax, "score")
    np.testing.assert_array_equal(score.get_ydata(), scores)

    threshold = _line(score_ax, "threshold")
    np.testing.assert_array_equal(threshold.get_ydata(), [4.0, 4.0])

    assert series_ax.get_ylabel() == "cpu"
    assert score_ax.get_ylabel() == "score"
    assert score_ax.get_xlabel() == "time"
    assert score_ax.get_shared_x_axes().joined(series_ax, score_ax)
    plt.close(fig)


def test_plot_detection_label_spans(detection):
    values, scores, flags, labels = detection
    fig = plot_detection(values, scores, flags=flags, threshold=4.0, labels=labels)
    series_ax, score_ax = fig.axes
    # Three segments: points 49-50, points 120-122 and the last point.
    assert len(series_ax.patches) == 3
    assert len(score_ax.patches) == 3
    plt.close(fig)


def test_plot_detection_array_input():
    values = np.array([0.0, 1.0, 0.0, 5.0, 0.0])
    scores = np.array([0.1, 0.2, 0.1, 3.0, 0.1])
    fig = plot_detection(values, scores)
    series_ax, score_ax = fig.axes
    series = _line(series_ax, "series")
    np.testing.assert_array_equal(series.get_xdata(), np.arange(5))
    assert [line.get_label() for line in series_ax.get_lines()] == ["series"]
    assert [line.get_label() for line in score_ax.get_lines()] == ["score"]
    assert not series_ax.patches
    assert score_ax.get_xlabel() == "position"
    plt.close(fig)


def test_plot_detection_given_axes():
    fig = Figure()
    axes = fig.subplots(2, 1, sharex=True)
    flags = np.array([0, 0, 1, 0])
    returned = plot_detection([1.0, 2.0, 9.0, 2.0], [0, 0, 5, 0], flags=flags, ax=axes)
    assert returned is fig
    assert len(_line(axes[0], "flagged").get_xdata()) == 1


def test_plot_detection_tz_aware_index(tmp_path):
    index = pd.date_range("2021-03-28", periods=12, freq="30min", tz="Europe/Berlin")
    values = pd.Series(np.arange(12.0), index=index)
    fig = plot_detection(values, np.zeros(12), threshold=1.0)
    series = _line(fig.axes[0], "series")
    assert (series.get_xdata() == index.to_numpy()).all()
    fig.savefig(tmp_path / "tz.png")
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"scores": np.zeros(3)}, "scores has 3 points but values has 4"),
        ({"flags": [0, 1, 2, 0]}, "flags must contain only 0/1"),
        ({"labels": np.zeros(5)}, "labels has 5 points"),
        ({"ax": [None]}, "ax must be two axes"),
    ],
)
def test_plot_detection_invalid_input(kwargs, match):
    arguments = {"values": np.arange(4.0), "scores": np.zeros(4), **kwargs}
    with pytest.raises(ValueError, match=match):
        plot_detection(**arguments)
    plt.close("all")


def test_plot_detection_without_matplotlib(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(ImportError, match=r"pip install \"sktime-srcnn\[plot\]\""):
        plot_detection(np.arange(4.0), np.zeros(4))
