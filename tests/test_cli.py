import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sktime_srcnn import cli
from sktime_srcnn.cli import main
from sktime_srcnn.io import read_series
from sktime_srcnn.metrics import (
    delay_precision_recall_f1,
    pointwise_precision_recall_f1,
)

SPIKES = [150, 320, 321, 480]
DROPPED = [100, 101, 102, 400]


def _labelled_frame(rng, n_points=600) -> pd.DataFrame:
    """A noisy sine at 1 min steps with labelled spikes, in file layout."""
    values = np.sin(np.arange(n_points) / 9) + rng.normal(0, 0.05, n_points)
    spikes = [spike for spike in SPIKES if spike < n_points]
    values[spikes] += 4
    labels = np.zeros(n_points, dtype=int)
    labels[spikes] = 1
    times = pd.date_range("2024-05-01", periods=n_points, freq="min")
    return pd.DataFrame(
        {
            "timestamp": times.strftime("%Y-%m-%d %H:%M:%S"),
            "value": values,
            "label": labels,
        }
    )


@pytest.fixture
def labelled_csv(tmp_path, rng):
    """Labelled series with rows missing at ``DROPPED``."""
    path = tmp_path / "labelled.csv"
    _labelled_frame(rng).drop(index=DROPPED).to_csv(path, index=False)
    return path


@pytest.fixture
def dst_csv(tmp_path, rng):
    """Series at 15 min steps in Europe/Berlin across the spring DST change."""
    times = pd.date_range(
        "2021-03-27 12:00", periods=160, freq="15min", tz="Europe/Berlin"
    )
    values = np.sin(np.arange(160) / 5) + rng.normal(0, 0.05, 160)
    values[90] += 4
    frame = pd.DataFrame({"timestamp": [t.isoformat() for t in times], "value": values})
    # Two rows missing in the file become filled points on the grid.
    frame = frame.drop(index=[40, 41])
    path = tmp_path / "berlin.csv"
    frame.to_csv(path, index=False)
    return path, times.delete([40, 41])


def _flagged_rows(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("timestamp"))
    rows = []
    for line in lines[start + 1 :]:
        if not line[:1].isdigit():
            break
        rows.append(line)
    return rows


def test_detect_shipped_series(capsys):
    assert main(["detect", "--method", "sr"]) == 0
    out, err = capsys.readouterr()
    assert "the shipped KPI example" in out
    assert "8784 points" in out
    assert "Flagged " in out
    assert "with SRAnnotator" in out
    assert len(_flagged_rows(out)) >= 1
    assert "delay-7 precision" in out
    assert "point-wise precision" in out
    assert "F1 " in out
    # stderr is not a terminal under capsys, so no progress is shown.
    assert err == ""


def test_no_command_runs_detect(capsys):
    assert main(["--method", "sr", "--window", "64", "--threshold", "3"]) == 0
    out, _ = capsys.readouterr()
    assert "the shipped KPI example" in out
    assert "threshold 3)" in out


def test_flagged_table_and_metrics(capsys, labelled_csv):
    threshold = 3.0
    args = ["detect", str(labelled_csv), "--method", "sr", "--window", "64"]
    code = main([*args, "--threshold", str(threshold), "--delay", "2"])
    assert code == 0
    out, _ = capsys.readouterr()

    # Recompute flags and scores from the detector with the same options.
    from sktime_srcnn import SRAnnotator

    frame = read_series(labelled_csv)
    values = pd.Series(frame["value"].to_numpy())
    detector = SRAnnotator(threshold=threshold, window=64).fit(values)
    scores = detector.transform_scores(values).to_numpy()
    original = ~frame["is_filled"].to_numpy()
    flags = (scores > threshold) & original

    assert flags.sum() > 0
    assert f"Flagged {flags.sum()} of {len(frame)} points" in out
    rows = _flagged_rows(out)
    assert len(rows) == min(flags.sum(), cli.MAX_ROWS)
    assert rows[0].startswith(str(frame.index[np.flatnonzero(flags)[0]]))

    labels = frame["label"].to_numpy()[original]
    predicted = flags[original].astype(int)
    p, r, f1 = delay_precision_recall_f1(labels, predicted, delay=2)
    assert f"delay-2 precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}" in out
    p, r, f1 = pointwise_precision_recall_f1(labels, predicted)
    assert f"point-wise precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}" in out
    assert f"{len(SPIKES)} anomalous points in 3 segments" in out
    assert f"among the {original.sum()} points read from the file" in out


