from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"
KPI_TEST = DATA / "kpi" / "54350a12-7a9d-3ca8-b81f-f886b9d156fd.csv.gz"
KPI_TRAIN = DATA / "kpi" / "54350a12-7a9d-3ca8-b81f-f886b9d156fd.train.csv.gz"
NAB_DIR = DATA / "nab"


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def kpi_test_raw():
    """KPI 54350a12 test part as stored: rows with gaps, no re-gridding."""
    return pd.read_csv(KPI_TEST)
