"""Parameter constraints shared by the estimators of the package.

The tables use scikit-learn's declarative constraint objects, so every
estimator reports an invalid parameter with the same message: the parameter,
the estimator, the accepted values and the value received.
"""

from numbers import Integral, Real

from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

#: Constraints of the Spectral Residual parameters, by parameter name.
SR_CONSTRAINTS = {
    "filter_size": [Interval(Integral, 1, None, closed="left")],
    "score_window": [Interval(Integral, 1, None, closed="left")],
    "n_extend": [Interval(Integral, 0, None, closed="left")],
    "n_gradient": [Interval(Integral, 1, None, closed="left")],
    "anchor": [StrOptions({"previous", "last"})],
    "bridge_length": [Interval(Integral, 0, None, closed="left")],
    "pad_to_fast_length": ["boolean", StrOptions({"auto"})],
}

#: Constraints of the parameters that choose how a long series is scored. A
#: window of 1 point is its own reference, so it scores every point 0.
MODE_CONSTRAINTS = {
    "mode": [StrOptions({"global", "sliding"})],
    "window": [Interval(Integral, 2, None, closed="left")],
    "n_jobs": [Integral, None],
}

#: Constraint of a detection threshold that may be calibrated by ``fit``.
THRESHOLD_CONSTRAINTS = {
    "threshold": [Interval(Real, None, None, closed="neither"), None],
}


def validate_params(estimator, constraints: dict) -> None:
    """Validate the parameters of ``estimator`` named in ``constraints``.

    Raises ``sklearn.utils._param_validation.InvalidParameterError`` (a
    subclass of ``ValueError`` and ``TypeError``) naming the parameter, the
    estimator, the accepted values and the value received.
    """
    params = {name: getattr(estimator, name) for name in constraints}
    validate_parameter_constraints(
        constraints, params, caller_name=type(estimator).__name__
    )


def sr_kwargs(estimator) -> dict:
    """Return the Spectral Residual parameters of ``estimator`` as a dict."""
    return {name: getattr(estimator, name) for name in SR_CONSTRAINTS}
