"""Spectral Residual anomaly detector for sktime."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from sktime_srcnn._detector_base import (
    SklearnCompatibleDetector,
    labelled_series,
    resolve_rng,
)
from sktime_srcnn._params import (
    MODE_CONSTRAINTS,
    SR_CONSTRAINTS,
    THRESHOLD_CONSTRAINTS,
    sr_kwargs,
    validate_params,
)
from sktime_srcnn.spectral_residual import (
    sliding_spectral_residual,
    spectral_residual,
)

__all__ = ["SRAnnotator"]

_CONSTRAINTS = {
    **THRESHOLD_CONSTRAINTS,
    **MODE_CONSTRAINTS,
    **SR_CONSTRAINTS,
    "calibration_rate": [Interval(Real, 0, 0.5, closed="right")],
    "random_state": ["random_state", np.random.Generator],
}


class SRAnnotator(SklearnCompatibleDetector):
    """Flag points whose Spectral Residual score exceeds a threshold.

    Scores each point with the Spectral Residual method of Ren et al. (2019),
    from the trailing ``window`` points ("sliding" mode, as an online service
    would) or from the whole series at once ("global" mode), and flags the
    points whose score is above the threshold.

    With ``threshold=None`` (the default) ``fit`` chooses the threshold
    without labels: it copies each training series, injects synthetic point
    anomalies at ``calibration_rate`` of its points (see
    :func:`~sktime_srcnn.injection.inject_anomalies`), scores the copies and
    picks the one threshold that maximises the pooled F1 of finding the
    injected points. A short series is copied several times, so that at
    least about 500 synthetic anomalies are injected per series (at most 20
    copies). Anomalies
    already present in the training data count as false alarms there, which
    pushes the threshold up, unless they are given as labels ``y``: known
    anomalies count as anomalies to find.

    Parameters
    ----------
    threshold : float or None, default=None
        Score above which a point is flagged; None calibrates it in ``fit``.
        Ren et al. (2019) use 3; on the AIOps 2018 KPIs scored in sliding
        mode, 4 to 5 works better.
    mode : {"sliding", "global"}, default="sliding"
        "sliding" scores each point from the ``window`` points ending at it;
        "global" transforms the whole series at once.
    window : int, default=1440
        Trailing window of "sliding" mode, in points (one day of minute
        data). A series no longer than the window is scored globally.
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
        Line from the estimate back to the first value, in "global" mode
        only; see :func:`~sktime_srcnn.spectral_residual.saliency_map`.
    pad_to_fast_length : bool or "auto", default="auto"
        Lengthen the extension to a fast FFT length.
    calibration_rate : float, default=0.01
        Share of points given a synthetic anomaly when calibrating.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the synthetic anomalies. Equal seeds give equal thresholds. A
        Generator is advanced by ``fit``; a numpy RandomState is accepted too
        and seeds a new Generator.
    n_jobs : int or None, default=None
        Threads used in "sliding" mode; None means 1, -1 all cores.

    Attributes
    ----------
    threshold_ : float
        Threshold used by ``predict``: ``threshold`` when given, else the
        calibrated one.

    See Also
    --------
    SRCNNAnnotator : Detector that classifies saliency maps with a CNN.
    SRSeriesTransformer : The scores as an sktime transformer.

    Notes
    -----
    Univariate series with a strictly increasing index; points are scored
    by position. ``fit`` needs at least 12 points per series, and
    ``predict`` flags nothing on a series shorter than 12 points. Missing
    values are filled by linear interpolation and the filled points are
    never flagged. Scores are
    invariant to multiplying the series by a positive constant.

    References
    ----------
    .. [1] H. Ren et al., "Time-Series Anomaly Detection Service at
       Microsoft", KDD 2019. https://arxiv.org/abs/1906.03821

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sktime_srcnn import SRAnnotator
    >>> rng = np.random.default_rng(0)
    >>> y = pd.Series(np.sin(np.arange(400) / 6) + rng.normal(0, 0.05, 400))
    >>> y.iloc[300] += 3
    >>> detector = SRAnnotator(window=100, random_state=0).fit(y)
    >>> detector.predict(y)["ilocs"].tolist()
    [300, 301]
    """

    _tags = {
        "authors": ["sktime-srcnn developers"],
        "task": "anomaly_detection",
        "learning_type": "unsupervised",
        "capability:multivariate": False,
        "capability:missing_values": True,
        "capability:random_state": True,
        "property:randomness": "derandomized",
        "X_inner_mtype": ["pd.DataFrame", "df-list"],
        "fit_is_empty": False,
    }

    def __init__(
        self,
        threshold=None,
        mode="sliding",
        window=1440,
        filter_size=3,
        score_window=21,
        n_extend=5,
        n_gradient=5,
        anchor="previous",
        bridge_length=16,
        pad_to_fast_length="auto",
        calibration_rate=0.01,
        random_state=None,
        n_jobs=None,
    ):
        self.threshold = threshold
        self.mode = mode
        self.window = window
        self.filter_size = filter_size
        self.score_window = score_window
        self.n_extend = n_extend
        self.n_gradient = n_gradient
        self.anchor = anchor
        self.bridge_length = bridge_length
        self.pad_to_fast_length = pad_to_fast_length
        self.calibration_rate = calibration_rate
        self.random_state = random_state
        self.n_jobs = n_jobs
        super().__init__()

    def _scores(self, values: np.ndarray, start: int = 0) -> np.ndarray:
        """Score ``values[start:]``; all points are computed either way."""
        return self._all_scores(values)[start:]

    def _all_scores(self, values: np.ndarray) -> np.ndarray:
        kwargs = sr_kwargs(self)
        if self.mode == "global":
            return spectral_residual(values, **kwargs)
        head = spectral_residual(values[: self.window], **kwargs)
        kwargs["bridge_length"] = 0
        scores = sliding_spectral_residual(
            values, window=self.window, n_jobs=self.n_jobs, **kwargs
        )
        # The points before the first full window are scored within that
        # window in global mode. The bridge keeps its start from looking
        # salient, while the newest points score better without it.
        scores[: head.size - 1] = head[:-1]
        return scores

    def _fit(self, X, y=None):
        validate_params(self, _CONSTRAINTS)
        series = labelled_series(X, y)
        if self.threshold is not None:
            self.threshold_ = float(self.threshold)
            return self

        # Short series get several injected copies, so that the threshold
        # rests on enough synthetic anomalies.
        rng = resolve_rng(self.random_state)
        parts = [(values, known, 0) for values, known in series]
        self.threshold_ = self._calibrate(parts, self.calibration_rate, rng)
        return self

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
            Parameters of the test instances.
        """
        return [
            {"window": 16, "random_state": 0},
            {"mode": "global", "threshold": 3.0},
            {"window": 8, "score_window": 5, "anchor": "last", "random_state": 1},
        ]
