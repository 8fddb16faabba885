"""Spectral Residual and SR-CNN anomaly detection for scikit-learn and sktime."""

from sktime_srcnn.sktime_transformer import SRSeriesTransformer
from sktime_srcnn.transformer import SRTransformer

__version__ = "0.1.0"

__all__ = ["SRSeriesTransformer", "SRTransformer", "__version__"]
