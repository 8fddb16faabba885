"""Test-session settings shared by the tests, doctests and notebooks."""

import os


def pytest_configure(config):
    """Give torch one thread per pytest-xdist worker.

    Each worker is its own process. With torch's default of one thread per
    core in every worker, the workers' threads outnumber the cores, and the
    many small batches of SR-CNN training then run several times slower.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
