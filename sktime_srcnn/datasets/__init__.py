"""Example series shipped with sktime-srcnn."""

from __future__ import annotations

from importlib.resources import as_file, files

import pandas as pd

from sktime_srcnn.io import read_series

__all__ = ["load_kpi_example"]

_KPI_EXAMPLE = "kpi_301c70d8_test.csv.gz"


def load_kpi_example() -> pd.DataFrame:
    """Load a labelled KPI series from the AIOps Challenge 2018.

    The series is the test part of KPI ``301c70d8-1630-35ac-8f96-bc1b6f4359ea``
    of the AIOps Challenge 2018 KPI dataset, which Ren et al. (2019) call
    "KPI" in their evaluation of SR-CNN. It has 8,784 points at 300 s steps
    (about 30.5 days) without gaps, and 2.35% of its points are labelled
    anomalous, in contiguous segments. The file was copied unchanged (then
    gzip-compressed) from the ``srcnn/Test/`` folder of the
    ``microsoft/anomalydetector`` repository at commit ``b2687ac``. The
    dataset's home is ``NetManAIOps/KPI-Anomaly-Detection``. Both
    repositories are under the MIT licence, whose texts are shipped beside
    the file in ``sktime_srcnn/datasets/data/``.

    Returns
    -------
    pandas.DataFrame
        The series as returned by :func:`sktime_srcnn.io.read_series`:
        indexed by a naive DatetimeIndex at 300 s steps (the Unix times of
        the file, read as UTC), with the columns ``value`` (float64),
        ``is_filled`` (bool, all False) and ``label`` (int64, 1 = anomaly).

    Examples
    --------
    >>> from sktime_srcnn.datasets import load_kpi_example
    >>> series = load_kpi_example()
    >>> series.shape
    (8784, 3)
    >>> series.index.freq
    <5 * Minutes>
    >>> int(series["label"].sum())
    206
    >>> bool(series["is_filled"].any())
    False
    """
    resource = files(__name__) / "data" / _KPI_EXAMPLE
    with as_file(resource) as path:
        return read_series(path)
