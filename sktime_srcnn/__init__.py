"""Spectral Residual and SR-CNN anomaly detection for scikit-learn and sktime."""

from sktime_srcnn.exceptions import CalibrationWarning
from sktime_srcnn.sktime_transformer import SRSeriesTransformer
from sktime_srcnn.sr_detector import SRAnnotator
from sktime_srcnn.srcnn_detector import SRCNNAnnotator
from sktime_srcnn.transformer import SRTransformer

__version__ = "0.1.0"

__all__ = [
    "CalibrationWarning",
    "SRAnnotator",
    "SRCNNAnnotator",
    "SRSeriesTransformer",
    "SRTransformer",
    "__version__",
]
