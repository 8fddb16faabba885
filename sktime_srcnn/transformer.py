"""Scikit-learn transformer of Spectral Residual features."""

from __future__ import annotations

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from sktime_srcnn._params import SR_CONSTRAINTS, sr_kwargs
from sktime_srcnn.spectral_residual import (
    _as_float64,
    _as_rows,
    saliency_map,
    spectral_residual,
)

__all__ = ["SRTransformer"]


class SRTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Spectral Residual scores (or saliency) of each row of a 2-D array.

    Each row of ``X`` is one series or one window of a series, with time
    along the columns. ``transform`` scores every row independently with one
    FFT (the global mode of :func:`~sktime_srcnn.spectral_residual.spectral_residual`)
    and returns an array of the same shape. Rows cut from a long series with
    a sliding window make a feature matrix for any scikit-learn classifier.

    The transformer learns nothing from the data: ``fit`` validates the
    parameters and records the number of columns.

    Parameters
    ----------
    output : {"score", "saliency"}, default="score"
        Return the score of each point or its saliency.
    filter_size : int, default=3
        Width ``q`` of the moving average over the log amplitude spectrum.
    score_window : int, default=21
        Number of preceding saliency values a point is compared with
        (``z``); unused when ``output="saliency"``.
    n_extend : int, default=5
        Number of estimated points appended before the FFT (``kappa``).
    n_gradient : int, default=5
        Number of points used for the extension gradient (``m``).
    anchor : {"previous", "last"}, default="previous"
        Point the extension gradient is anchored at: the one before the
        newest point, or the newest point as in Ren et al. (2019).
    bridge_length : int, default=16
        Minimum length of a line from the estimate back to the first value
        of the row, which stops the start of each row from looking salient.
    pad_to_fast_length : bool or "auto", default="auto"
        Lengthen the extension to a fast FFT length.

    Attributes
    ----------
    n_features_in_ : int
        Number of time points per row seen in ``fit``. ``transform`` needs
        rows of the same length.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen in ``fit``, when ``X`` is a DataFrame with string
        column names.

    See Also
    --------
    SRSeriesTransformer : The same scores for sktime, on one series.
    sktime_srcnn.spectral_residual.sliding_spectral_residual : Online scores.

    Notes
    -----
    Scores are invariant to multiplying a row by a positive constant. Rows
    of one point score 0. See
    :func:`~sktime_srcnn.spectral_residual.scores_from_saliency` for how the
    first ``score_window`` points of a row are scored.

    References
    ----------
    .. [1] H. Ren et al., "Time-Series Anomaly Detection Service at
       Microsoft", KDD 2019. https://arxiv.org/abs/1906.03821

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_srcnn import SRTransformer
    >>> rng = np.random.default_rng(0)
    >>> X = np.sin(np.arange(100) / 4) + rng.normal(0, 0.05, (3, 100))
    >>> X[1, 60] += 3
    >>> scores = SRTransformer().fit_transform(X)
    >>> scores.shape
    (3, 100)
    >>> int(np.argmax(scores[1]))
    60
    """

    _parameter_constraints: dict = {
        "output": [StrOptions({"score", "saliency"})],
        **SR_CONSTRAINTS,
    }

    def __init__(
        self,
        output="score",
        filter_size=3,
        score_window=21,
        n_extend=5,
        n_gradient=5,
        anchor="previous",
        bridge_length=16,
        pad_to_fast_length="auto",
    ):
        self.output = output
        self.filter_size = filter_size
        self.score_window = score_window
        self.n_extend = n_extend
        self.n_gradient = n_gradient
        self.anchor = anchor
        self.bridge_length = bridge_length
        self.pad_to_fast_length = pad_to_fast_length

    def fit(self, X, y=None):
        """Validate the parameters and record the row length of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_series, n_timepoints)
            Series, one per row.
        y : None
            Ignored.

        Returns
        -------
        self : SRTransformer
            The fitted transformer.
        """
        self._validate_params()
        self._validate_rows(X, reset=True)
        return self

    def transform(self, X):
        """Score every point of every row.

        Parameters
        ----------
        X : array-like of shape (n_series, n_timepoints)
            Series, one per row, with as many columns as in ``fit``.

        Returns
        -------
        ndarray of shape (n_series, n_timepoints)
            Scores, or saliency values when ``output="saliency"``.
        """
        check_is_fitted(self)
        X = self._validate_rows(X, reset=False)
        kwargs = sr_kwargs(self)
        if self.output == "saliency":
            del kwargs["score_window"]
            return saliency_map(X, **kwargs)
        return spectral_residual(X, **kwargs)

    def _validate_rows(self, X, reset: bool):
        """Validate ``X`` with scikit-learn, naming the first invalid value.

        scikit-learn's own messages for text, complex and missing values do
        not say where the value is, so the value's row and position are
        added here.
        """
        try:
            X_valid = validate_data(
                self, X, dtype="numeric", ensure_all_finite=False, reset=reset
            )
        except ValueError as error:
            if issparse(X):
                raise
            try:
                _as_float64(np.asarray(X))
            except TypeError as detail:
                # scikit-learn's checks expect its wording for complex data.
                prefix = ""
                if "Complex data not supported" in str(error):
                    prefix = "Complex data not supported. "
                raise ValueError(f"{prefix}{detail}") from error
            except ValueError:
                # Ragged rows, which scikit-learn's message describes better.
                pass
            raise
        # Raises a ValueError naming the first NaN or infinite value.
        _as_rows(X_valid)
        return X_valid

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
