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

from sktime_srcnn._detector_base import (
    MIN_POINTS,
    SklearnCompatibleDetector,
    inject_shifts,
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
from sktime_srcnn.network import MaskedBCEWithLogitsLoss, SaliencyCNN
from sktime_srcnn.spectral_residual import (
    AMPLITUDE_EPS,
    _newest_point,
    _reference_means,
    _relative_scores,
    _resolve_n_jobs,
    _saliency_rows,
    _settings,
)

__all__ = ["SRCNNAnnotator"]

_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]
_CONSTRAINTS = {
    **THRESHOLD_CONSTRAINTS,
    **{k: v for k, v in SR_CONSTRAINTS.items() if k != "bridge_length"},
    "window": [Interval(Integral, 2, None, closed="left")],
    "max_points": _POSITIVE_INT,
    "segment_length": _POSITIVE_INT,
    "injection_rate": [Interval(Real, 0, 0.5, closed="right")],
    "shift_rate": [Interval(Real, 0, 0.5, closed="both")],
    "holdout": [Interval(Real, 0, 0.9, closed="both")],
    "calibration_rate": [Interval(Real, 0, 0.5, closed="right")],
    "channels": _POSITIVE_INT,
    "kernel_size": _POSITIVE_INT,
    "dilation": _POSITIVE_INT,
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

#: Number of features per point that the network reads.
N_FEATURES = 3

#: Spread, relative to the largest magnitude, below which ``_levels`` treats
#: a window as constant.
LEVEL_EPS = 1e-12

#: Bridge length used for the first window of a series, whose early points
#: are scored from its saliency map; see ``saliency_map``.
FIRST_WINDOW_BRIDGE = 16

#: Number of windows whose saliency is computed in one batch.
_CHUNK = 256

#: Number of points the network scores in one pass at prediction time.
_BLOCK = 65536

#: Features whose spread on the training data is below this are rounding
#: noise around a constant; they are not scaled up.
FEATURE_STD_FLOOR = 1e-8

#: Maximum number of injected training copies of one series.
MAX_TRAIN_COPIES = 1024


def _levels(windows: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Return ``points`` in standard deviations from the mean of their window.

    Row ``i`` of ``windows`` is the window that contains ``points[i]``. A
    window whose spread is below ``LEVEL_EPS`` times its largest magnitude
    counts as constant, and its point gets 0.
    """
    # Scaled to a largest magnitude of 1, so that squares cannot overflow.
    magnitude = np.abs(windows).max(axis=1)
    magnitude[magnitude == 0] = 1.0
    unit = windows / magnitude[:, None]
    deviation = points / magnitude - unit.mean(axis=1)
    spread = unit.std(axis=1)
    flat = spread <= LEVEL_EPS
    return np.divide(deviation, spread, out=np.zeros_like(deviation), where=~flat)


class SRCNNAnnotator(SklearnCompatibleDetector):
    """SR-CNN: a CNN that finds anomalies in Spectral Residual saliency.

    The detector of Ren et al. (2019), trained on the unlabeled series it is
    fitted on. ``fit`` copies each series, injects synthetic point anomalies
    and level shifts (see :mod:`sktime_srcnn.injection`) and trains a small
    causal 1-D CNN (:class:`~sktime_srcnn.network.SaliencyCNN`, through
    skorch) to mark them. Every point from the
    ``window``-th on is scored from the window of ``window`` points that ends
    at it, as an online service would score the newest point, so its score
    does not depend on later points. The first ``window - 1`` points are
    scored from the saliency map of the first window.

    The CNN reads a sequence of three features per point, all from the
    window that ends at that point: the logarithm of the point's saliency
    divided by the window's mean saliency; its Spectral Residual score (the
    saliency relative to the ``score_window`` values before it); and its
    value in standard deviations from the window's mean. The last two enter
    as ``sign(s) * log(1 + |s|)``. All three are standardised with their
    means and standard deviations on the training data. The network's
    output for a point depends on the features of the 55 points up to it
    (with the defaults), which lets it tell an isolated salient point from
    a noisy stretch.

    This differs from Ren et al. (2019), whose CNN classifies the saliency
    map of one window and who inject point anomalies only. On the 21 KPIs
    of the AIOps 2018 data, with one threshold calibrated without labels,
    this design reached a pooled delay-7 F1 of 0.797 on average over five
    seeds (0.773 to 0.816), against 0.753 for a classifier of window maps
    and 0.755 for the SR score alone. It ranks short spikes lower than SR
    does; ``shift_rate=0`` trains on point anomalies only. It costs one
    saliency map and a few thousand multiply-adds per point instead of a
    CNN pass over a window per point (see the benchmarks page of the
    documentation).

    Training data, in detail:

    - The training part of each series is its first ``1 - holdout`` share
      (see ``holdout`` for short series). Copies of it get synthetic point
      anomalies at ``injection_rate`` of their points, at uniformly drawn
      positions, with sizes scaled by a log-uniform factor in [0.05, 1].
      Level shifts of the same sizes start at ``shift_rate`` of the points
      (rounded to a whole number, so a copy shorter than 250 points gets
      none with the default) and last 8 to 199 points; the first 8 points
      of each are labelled.
      A series gets as many copies (at most 1024) as its share of
      ``max_points`` needs, the share being in proportion to its length.
    - A sample is a segment of ``segment_length`` consecutive points of a
      copy: their features and 0/1 labels marking the injected points (and
      the known anomalies, when ``y`` is given), after the features of the
      points before them that the network reads as context. Segments tile
      each copy without overlap, or are drawn at random when the copy contains
      more points than its share. A copy shorter than a segment with its
      context is padded on the left by repeating its first point, as the
      network pads the start of any series, and the padding is not learned
      from.

    The score of a point is the mean logit of the ``n_models`` networks.
    With ``threshold=None`` (the default) ``fit`` chooses the threshold
    without labels: it injects anomalies into the held out last ``holdout``
    share of each series (in several copies when that share is short, for
    about 500 anomalies), scores it, and picks the one threshold with the
    best pooled F1 on the injected points. The held-out copies get level
    shifts in the same proportion to point anomalies as the training
    copies.

    Parameters
    ----------
    threshold : float or None, default=None
        Score above which a point is flagged; None calibrates it in ``fit``.
    window : int, default=1440
        Trailing window whose saliency map gives a point's features, in
        points.
    max_points : int, default=1000000
        Approximate number of training points over all series and copies.
        Fitting time grows in proportion to it.
    segment_length : int, default=64
        Points learned from per training segment. Each segment also contains
        the points of context before them that the network reads.
    injection_rate : float, default=0.02
        Share of points given a synthetic anomaly in training copies.
    shift_rate : float, default=0.002
        Share of points where a synthetic level shift starts in training
        copies; 0 trains on point anomalies only, as Ren et al. (2019) do.
    holdout : float, default=0.2
        Share at the end of each series held out from training to calibrate
        the threshold; unused when ``threshold`` is given. A series is not
        split when its held-out share or the rest would hold fewer than 12
        points: it is trained and calibrated on in full, so ``holdout=0``
        calibrates on the training data.
    calibration_rate : float, default=0.01
        Share of held-out points given a synthetic anomaly when calibrating,
        as in ``SRAnnotator``. A higher share lowers the calibrated
        threshold.
    channels : int, default=16
        Channels of the first convolution (skorch's ``module__channels``).
    kernel_size : int, default=7
        Width of the convolution kernels (``module__kernel_size``).
    dilation : int, default=8
        Dilation of the second convolution (``module__dilation``).
    hidden : int, default=64
        Units of the hidden fully connected layer (``module__hidden``).
    n_models : int, default=1
        Number of networks trained with different seeds; a point's score is
        their mean logit.
    max_epochs : int, default=8
        Training epochs.
    batch_size : int, default=32
        Segments per training batch.
    lr : float, default=3e-3
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
    feature_mean_, feature_std_ : ndarray of shape (3,)
        Standardisation of the three input features.

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
    semi-supervised use that Ren et al. (2019) report as SR+DNN. Unlabelled
    anomalies in the training part are learned as normal points. A short
    series is copied many times, so they can teach the network to pass over
    anomalies like them. Fit on a stretch without them, or label them.

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
    >>> detector = SRCNNAnnotator(window=64, max_points=100000,
    ...                           random_state=0).fit(y)
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
        max_points=1_000_000,
        segment_length=64,
        injection_rate=0.02,
        shift_rate=0.002,
        holdout=0.2,
        calibration_rate=0.01,
        channels=16,
        kernel_size=7,
        dilation=8,
        hidden=64,
        n_models=1,
        max_epochs=8,
        batch_size=32,
        lr=3e-3,
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
        self.max_points = max_points
        self.segment_length = segment_length
        self.injection_rate = injection_rate
        self.shift_rate = shift_rate
        self.holdout = holdout
        self.calibration_rate = calibration_rate
        self.channels = channels
        self.kernel_size = kernel_size
        self.dilation = dilation
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

    def _features(self, values: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Raw features of the points ``ends``, shape (N_FEATURES, ends.size).

        Point ``t`` is described by the saliency map of the window of up to
        ``window`` points ending at it. The points before the first full
        window take theirs from the map of the first window, as in
        ``sliding_spectral_residual``.
        """
        w = min(self.window, values.size)
        saliency = np.empty(ends.size)
        mean = np.empty(ends.size)
        score = np.empty(ends.size)
        level = np.empty(ends.size)

        early = np.flatnonzero(ends < w - 1)
        if early.size:
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
            row_mean = S.mean(axis=1, keepdims=True)
            scores = _relative_scores(S, _reference_means(S, self.score_window))
            saliency[early] = S[0, ends[early]]
            mean[early] = row_mean[0, 0]
            score[early] = scores[0, ends[early]]
            level[early] = _levels(values[None, :w], values[ends[early]])

        late = np.flatnonzero(ends >= w - 1)
        settings = _settings(
            self.filter_size,
            self.score_window,
            self.n_extend,
            self.n_gradient,
            self.anchor,
            0,
            self.pad_to_fast_length,
        )
        views = sliding_window_view(values, w)

        def run(start):
            rows = late[start : start + _CHUNK]
            windows = views[ends[rows] - w + 1]
            saliency[rows], mean[rows], score[rows] = _newest_point(windows, settings)
            level[rows] = _levels(windows, windows[:, -1])

        starts = range(0, late.size, _CHUNK)
        n_threads = _resolve_n_jobs(self.n_jobs)
        if n_threads == 1 or late.size <= _CHUNK:
            for start in starts:
                run(start)
        else:
            with ThreadPoolExecutor(max_workers=n_threads) as pool:
                list(pool.map(run, starts))

        # A window without any saliency has a mean of 0; its points are
        # given the floor ratio.
        ratio = saliency / np.where(mean > 0, mean, 1.0)
        return np.stack(
            [
                np.log(np.maximum(ratio, AMPLITUDE_EPS)),
                np.sign(score) * np.log1p(np.abs(score)),
                np.sign(level) * np.log1p(np.abs(level)),
            ]
        )

    def _logits(self, features: np.ndarray) -> np.ndarray:
        """Mean logit of the networks for one sequence of raw features."""
        standard = (features - self.feature_mean_[:, None]) / self.feature_std_[:, None]
        standard = standard.astype(np.float32)
        modules = [net.module_.eval() for net in self.nets_]
        context = modules[0].receptive_field - 1
        n = standard.shape[1]
        out = np.empty(n)
        with torch.no_grad():
            # Blocks overlap by the receptive field, so each output depends on
            # the same points as in one pass over the whole sequence.
            for start in range(0, n, _BLOCK):
                first = max(0, start - context)
                block = torch.from_numpy(standard[None, :, first : start + _BLOCK])
                logits = sum(module(block)[0] for module in modules) / len(modules)
                out[start : start + _BLOCK] = logits[start - first :].numpy()
        return out

    def _scores(self, values: np.ndarray, start: int = 0) -> np.ndarray:
        """Score ``values[start:]``, each point from the window ending at it."""
        context = self.nets_[0].module_.receptive_field - 1
        first = max(0, start - context)
        ends = np.arange(first, values.size)
        return self._logits(self._features(values, ends))[start - first :]

    # -- fitting ------------------------------------------------------------

    def _training_set(self, series, known, rng):
        """Build features (n, N_FEATURES, m) and targets (n, m) of training segments.

        Each segment contains ``segment_length`` points to learn from, preceded
        by ``receptive_field - 1`` points of context whose targets are -1, so
        that the network reads the same history as at prediction time. Both
        are cut to the length of the longest series. A copy too short for
        one segment gives one segment padded on the left by repeating its
        first point, as the network pads the start of a series.
        """
        lengths = np.array([v.size for v in series])
        longest = int(lengths.max())
        length = min(self.segment_length, longest)
        # No series needs more context than it has points.
        context = min(self._context(), longest - length)
        shares = (self.max_points * (lengths / lengths.sum())).astype(np.int64)
        budgets = np.maximum(length, shares)
        offsets = np.arange(context + length)
        inputs, targets = [], []
        for values, known_labels, budget in zip(series, known, budgets, strict=True):
            copies = int(min(MAX_TRAIN_COPIES, -(-budget // values.size)))
            count = max(1, int(budget // (copies * length)))
            for _ in range(copies):
                positions = injection_positions(values.size, self.injection_rate, rng)
                injected = inject_anomalies(
                    values, positions, random_state=rng, window=self.window
                )
                truth = np.zeros(values.size)
                if known_labels is not None:
                    truth[:] = known_labels
                truth[positions] = 1.0
                if self.shift_rate > 0:
                    injected = inject_shifts(
                        injected, truth, self.shift_rate, rng, self.window
                    )
                # Segments tile the copy, or are drawn when there are more
                # tiles than the budget allows. Points before the start of a
                # short copy repeat its first point.
                last = max(0, values.size - context - length)
                starts = np.arange(0, last + 1, length)
                if count < starts.size:
                    starts = np.sort(rng.choice(starts, size=count, replace=False))
                shift = max(0, context + length - values.size)
                points = (starts[:, None] + offsets - shift).ravel()
                # Neighbouring segments share their context points.
                unique, inverse = np.unique(np.maximum(points, 0), return_inverse=True)
                features = self._features(injected, unique)[:, inverse]
                features = features.reshape(N_FEATURES, starts.size, -1)
                inputs.append(features.swapaxes(0, 1))
                target = np.where(points >= 0, truth[np.maximum(points, 0)], -1.0)
                target = target.reshape(starts.size, -1)
                # The segment at the start of the copy has no history, so the
                # network's padding replaces it, as at prediction time.
                target[starts > 0, :context] = -1.0
                targets.append(target)
        return np.concatenate(inputs), np.concatenate(targets)

    def _context(self) -> int:
        """Return the number of earlier points one output depends on."""
        return (self.kernel_size - 1) * (1 + self.dilation)

    def _make_net(self, seed: int) -> NeuralNet:
        generator = torch.Generator().manual_seed(seed)
        callbacks = [ProgressBar()] if self.verbose else []
        return NeuralNet(
            SaliencyCNN,
            module__n_features=N_FEATURES,
            module__channels=self.channels,
            module__kernel_size=self.kernel_size,
            module__dilation=self.dilation,
            module__hidden=self.hidden,
            criterion=MaskedBCEWithLogitsLoss,
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

        # The last ``holdout`` share of each series calibrates the threshold.
        # When either part would be shorter than MIN_POINTS, the series is
        # not split: it is trained and calibrated on in full.
        starts = []
        for values in series:
            held_out = int(self.holdout * values.size) if calibrate else 0
            split = held_out >= MIN_POINTS and values.size - held_out >= MIN_POINTS
            starts.append(values.size - held_out if split else 0)
        train_parts = [
            values[:start] if start else values
            for values, start in zip(series, starts, strict=True)
        ]
        known_train = [
            None if labels is None else labels[: part.size]
            for labels, part in zip(known, train_parts, strict=True)
        ]
        inputs, labels = self._training_set(train_parts, known_train, rng)
        # Context points appear in several segments; the statistics use the
        # points that are learned from.
        learned = inputs.swapaxes(0, 1)[:, labels >= 0]
        self.feature_mean_ = learned.mean(axis=1)
        std = learned.std(axis=1)
        self.feature_std_ = np.where(std > FEATURE_STD_FLOOR, std, 1.0)
        standard = (inputs - self.feature_mean_[:, None]) / self.feature_std_[:, None]

        # The networks share the training segments and differ in their
        # initialisation and batch order.
        self.nets_ = []
        for seed in rng.integers(2**31 - 1, size=self.n_models):
            net = self._make_net(int(seed))
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(seed))
                net.fit(standard.astype(np.float32), labels.astype(np.float32))
            self.nets_.append(net)

        if not calibrate:
            self.threshold_ = float(self.threshold)
            return self
        parts = [
            (values, labels, start)
            for values, labels, start in zip(series, known, starts, strict=True)
        ]
        # Calibration copies get shifts in the same proportion to point
        # anomalies as training copies.
        shift_rate = self.shift_rate * self.calibration_rate / self.injection_rate
        self.threshold_ = self._calibrate(
            parts, self.calibration_rate, rng, shift_rate=shift_rate
        )
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
                "max_points": 256,
                "segment_length": 16,
                "max_epochs": 2,
                "n_models": 2,
                "random_state": 0,
            },
            {
                "window": 12,
                "max_points": 64,
                "segment_length": 8,
                "max_epochs": 1,
                "n_models": 1,
                "channels": 4,
                "dilation": 2,
                "hidden": 8,
                "threshold": 0.0,
                "random_state": 1,
            },
        ]
