"""sktime transformer of Spectral Residual scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions
from sktime.transformations.base import BaseTransformer

from sktime_srcnn._detector_base import check_time_index, real_values
from sktime_srcnn._params import (
    MODE_CONSTRAINTS,
    SR_CONSTRAINTS,
    sr_kwargs,
    validate_params,
)
from sktime_srcnn.spectral_residual import (
    saliency_map,
    sliding_spectral_residual,
    spectral_residual,
)

__all__ = ["SRSeriesTransformer"]

_CONSTRAINTS = {
    "output": [StrOptions({"score", "saliency"})],
    **MODE_CONSTRAINTS,
    **SR_CONSTRAINTS,
}


def _is_univariate(X) -> bool:
    """Return True if ``X`` is one plain series, not a panel or a frame.

    An sktime panel can be a one-column DataFrame whose object cells hold
    series (mtype ``nested_univ``), so object columns do not count.
    """
    if isinstance(X, (pd.Series, pd.DataFrame)):
        if isinstance(X.index, pd.MultiIndex):
            return False
        if isinstance(X, pd.DataFrame):
            if X.shape[1] != 1:
                return False
            return not pd.api.types.is_object_dtype(X.dtypes.iloc[0])
        return True
    return isinstance(X, np.ndarray) and X.ndim == 1


class SRSeriesTransformer(BaseTransformer):
    """Spectral Residual scores of a time series, for sktime.

    Transforms a series into the series of its Spectral Residual scores (or
    saliency values) on the same index. A multivariate input is transformed
    column by column.

    Parameters
    ----------
    mode : {"global", "sliding"}, default="global"
        "global" scores the whole series with one FFT; "sliding" scores each
        point from the trailing ``window`` points, as an online detector
        would (see
        :func:`~sktime_srcnn.spectral_residual.sliding_spectral_residual`).
    window : int, default=1440
        Trailing window length in "sliding" mode; ignored in "global" mode.
        A series no longer than ``window`` is scored in global mode.
    output : {"score", "saliency"}, default="score"
        Return scores or saliency values.
    filter_size : int, default=3
        Width ``q`` of the moving average over the log amplitude spectrum.
    score_window : int, default=21
        Number of preceding saliency values a point is compared with (``z``).
    n_extend : int, default=5
        Number of estimated points appended before the FFT (``kappa``).
    n_gradient : int, default=5
        Number of points used for the extension gradient (``m``).
    anchor : {"previous", "last"}, default="previous"
        Point the extension gradient is anchored at.
    bridge_length : int, default=16
        Minimum length of the line from the estimate back to the first value.
        Used in "global" mode; "sliding" mode appends no bridge to its
        windows (see
        :func:`~sktime_srcnn.spectral_residual.sliding_spectral_residual`).
    pad_to_fast_length : bool or "auto", default="auto"
        Lengthen the extension to a fast FFT length.
    n_jobs : int or None, default=None
        Threads used in "sliding" mode; None means 1, -1 all cores.

    See Also
    --------
    SRTransformer : scikit-learn transformer of rows of a 2-D array.
    SRAnnotator : Anomaly detector that thresholds these scores.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sktime_srcnn import SRSeriesTransformer
    >>> rng = np.random.default_rng(0)
    >>> y = pd.Series(np.sin(np.arange(200) / 5) + rng.normal(0, 0.05, 200))
    >>> y.iloc[150] += 2
    >>> scores = SRSeriesTransformer().fit(y).transform(y)
    >>> int(scores.idxmax())
    150
    """

    _tags = {
        "authors": ["sktime-srcnn developers"],
        "scitype:transform-input": "Series",
        "scitype:transform-output": "Series",
        "scitype:instancewise": True,
        "capability:multivariate": False,
        "capability:missing_values": False,
        "X_inner_mtype": "pd.Series",
        "fit_is_empty": True,
        "transform-returns-same-time-index": True,
    }

    def __init__(
        self,
        mode="global",
        window=1440,
        output="score",
        filter_size=3,
        score_window=21,
        n_extend=5,
        n_gradient=5,
        anchor="previous",
        bridge_length=16,
        pad_to_fast_length="auto",
        n_jobs=None,
    ):
        self.mode = mode
        self.window = window
        self.output = output
        self.filter_size = filter_size
        self.score_window = score_window
        self.n_extend = n_extend
        self.n_gradient = n_gradient
        self.anchor = anchor
        self.bridge_length = bridge_length
        self.pad_to_fast_length = pad_to_fast_length
        self.n_jobs = n_jobs
        super().__init__()

    def _check_X_y(self, X=None, y=None, return_metadata=False):
        # sktime rejects an unsorted index or complex values with a generic
        # message, so a univariate series is checked first, with messages
        # that name the position. Missing values pass here and are reported
        # by the Spectral Residual functions.
        check_time_index(X)
        if _is_univariate(X):
            real_values(X)
        return super()._check_X_y(X=X, y=y, return_metadata=return_metadata)

    def _transform(self, X, y=None):
        validate_params(self, _CONSTRAINTS)
        kwargs = sr_kwargs(self)
        values = real_values(X)
        if self.mode == "sliding":
            kwargs["bridge_length"] = 0
            result = sliding_spectral_residual(
                values,
                window=self.window,
                output=self.output,
                n_jobs=self.n_jobs,
                **kwargs,
            )
        elif self.output == "saliency":
            del kwargs["score_window"]
            result = saliency_map(values, **kwargs)
        else:
            result = spectral_residual(values, **kwargs)
        return pd.Series(result, index=X.index, name=X.name)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return parameter sets for the sktime estimator checks.

        Parameters
        ----------
        parameter_set : str, default="default"
            Name of the set; all names return the same sets.

        Returns
        -------
        list of dict
            Parameters of three test instances.
        """
        return [
            {},
            {"mode": "sliding", "window": 8, "score_window": 3},
            {"output": "saliency", "anchor": "last", "bridge_length": 0},
        ]
