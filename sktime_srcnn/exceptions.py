"""Warnings raised by the package."""

__all__ = ["CalibrationWarning"]


class CalibrationWarning(UserWarning):
    """A detector could not calibrate its threshold and used a fallback.

    Raised by ``fit`` when no threshold separates the synthetic anomalies
    from the other points of the calibration data. The detector then uses
    the highest calibration score as its threshold, so that it flags few
    points rather than all of them. Passing ``threshold=...`` avoids it.
    """
