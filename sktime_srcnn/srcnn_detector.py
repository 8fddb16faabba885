"""SR-CNN anomaly detector for sktime: a CNN trained on synthetic anomalies."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.utils._param_validation import Interval
from skorch import NeuralNet
from skorch.callbacks import ProgressBar
from torch import nn

from sktime_srcnn._detector_base import (
    SklearnCompatibleDetector,
    injection_positions,
    labelled_series,
    resolve_rng,
)
from sktime_srcnn._params import (
    SR_CONSTRAINTS,
    THRESHOLD_CONSTRAINTS,
    validate_params,
)
from sktime_srcnn.injection import inject_anomalies
from sktime_srcnn.network import SaliencyCNN
from sktime_srcnn.spectral_residual import (
    _reference_means,
    _relative_scores,
    _resolve_n_jobs,
    _saliency_rows,
)

__all__ = ["SRCNNAnnotator"]

_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]
_CONSTRAINTS = {
    **THRESHOLD_CONSTRAINTS,
    **{k: v for k, v in SR_CONSTRAINTS.items() if k != "bridge_length"},
    "window": [Interval(Integral, 2, None, closed="left")],
    "cnn_window": _POSITIVE_INT,
    "max_windows": _POSITIVE_INT,
    "injection_rate": [Interval(Real, 0, 0.5, closed="right")],
    "newest_share": [Interval(Real, 0, 1, closed="both")],
    "holdout": [Interval(Real, 0, 0.9, closed="both")],
    "calibration_rate": [Interval(Real, 0, 0.5, closed="right")],
    "sr_weight": [Interval(Real, 0, None, closed="left")],
    "channels": _POSITIVE_INT,
    "kernel_size": _POSITIVE_INT,
    "hidden": _POSITIVE_INT,
    "n_models": _POSITIVE_INT,
    "max_epochs": _POSITIVE_INT,
    "batch_size": _POSITIVE_INT,
    "lr": [Interval(Real, 0, None, closed="neither")],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state", np.random.Generator],
    "verbose": ["verbose"],
    "n_jobs": [Integral, None],
}

#: Bridge length used for the first window of a series, whose early points
#: are scored from blocks of its saliency; see ``saliency_map``.
FIRST_WINDOW_BRIDGE = 16

#: Number of windows whose saliency is computed in one batch.
_CHUNK = 2048


class SRCNNAnnotator(SklearnCompatibleDetector):
    """SR-CNN: a CNN that finds anomalies in Spectral Residual saliency maps.

    The detector of Ren et al. (2019), trained on the unlabeled series it is
    fitted on. ``fit`` copies each series, injects synthetic point anomalies
    (see :func:`~sktime_srcnn.injection.inject_anomalies`), computes the
    saliency map of trailing windows of ``window`` points and trains a small
    1-D CNN (:class:`~sktime_srcnn.network.SaliencyCNN`, through skorch) to
    mark the injected points among the last ``cnn_window`` saliency values of
    each window. Every point is then scored from the window that ends at it,
    as an online service would score the newest point.

    Training data, in detail:

    - The training part of each series is its first ``1 - holdout`` share.
      Copies of it get synthetic anomalies at ``injection_rate`` of their
      points, at uniformly drawn positions, with sizes scaled by a
      log-uniform factor in [0.05, 1]. More copies are made until there are
      about ``max_windows`` windows in all, spread over the series by length.
    - A sample is one window: the last ``cnn_window`` saliency values,
      divided by the window's mean saliency (which makes the input
      scale-free), and 0/1 labels marking the injected points among them.
    - A share ``newest_share`` of the windows end at an injected point; the
      others end at evenly spaced points of each copy.

    The score of a point is the CNN's logit for it plus ``sr_weight`` times
    its Spectral Residual score, standardised with the mean and standard
    deviation of the newest points of the evenly spaced training windows.
    With ``threshold=None`` (the default) ``fit`` chooses the threshold
    without labels: it injects anomalies into the held out last ``holdout``
    share of each series (in several copies when that share is short, for
    about 500 anomalies), scores it, and picks the one threshold with the
    best pooled F1 on the injected points.

    Parameters
    ----------
    threshold : float or None, default=None
        Score above which a point is flagged; None calibrates it in ``fit``.
    window : int, default=1440
        Trailing window whose saliency map is computed, in points.
    cnn_window : int, default=128
        Number of last saliency values of each window read by the CNN.
    max_windows : int, default=10000
        Approximate number of training windows over all series.
    injection_rate : float, default=0.02
        Share of points given a synthetic anomaly in training copies.
    newest_share : float, default=0.5
        Share of training windows that end at an injected point. Points are
        scored by the CNN output for the newest point of a window, which
        evenly spaced windows would rarely label as anomalous.
    holdout : float, default=0.2
        Share at the end of each series held out from training to calibrate
        the threshold; unused when ``threshold`` is given.
    calibration_rate : float, default=0.01
        Share of held-out points given a synthetic anomaly when calibrating,
        as in ``SRAnnotator``. A higher share lowers the calibrated
        threshold.
    sr_weight : float, default=1.0
        Weight of the standardised SR score added to the CNN's logit; 0
        scores with the CNN alone.
    channels : int, default=16
        Channels of the first convolution (skorch's ``module__channels``).
    kernel_size : int, default=7
        Width of the convolution kernels (``module__kernel_size``).
    hidden : int, default=64
        Units of the hidden fully connected layer (``module__hidden``).
    n_models : int, default=3
        Number of networks trained with different seeds; a point's logit is
        their mean. A single network's F1 varies by several hundredths from
        seed to seed; the mean varies less.
    max_epochs : int, default=8
        Training epochs.
    batch_size : int, default=256
        Windows per training batch.
    lr : float, default=1e-3
        Learning rate of the Adam optimizer.
    weight_decay : float, default=0.0
        Weight decay of Adam (``optimizer__weight_decay``).
    filter_size : int, default=3
        Width ``q`` of the moving average over the log amplitude spectrum.
    score_window : int, default=21
        Number of preceding saliency values for the SR score (``z``).
    n_extend : int, default=5
        Number of estimated points appended before the FFT (``kappa``).
    n_gradient : int, default=5
        Number of points used for the extension gradient (``m``).
    anchor : {"previous", "last"}, default="previous"
        Point the extension gradient is anchored at.
    pad_to_fast_length : bool or "auto", default="auto"
        Lengthen the extension to a fast FFT length.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the injections and of the network's initialisation and
        shuffling. Equal seeds give bit-identical scores. Fitting and
        predicting leave numpy's and torch's global random state unchanged.
    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar per training epoch.
    n_jobs : int or None, default=None
        Threads computing the saliency maps of windows; None means 1, -1
        all cores. The network runs in torch's own thread pool.

    Attributes
    ----------
    threshold_ : float
        Threshold used by ``predict``.
    nets_ : list of skorch.NeuralNet
        The trained networks, ``n_models`` of them.
    input_length_ : int
        Number of saliency values per CNN input, ``cnn_window`` or less for
        short series.
    sr_mean_, sr_std_ : float
        Standardisation of the SR score.

    See Also
    --------
    SRAnnotator : Detector that thresholds the SR score alone.

    Notes
    -----
    Univariate series with a strictly increasing index; points are scored
    by position. ``fit`` needs at least 12 points per series, and
    ``predict`` flags nothing on a series shorter than 12 points. Missing
    values are filled by linear interpolation and the filled points are
    never flagged. ``fit`` takes one series or a list
    of series and trains one model on all of them. Labels are optional:
    known anomalies passed as ``y`` are labelled in the training windows and
    in the calibration data in addition to the synthetic ones, the
    semi-supervised use that Ren et al. (2019) report as SR+DNN.

    References
    ----------
    .. [1] H. Ren et al., "Time-Series Anomaly Detection Service at
       Microsoft", KDD 2019. https://arxiv.org/abs/1906.03821

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sktime_srcnn import SRCNNAnnotator
    >>> rng = np.random.default_rng(0)
    >>> y = pd.Series(np.sin(np.arange(600) / 6) + rng.normal(0, 0.05, 600))
    >>> y.iloc[500] += 3
    >>> detector = SRCNNAnnotator(window=64, cnn_window=32, max_epochs=3,
    ...                           max_windows=500, random_state=0).fit(y)
    >>> 500 in detector.predict(y)["ilocs"].tolist()
    True
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
        "python_dependencies": ["torch", "skorch"],
    }

    def __init__(
        self,
        threshold=None,
        window=1440,
        cnn_window=128,
        max_windows=10000,
        injection_rate=0.02,
        newest_share=0.5,
        holdout=0.2,
        calibration_rate=0.01,
        sr_weight=1.0,
        channels=16,
        kernel_size=7,
        hidden=64,
        n_models=3,
        max_epochs=8,
        batch_size=256,
        lr=1e-3,
        weight_decay=0.0,
        filter_size=3,
        score_window=21,
        n_extend=5,
        n_gradient=5,
        anchor="previous",
        pad_to_fast_length="auto",
        random_state=None,
        verbose=0,
        n_jobs=None,
    ):
        self.threshold = threshold
        self.window = window
        self.cnn_window = cnn_window
        self.max_windows = max_windows
        self.injection_rate = injection_rate
        self.newest_share = newest_share
        self.holdout = holdout
        self.calibration_rate = calibration_rate
        self.sr_weight = sr_weight
        self.channels = channels
        self.kernel_size = kernel_size
        self.hidden = hidden
        self.n_models = n_models
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.filter_size = filter_size
        self.score_window = score_window
        self.n_extend = n_extend
        self.n_gradient = n_gradient
        self.anchor = anchor
        self.pad_to_fast_length = pad_to_fast_length
        self.random_state = random_state
        self.verbose = verbose
        self.n_jobs = n_jobs
        super().__init__()

    # -- features -----------------------------------------------------------

    def _saliency(self, windows: np.ndarray) -> np.ndarray:
        return _saliency_rows(
            windows,
            self.filter_size,
            self.n_extend,
            self.n_gradient,
            self.anchor,
            0,
            self.pad_to_fast_length,
        )

    def _window_features(self, windows: np.ndarray):
        """Compute CNN inputs and SR scores of the last values of each window.

        ``windows`` has shape (n_rows, w), and both results have shape
        (n_rows, input_length_). When w is shorter than the input, the inputs
        are left-padded with 1 (the mean saliency level) and the SR scores
        with 0 (a neutral score).
        """
        length = self.input_length_
        z = self.score_window
        S = self._saliency(windows)
        width = min(length, S.shape[1])
        row_mean = S.mean(axis=1, keepdims=True)
        scale = np.where(row_mean > 0, row_mean, 1.0)

        # The SR scores of the last `width` points need only the z values
        # before them.
        tail = S[:, -(width + z) :]
        means = _reference_means(tail, z)[:, -width:]
        sr = _relative_scores(tail[:, -width:], means, row_mean)

        inputs = np.ones((S.shape[0], length))
        scores = np.zeros((S.shape[0], length))
        inputs[:, length - width :] = S[:, -width:] / scale
        scores[:, length - width :] = sr
        return inputs, scores

    def _features_at(self, values: np.ndarray, ends: np.ndarray, w: int):
        """Features of the windows of ``w`` points ending at ``ends``."""
        views = sliding_window_view(values, w)
        starts = range(0, ends.size, _CHUNK)

        def run(start):
            return self._window_features(views[ends[start : start + _CHUNK] - w + 1])

        n_threads = _resolve_n_jobs(self.n_jobs)
        if n_threads == 1:
            parts = [run(start) for start in starts]
        else:
            with ThreadPoolExecutor(max_workers=n_threads) as pool:
                parts = list(pool.map(run, starts))
        inputs = np.concatenate([part[0] for part in parts])
        scores = np.concatenate([part[1] for part in parts])
        return inputs, scores

    def _logits(self, inputs: np.ndarray) -> np.ndarray:
        """Mean logit of the trained networks, shape of ``inputs``."""
        modules = [net.module_ for net in self.nets_]
        out = []
        with torch.no_grad():
            for start in range(0, inputs.shape[0], 8192):
                batch = torch.from_numpy(
                    inputs[start : start + 8192].astype(np.float32)
                )
                logits = sum(module.eval()(batch) for module in modules)
                out.append((logits / len(modules)).numpy())
        return np.concatenate(out).astype(np.float64)

    def _combine(self, logits: np.ndarray, sr: np.ndarray) -> np.ndarray:
        return logits + self.sr_weight * (sr - self.sr_mean_) / self.sr_std_

    def _scores(self, values: np.ndarray, start: int = 0) -> np.ndarray:
        """Score ``values[start:]``, each point from the window ending at it."""
        n = values.size
        w = min(self.window, n)
        length = self.input_length_
        scores = np.empty(n)

        # Points from w - 1 on: the last output of the window ending there.
        first_end = max(w - 1, start)
        ends = np.arange(first_end, n)
        if ends.size:
            inputs, sr = self._features_at(values, ends, w)
            logits = self._logits(inputs)[:, -1]
            scores[first_end:] = self._combine(logits, sr[:, -1])

        # Earlier points lie inside the first window: score them from blocks
        # of its saliency, the last block ending at w - 1, left-padded with
        # the mean saliency level.
        if start < w - 1:
            # As in SRAnnotator, the bridge keeps the start of the first
            # window from looking salient.
            S = _saliency_rows(
                values[None, :w],
                self.filter_size,
                self.n_extend,
                self.n_gradient,
                self.anchor,
                FIRST_WINDOW_BRIDGE,
                self.pad_to_fast_length,
            )
            row_mean = S.mean()
            blocks = -(-w // length)
            padded = np.ones(blocks * length)
            padded[-w:] = S[0] / (row_mean if row_mean > 0 else 1.0)
            padded_sr = np.zeros(blocks * length)
            padded_sr[-w:] = _relative_scores(
                S, _reference_means(S, self.score_window)
            )[0]
            logits = self._logits(padded.reshape(blocks, length)).ravel()
            scores[: w - 1] = self._combine(logits, padded_sr)[-w:][: w - 1]
        return scores[start:]

    # -- fitting ------------------------------------------------------------

    def _training_set(self, series, known, rng):
        """Build inputs, labels and SR scores of synthetic training windows.

        Also returns the SR scores of the newest points of the windows that
        end at evenly spaced points, which set the standardisation.
        """
        lengths = np.array([v.size for v in series])
        per_series = np.maximum(1, self.max_windows * lengths // lengths.sum())
        inputs, labels, newest_sr = [], [], []
        for values, known_labels, budget in zip(series, known, per_series, strict=True):
            w = min(self.window, values.size)
            ends_available = values.size - w + 1
            copies = int(min(8, -(-budget // ends_available)))
            per_copy = max(1, budget // copies)
            for _ in range(copies):
                positions = injection_positions(values.size, self.injection_rate, rng)
                injected = inject_anomalies(
                    values, positions, random_state=rng, window=self.window
                )
                truth = np.zeros(values.size)
                if known_labels is not None:
                    truth[:] = known_labels
                truth[positions] = 1.0

                # The CNN is read at the newest point of each window, so a
                # share of the windows end at an injected point.
                candidates = positions[positions >= w - 1]
                # At least one window ends at an evenly spaced point, because
                # those windows set the standardisation of the SR score.
                n_anomalous = min(
                    int(self.newest_share * per_copy), candidates.size, per_copy - 1
                )
                anomalous = rng.choice(candidates, size=n_anomalous, replace=False)
                regular = np.unique(
                    np.linspace(w - 1, values.size - 1, per_copy - n_anomalous).astype(
                        np.intp
                    )
                )
                ends = np.concatenate([regular, anomalous])

                x, sr = self._features_at(injected, ends, w)
                y = np.zeros_like(x)
                width = min(self.input_length_, w)
                y[:, -width:] = sliding_window_view(truth, width)[ends - width + 1]
                inputs.append(x)
                labels.append(y)
                newest_sr.append(sr[: regular.size, -1])
        return np.concatenate(inputs), np.concatenate(labels), np.concatenate(newest_sr)

    def _make_net(self, seed: int) -> NeuralNet:
        generator = torch.Generator().manual_seed(seed)
        callbacks = [ProgressBar()] if self.verbose else []
        return NeuralNet(
            SaliencyCNN,
            module__window=self.input_length_,
            module__channels=self.channels,
            module__kernel_size=self.kernel_size,
            module__hidden=self.hidden,
            criterion=nn.BCEWithLogitsLoss,
            optimizer=torch.optim.Adam,
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=None,
            iterator_train__shuffle=True,
            iterator_train__generator=generator,
            callbacks=callbacks,
            verbose=0,
            device="cpu",
        )

    def _fit(self, X, y=None):
        validate_params(self, _CONSTRAINTS)
        pairs = labelled_series(X, y)
        series = [values for values, _ in pairs]
        known = [labels for _, labels in pairs]
        rng = resolve_rng(self.random_state)
        calibrate = self.threshold is None

        train_parts = []
        for values in series:
            n_train = values.size
            if calibrate and values.size >= 2:
                n_train = values.size - max(1, int(self.holdout * values.size))
            train_parts.append(values[:n_train])
        shortest = min(min(self.window, v.size) for v in train_parts)
        self.input_length_ = int(min(self.cnn_window, shortest))

        known_train = [
            None if labels is None else labels[: part.size]
            for labels, part in zip(known, train_parts, strict=True)
        ]
        inputs, labels, newest_sr = self._training_set(train_parts, known_train, rng)
        self.sr_mean_ = float(newest_sr.mean())
        std = float(newest_sr.std())
        self.sr_std_ = std if std > 0 else 1.0

        # The networks share the training windows and differ in their
        # initialisation and batch order.
        self.nets_ = []
        for seed in rng.integers(2**31 - 1, size=self.n_models):
            net = self._make_net(int(seed))
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(seed))
                net.fit(inputs.astype(np.float32), labels.astype(np.float32))
            self.nets_.append(net)

        if not calibrate:
            self.threshold_ = float(self.threshold)
            return self
        # The held-out end of each series; a series too short to hold out
        # anything is calibrated on in full.
        parts = [
            (values, labels, train.size if train.size < values.size else 0)
            for values, train, labels in zip(series, train_parts, known, strict=True)
        ]
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
            Parameters of two small, fast test instances.
        """
        return [
            {
                "window": 16,
                "cnn_window": 8,
                "max_windows": 64,
                "max_epochs": 2,
                "n_models": 2,
                "random_state": 0,
            },
            {
                "window": 12,
                "cnn_window": 12,
                "max_windows": 32,
                "max_epochs": 1,
                "n_models": 1,
                "channels": 4,
                "hidden": 8,
                "sr_weight": 0.0,
                "threshold": 0.0,
                "random_state": 1,
            },
        ]