def test_table_is_capped(capsys, labelled_csv):
    # A threshold below every score flags every point read from the file.
    args = ["detect", str(labelled_csv), "--method", "sr", "--window", "64"]
    assert main([*args, "--threshold=-1e9"]) == 0
    out, _ = capsys.readouterr()
    n_read = 600 - len(DROPPED)
    assert f"Flagged {n_read} of 600 points" in out
    assert len(_flagged_rows(out)) == cli.MAX_ROWS
    assert f"... and {n_read - cli.MAX_ROWS} more flagged points" in out


def test_output_csv(tmp_path, labelled_csv, capsys):
    output = tmp_path / "scores.csv"
    args = ["detect", str(labelled_csv), "--method", "sr", "--window", "64"]
    assert main([*args, "--threshold=-1e9", "--output", str(output)]) == 0
    assert f"Wrote 600 rows to {output}" in capsys.readouterr().out

    table = pd.read_csv(output)
    assert list(table.columns) == [
        "timestamp",
        "value",
        "score",
        "flag",
        "is_filled",
        "label",
    ]
    assert len(table) == 600
    frame = read_series(labelled_csv)
    pd.testing.assert_index_equal(
        pd.DatetimeIndex(pd.to_datetime(table["timestamp"])),
        frame.index,
        check_names=False,
        exact=False,
    )
    np.testing.assert_allclose(table["value"], frame["value"])
    assert table["is_filled"].to_numpy().nonzero()[0].tolist() == DROPPED
    # Filled points are never flagged, whatever the threshold.
    np.testing.assert_array_equal(table["flag"], 1 - table["is_filled"])
    np.testing.assert_array_equal(table["label"], frame["label"])


def test_output_csv_dst_timestamps(tmp_path, dst_csv, capsys):
    path, times = dst_csv
    output = tmp_path / "berlin_scores.csv"
    args = ["detect", str(path), "--method", "sr", "--window", "32"]
    assert main([*args, "--output", str(output)]) == 0
    capsys.readouterr()

    table = pd.read_csv(output)
    assert len(table) == 160
    assert "label" not in table.columns
    written = pd.DatetimeIndex(pd.to_datetime(table["timestamp"], utc=True))
    assert written.is_monotonic_increasing
    assert (np.diff(written) == pd.Timedelta("15min")).all()
    # The rows of the file map back to the same instants.
    original = table["is_filled"].to_numpy() == 0
    assert original.sum() == len(times)
    assert (written[original] == times.tz_convert("UTC")).all()
    assert table["timestamp"].str.endswith("+00:00").all()
    assert table.loc[~original, "flag"].eq(0).all()


def test_plot_png(tmp_path, labelled_csv, capsys):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "detection.png"
    args = ["detect", str(labelled_csv), "--method", "sr", "--window", "64"]
    assert main([*args, "--plot", str(plot)]) == 0
    assert f"Saved the plot to {plot}" in capsys.readouterr().out
    assert plot.stat().st_size > 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_column_options(tmp_path, rng, capsys):
    frame = _labelled_frame(rng, n_points=200).rename(
        columns={"timestamp": "when", "value": "cpu"}
    )
    frame["other"] = 1.0
    path = tmp_path / "renamed.csv"
    frame.to_csv(path, index=False)
    args = ["detect", str(path), "--method", "sr", "--window", "64"]
    assert main(args) == 2
    assert "timestamp" in capsys.readouterr().err
    options = ["--timestamp-column", "when", "--column", "cpu"]
    assert main([*args, *options]) == 0
    assert "200 points" in capsys.readouterr().out


def test_progress_on_terminal(monkeypatch, labelled_csv, capsys):
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)
    args = ["detect", str(labelled_csv), "--method", "sr", "--window", "64"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    for stage in ("reading", "fitting SRAnnotator on 600 points", "scoring", "done"):
        assert stage in err
    assert "fitting" not in out


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "missing.csv"
    assert main(["detect", str(missing), "--method", "sr"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("sktime-srcnn: error: File ")
    assert "not found" in err
    assert "Traceback" not in err
    assert out == ""


def test_non_numeric_value(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "timestamp,value\n"
        "2024-01-01 00:00,1.0\n"
        "2024-01-01 00:01,oops\n"
        "2024-01-01 00:02,3.0\n"
    )
    assert main(["detect", str(path), "--method", "sr"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("sktime-srcnn: error: ")
    assert "non-numeric value 'oops' in row 1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--window", "0"], "--window: must be an integer >= 2, got 0"),
        (["--delay", "-1"], "--delay: must be 0 or more"),
        (["--threshold", "nan"], "--threshold: must be a finite number"),
        (["--method", "lof"], "invalid choice: 'lof'"),
        (["--column", "cpu"], "no PATH was given"),
        (["--output", "/nonexistent-dir/out.csv"], "does not exist"),
        (["--output", "."], "is a directory"),
        (["--plot", "out.unknown-format"], "matplotlib cannot write"),
    ],
)
def test_invalid_arguments(args, message, capsys):
    if "--plot" in args:
        pytest.importorskip("matplotlib")
    assert main(["detect", "--method", "sr", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_plot_without_matplotlib(monkeypatch, capsys):
    from sktime_srcnn import plotting

    def missing_matplotlib(caller):
        raise ImportError(f"{caller} needs matplotlib, which is not installed.")

    monkeypatch.setattr(plotting, "_require_matplotlib", missing_matplotlib)
    assert main(["detect", "--method", "sr", "--plot", "out.png"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "sktime-srcnn: error: --plot needs matplotlib, which is not installed.\n"
    )


def test_detector_options():
    args = cli.build_parser().parse_args(
        ["detect", "--method", "sr", "--threshold", "4.5", "--window", "99"]
        + ["--seed", "3"]
    )
    detector = cli._make_detector(args, verbose=1)
    assert type(detector).__name__ == "SRAnnotator"
    params = detector.get_params()
    assert params["threshold"] == 4.5
    assert params["window"] == 99
    assert params["random_state"] == 3

    defaults = cli.build_parser().parse_args(["detect", "--method", "sr"])
    params = cli._make_detector(defaults, verbose=0).get_params()
    assert params["threshold"] is None
    assert params["window"] == 1440
    assert params["random_state"] == 0


def test_detector_options_srcnn():
    pytest.importorskip("sktime_srcnn.srcnn_detector")
    args = cli.build_parser().parse_args(["detect", "--window", "64"])
    detector = cli._make_detector(args, verbose=1)
    assert type(detector).__name__ == "SRCNNAnnotator"
    assert detector.get_params()["window"] == 64
    assert detector.get_params()["verbose"] == 1


def test_help_and_version(capsys):
    assert main(["--help"]) == 0
    assert "detect" in capsys.readouterr().out
    assert main(["detect", "--help"]) == 0
    assert "--output FILE.csv" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("sktime-srcnn ")


def test_method_srcnn(labelled_csv, capsys):
    pytest.importorskip("sktime_srcnn.srcnn_detector")
    args = ["detect", str(labelled_csv), "--method", "srcnn", "--window", "64"]
    assert main([*args, "--seed", "0"]) == 0
    out, _ = capsys.readouterr()
    assert "with SRCNNAnnotator" in out
    assert "delay-7 precision" in out


def test_python_m_subprocess(labelled_csv):
    result = subprocess.run(
        [sys.executable, "-m", "sktime_srcnn", "detect", "--method", "sr"]
        + [str(labelled_csv), "--window", "64"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Flagged " in result.stdout
    assert "Traceback" not in result.stderr
