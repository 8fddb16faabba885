import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator
from sklearn.metrics import average_precision_score, f1_score
from sklearn.model_selection import GridSearchCV, KFold

from sktime_srcnn.metrics import (
    best_delay_f1,
    best_f1,
    delay_f1_curve,
    delay_precision_recall_f1,
    make_delay_f1_scorer,
    point_adjust,
    pointwise_precision_recall_f1,
    pr_auc,
)

# --------------------------------------------------------------------------
# point_adjust
# --------------------------------------------------------------------------


def test_adjust_detected_segment_filled():
    """A flag within the delay marks the whole segment."""
    y_true = [0, 1, 1, 1, 1, 1, 0]
    y_pred = [0, 0, 0, 1, 0, 0, 0]
    assert_array_equal(point_adjust(y_true, y_pred, delay=2), [0, 1, 1, 1, 1, 1, 0])


def test_adjust_late_flag_removed():
    """A flag after the delay does not detect the segment and is dropped."""
    y_true = [0, 1, 1, 1, 1, 1, 0]
    y_pred = [0, 0, 0, 0, 1, 0, 0]
    assert_array_equal(point_adjust(y_true, y_pred, delay=2), [0, 0, 0, 0, 0, 0, 0])


def test_adjust_delay_zero():
    """With delay 0 only the first point of a segment counts."""
    y_true = [1, 1, 0, 1, 1]
    y_pred = [1, 0, 0, 0, 1]
    assert_array_equal(point_adjust(y_true, y_pred, delay=0), [1, 1, 0, 0, 0])


def test_adjust_segment_at_start():
    y_true = [1, 1, 1, 0, 0]
    y_pred = [0, 1, 0, 0, 0]
    assert_array_equal(point_adjust(y_true, y_pred, delay=1), [1, 1, 1, 0, 0])


def test_adjust_segment_at_end():
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 0, 0, 0, 1]
    assert_array_equal(point_adjust(y_true, y_pred, delay=2), [0, 0, 1, 1, 1])
    assert_array_equal(point_adjust(y_true, y_pred, delay=1), [0, 0, 0, 0, 0])


def test_adjust_adjacent_segments_separate():
    """Two segments split by one normal point are judged separately."""
    y_true = [1, 1, 0, 1, 1]
    y_pred = [0, 1, 0, 0, 0]
    assert_array_equal(point_adjust(y_true, y_pred, delay=1), [1, 1, 0, 0, 0])


def test_adjust_keeps_false_positives():
    y_true = [0, 1, 1, 0, 0]
    y_pred = [1, 0, 0, 1, 1]
    assert_array_equal(point_adjust(y_true, y_pred, delay=7), [1, 0, 0, 1, 1])


def test_adjust_single_point_segments():
    y_true = [1, 0, 1, 0, 1]
    y_pred = [1, 0, 0, 0, 1]
    assert_array_equal(point_adjust(y_true, y_pred, delay=0), [1, 0, 0, 0, 1])


def test_adjust_accepts_bool_and_series():
    y_true = pd.Series([False, True, True, False])
    y_pred = np.array([False, False, True, False])
    adjusted = point_adjust(y_true, y_pred, delay=0)
    assert adjusted.dtype == np.int8
    assert_array_equal(adjusted, [0, 0, 0, 0])
    assert_array_equal(point_adjust(y_true, y_pred, delay=1), [0, 1, 1, 0])


def test_adjust_nullable_int_labels():
    y_true = pd.Series([0, 1, 1, 0], dtype="Int64")
    y_pred = pd.Series([0, 1, 0, 0], dtype="Int64")
    assert_array_equal(point_adjust(y_true, y_pred), [0, 1, 1, 0])


def test_adjust_list_returns_list():
    adjusted = point_adjust([[1, 1], [0, 1, 1]], [[0, 1], [0, 0, 0]], delay=1)
    assert isinstance(adjusted, list)
    assert_array_equal(adjusted[0], [1, 1])
    assert_array_equal(adjusted[1], [0, 0, 0])


def test_adjust_does_not_mutate_input():
    y_true = np.array([0, 1, 1, 1])
    y_pred = np.array([0, 1, 0, 0])
    point_adjust(y_true, y_pred)
    assert_array_equal(y_pred, [0, 1, 0, 0])


def test_adjust_empty_series():
    assert point_adjust([], []).shape == (0,)


# --------------------------------------------------------------------------
# delay_precision_recall_f1
# --------------------------------------------------------------------------


def test_delay_scores_hand_worked():
    """Segment of 4 detected, segment of 2 missed, 2 false positives."""
    y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    precision, recall, f1 = delay_precision_recall_f1(y_true, y_pred, delay=1)
    # TP = 4, FP = 2, FN = 2.
    assert precision == pytest.approx(4 / 6)
    assert recall == pytest.approx(4 / 6)
    assert f1 == pytest.approx(2 * 4 / (2 * 4 + 2 + 2))


def test_delay_scores_delay_zero_misses():
    y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    # No segment is flagged at its first point: TP = 0, FP = 2, FN = 6.
    assert delay_precision_recall_f1(y_true, y_pred, delay=0) == (0.0, 0.0, 0.0)


def test_delay_scores_perfect():
    y_true = [0, 1, 1, 0, 1]
    assert delay_precision_recall_f1(y_true, y_true) == (1.0, 1.0, 1.0)


def test_delay_scores_return_floats():
    result = delay_precision_recall_f1([0, 1], [0, 1])
    assert all(type(value) is float for value in result)


def test_delay_scores_no_positives_no_flags():
    """Nothing labelled and nothing flagged scores 0 without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert delay_precision_recall_f1([0, 0, 0], [0, 0, 0]) == (0.0, 0.0, 0.0)


def test_delay_scores_no_positives_with_flags():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert delay_precision_recall_f1([0, 0, 0], [0, 1, 0]) == (0.0, 0.0, 0.0)


def test_delay_scores_nothing_flagged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert delay_precision_recall_f1([0, 1, 1], [0, 0, 0]) == (0.0, 0.0, 0.0)


def test_delay_scores_pooled_counts():
    """Counts are summed over the series before the ratios."""
    y_true = [[0, 1, 1, 1], [1, 0, 0], [0, 0]]
    y_pred = [[0, 1, 0, 0], [0, 1, 0], [1, 0]]
    # Series 0: TP 3. Series 1: FN 1, FP 1. Series 2: FP 1.
    precision, recall, f1 = delay_precision_recall_f1(y_true, y_pred, delay=0)
    assert precision == pytest.approx(3 / 5)
    assert recall == pytest.approx(3 / 4)
    assert f1 == pytest.approx(6 / 9)


def test_delay_scores_segments_do_not_span_series():
    """A segment at the end of one series and the start of the next is two."""
    y_true = [[0, 1, 1], [1, 1, 0]]
    y_pred = [[0, 1, 0], [0, 0, 0]]
    pooled = delay_precision_recall_f1(y_true, y_pred, delay=0)
    assert pooled == pytest.approx((1.0, 0.5, 2 / 3))
    joined = delay_precision_recall_f1(sum(y_true, []), sum(y_pred, []), delay=0)
    assert joined == (1.0, 1.0, 1.0)


def test_delay_scores_tuple_of_arrays():
    y_true = (np.array([0, 1]), np.array([1, 0]))
    y_pred = (np.array([0, 1]), np.array([1, 0]))
    assert delay_precision_recall_f1(y_true, y_pred) == (1.0, 1.0, 1.0)


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def test_validation_length_mismatch():
    with pytest.raises(ValueError, match=r"different lengths \(3 and 2\)"):
        delay_precision_recall_f1([0, 1, 0], [0, 1])


def test_validation_length_mismatch_names_series():
    with pytest.raises(ValueError, match="in series 1"):
        delay_precision_recall_f1([[0], [0, 1]], [[0], [0]])


def test_validation_non_binary_label():
    with pytest.raises(ValueError, match="y_true must contain only 0/1.*got 2 at"):
        delay_precision_recall_f1([0, 2, 1], [0, 1, 1])


def test_validation_non_binary_prediction():
    with pytest.raises(ValueError, match=r"y_pred .* position 1.*\(scores >"):
        point_adjust([0, 1, 1], [0, 0.7, 1])


def test_validation_nan_label():
    with pytest.raises(ValueError, match="y_true must contain only 0/1.*nan"):
        delay_precision_recall_f1([0.0, np.nan], [0, 1])


def test_validation_missing_nullable_label():
    y_true = pd.Series([0, None, 1], dtype="Int64")
    with pytest.raises(ValueError, match="y_true .* position 1"):
        delay_precision_recall_f1(y_true, [0, 0, 1])


def test_validation_string_label():
    with pytest.raises(ValueError, match="y_pred .*'yes' at position 1"):
        delay_precision_recall_f1([0, 1], np.array([0, "yes"], dtype=object))


def test_validation_nan_score():
    with pytest.raises(ValueError, match=r"scores contains NaN at position 2"):
        delay_f1_curve([0, 1, 0], [0.1, 0.2, np.nan])


def test_validation_nan_score_in_series():
    with pytest.raises(ValueError, match="NaN at position 0 in series 1"):
        best_delay_f1([[0, 1], [1]], [[0.1, 0.2], [np.nan]])


def test_validation_text_scores():
    with pytest.raises(TypeError, match="scores must contain real numbers"):
        best_f1([0, 1], np.array(["a", "b"]))


@pytest.mark.parametrize("delay", [-1, -7])
def test_validation_negative_delay(delay):
    with pytest.raises(ValueError, match=rf"delay must be >= 0, got {delay}"):
        point_adjust([0, 1], [0, 1], delay=delay)


@pytest.mark.parametrize("delay", [1.5, 7.0, "7", True, None])
def test_validation_non_int_delay(delay):
    with pytest.raises(TypeError, match="delay must be an int"):
        delay_precision_recall_f1([0, 1], [0, 1], delay=delay)


def test_validation_numpy_int_delay():
    assert delay_precision_recall_f1([0, 1], [0, 1], delay=np.int64(3))[2] == 1.0


def test_validation_list_and_single():
    with pytest.raises(ValueError, match="y_true is a list of series but y_pred"):
        delay_precision_recall_f1([[0, 1], [1]], [0, 1, 1])


def test_validation_series_count_mismatch():
    with pytest.raises(ValueError, match="y_true contains 2 series but y_pred"):
        delay_precision_recall_f1([[0, 1], [1]], [[0, 1]])


def test_validation_two_dimensional():
    with pytest.raises(ValueError, match=r"must be 1-D.*shape \(2, 2\)"):
        delay_precision_recall_f1(np.zeros((2, 2)), np.zeros((2, 2)))


# --------------------------------------------------------------------------
# delay_f1_curve and best_delay_f1
# --------------------------------------------------------------------------


def _brute_force_curve(y_true, scores, delay):
    thresholds = np.unique(np.concatenate([np.ravel(s) for s in scores]))
    rows = []
    for threshold in thresholds:
        flags = [np.asarray(s) >= threshold for s in scores]
        rows.append(delay_precision_recall_f1(y_true, flags, delay=delay))
    return rows


def test_curve_hand_worked():
    y_true = [0, 0, 1, 1, 1, 0]
    scores = [0.1, 0.4, 0.2, 0.9, 0.3, 0.5]
    thresholds, precision, recall, f1 = delay_f1_curve(y_true, scores, delay=1)
    # The score 0.3 is the third point of the segment, past the delay.
    assert_allclose(thresholds, [0.1, 0.4, 0.5, 0.9])
    assert_allclose(precision, [3 / 6, 3 / 5, 3 / 4, 1.0])
    assert_allclose(recall, [1.0, 1.0, 1.0, 1.0])
    assert_allclose(f1, [6 / 9, 6 / 8, 6 / 7, 1.0])


def test_curve_matches_thresholded_scores():
    """Each point of the curve equals scoring ``scores >= threshold``."""
    rng = np.random.default_rng(0)
    y_true = (rng.random(300) < 0.15).astype(int)
    scores = np.round(rng.random(300), 2)
    thresholds, precision, recall, f1 = delay_f1_curve(y_true, scores, delay=3)
    for i, threshold in enumerate(thresholds):
        expected = delay_precision_recall_f1(y_true, scores >= threshold, delay=3)
        assert precision[i] == pytest.approx(expected[0])
        assert recall[i] == pytest.approx(expected[1])
        assert f1[i] == pytest.approx(expected[2])


def test_curve_pooled_lists():
    y_true = [[0, 1, 1, 0], [1, 1, 0]]
    scores = [[0.2, 0.1, 0.8, 0.3], [0.6, 0.4, 0.7]]
    thresholds, precision, recall, f1 = delay_f1_curve(y_true, scores, delay=0)
    expected = np.array(_brute_force_curve(y_true, scores, delay=0))
    kept = np.isin(np.unique(np.concatenate(scores)), thresholds)
    assert_allclose(np.c_[precision, recall, f1], expected[kept])


def test_curve_no_positives():
    thresholds, precision, recall, f1 = delay_f1_curve([0, 0, 0], [0.3, 0.1, 0.3])
    assert_allclose(thresholds, [0.1, 0.3])
    assert_allclose(precision, [0.0, 0.0])
    assert_allclose(recall, [0.0, 0.0])
    assert_allclose(f1, [0.0, 0.0])


def test_curve_empty():
    thresholds, precision, recall, f1 = delay_f1_curve([], [])
    assert thresholds.shape == (0,)
    assert f1.shape == (0,)


def test_best_delay_hand_worked():
    y_true = [0, 0, 1, 1, 1, 0]
    scores = [0.1, 0.4, 0.2, 0.9, 0.3, 0.5]
    f1, threshold = best_delay_f1(y_true, scores, delay=1)
    assert f1 == 1.0
    assert threshold == pytest.approx(0.7)


def test_best_delay_reproduced_by_strict_flags():
    rng = np.random.default_rng(1)
    y_true = np.zeros(2000, dtype=int)
    for start in rng.choice(1900, 20, replace=False):
        y_true[start : start + rng.integers(1, 40)] = 1
    scores = rng.random(2000) + 0.3 * y_true
    f1, threshold = best_delay_f1(y_true, scores, delay=7)
    reproduced = delay_precision_recall_f1(y_true, scores > threshold, delay=7)[2]
    assert reproduced == f1
    assert f1 == pytest.approx(max(delay_f1_curve(y_true, scores, delay=7)[3]))


def test_best_delay_float32_adjacent_scores():
    """Adjacent float32 scores still give a separating threshold."""
    low = np.float32(0.5)
    high = np.nextafter(low, np.float32(1))
    scores = np.array([low, high, low], dtype=np.float32)
    f1, threshold = best_delay_f1([0, 1, 0], scores, delay=0)
    assert f1 == 1.0
    assert_array_equal(scores > threshold, [False, True, False])
    assert_array_equal(scores.astype(np.float64) > threshold, [False, True, False])


def test_best_delay_integer_scores():
    f1, threshold = best_delay_f1([0, 1, 1, 0], [1, 5, 2, 3], delay=0)
    assert f1 == 1.0
    assert threshold == 4.0


def test_best_delay_lowest_score_chosen():
    """When flagging everything is best, the threshold is below the minimum."""
    scores = np.array([0.2, 0.5])
    f1, threshold = best_delay_f1([1, 1], scores, delay=0)
    assert f1 == 1.0
    assert threshold < 0.2
    assert_array_equal(scores > threshold, [True, True])


def test_best_delay_ties_pick_highest():
    # Flagging >= 0.9 and >= 0.4 both give F1 = 2/3; the higher flags less.
    f1, threshold = best_delay_f1([1, 0, 0, 1], [0.9, 0.6, 0.5, 0.4], delay=0)
    assert f1 == pytest.approx(2 / 3)
    assert threshold == pytest.approx(0.75)


def test_best_delay_no_positives():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f1, threshold = best_delay_f1([0, 0, 0], [0.1, 0.7, 0.3])
    assert f1 == 0.0
    assert threshold == 0.7


def test_best_delay_pooled_lists():
    y_true = [[0, 1, 1, 0], [1, 1, 0]]
    scores = [[0.2, 0.1, 0.8, 0.3], [0.6, 0.4, 0.7]]
    f1, threshold = best_delay_f1(y_true, scores, delay=1)
    flags = [np.asarray(s) > threshold for s in scores]
    assert delay_precision_recall_f1(y_true, flags, delay=1)[2] == f1


def test_best_delay_empty():
    with pytest.raises(ValueError, match="scores is empty"):
        best_delay_f1([], [])


def test_best_delay_infinite_scores():
    scores = np.array([-np.inf, np.inf, 0.0])
    f1, threshold = best_delay_f1([0, 1, 0], scores, delay=0)
    assert f1 == 1.0
    assert_array_equal(scores > threshold, [False, True, False])


# --------------------------------------------------------------------------
# Point-wise scores
# --------------------------------------------------------------------------


def test_pointwise_hand_worked():
    y_true = [0, 1, 1, 1, 1, 0, 1, 1, 0]
    y_pred = [1, 0, 1, 0, 0, 0, 0, 0, 1]
    precision, recall, f1 = pointwise_precision_recall_f1(y_true, y_pred)
    assert precision == pytest.approx(1 / 3)
    assert recall == pytest.approx(1 / 6)
    assert f1 == pytest.approx(2 / 9)


def test_pointwise_no_positives():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pointwise_precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)
        assert pointwise_precision_recall_f1([0, 0], [1, 0]) == (0.0, 0.0, 0.0)
        assert pointwise_precision_recall_f1([1, 0], [0, 0]) == (0.0, 0.0, 0.0)


def test_pointwise_pooled_concatenates():
    y_true = [[0, 1], [1, 1, 0]]
    y_pred = [[1, 1], [0, 1, 0]]
    pooled = pointwise_precision_recall_f1(y_true, y_pred)
    assert pooled == pointwise_precision_recall_f1([0, 1, 1, 1, 0], [1, 1, 0, 1, 0])


def test_best_f1_hand_worked():
    y_true = [0, 0, 1, 1, 1, 0]
    scores = np.array([0.1, 0.4, 0.2, 0.9, 0.3, 0.5])
    f1, threshold = best_f1(y_true, scores)
    assert f1 == pytest.approx(0.75)
    assert threshold == pytest.approx(0.15)


def test_best_f1_reproduced_by_strict_flags():
    rng = np.random.default_rng(2)
    y_true = (rng.random(1000) < 0.1).astype(int)
    scores = rng.random(1000) + 0.5 * y_true
    f1, threshold = best_f1(y_true, scores)
    assert f1_score(y_true, scores > threshold) == pytest.approx(f1, rel=1e-12)


def test_best_f1_no_positives():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert best_f1([0, 0], [0.4, 0.2]) == (0.0, 0.4)


def test_best_f1_pooled_lists():
    y_true = [[0, 1], [1, 0, 0]]
    scores = [[0.1, 0.8], [0.7, 0.9, 0.2]]
    assert best_f1(y_true, scores) == best_f1(
        [0, 1, 1, 0, 0], [0.1, 0.8, 0.7, 0.9, 0.2]
    )


def test_pr_auc_matches_sklearn():
    rng = np.random.default_rng(3)
    y_true = (rng.random(500) < 0.2).astype(int)
    scores = rng.random(500) + 0.2 * y_true
    assert pr_auc(y_true, scores) == average_precision_score(y_true, scores)


def test_pr_auc_no_positives():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pr_auc([0, 0, 0], [0.1, 0.2, 0.3]) == 0.0


def test_pr_auc_pooled_lists():
    y_true = [[0, 1], [1, 0, 0]]
    scores = [[0.1, 0.8], [0.7, 0.9, 0.2]]
    expected = average_precision_score([0, 1, 1, 0, 0], [0.1, 0.8, 0.7, 0.9, 0.2])
    assert pr_auc(y_true, scores) == expected


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

_labels = st.lists(st.integers(0, 1), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), delay=st.integers(0, 10))
def test_property_adjust_rule(data, delay):
    """Normal points keep their flag; each segment is all 1 or all 0."""
    y_true = np.array(data.draw(_labels))
    y_pred = np.array(
        data.draw(
            st.lists(st.integers(0, 1), min_size=y_true.size, max_size=y_true.size)
        )
    )
    adjusted = point_adjust(y_true, y_pred, delay=delay)
    assert_array_equal(adjusted[y_true == 0], y_pred[y_true == 0])

    padded = np.r_[0, y_true, 0]
    edges = np.flatnonzero(np.diff(padded))
    for start, end in zip(edges[0::2], edges[1::2], strict=True):
        detected = y_pred[start : min(end, start + delay + 1)].any()
        assert_array_equal(adjusted[start:end], int(detected))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_property_long_delay_superset(data):
    """With a delay of at least the longest segment, flags are only added.

    With a shorter delay this does not hold, because a flag after the delay
    in a missed segment is dropped.
    """
    y_true = np.array(data.draw(_labels))
    y_pred = np.array(
        data.draw(
            st.lists(st.integers(0, 1), min_size=y_true.size, max_size=y_true.size)
        )
    )
    adjusted = point_adjust(y_true, y_pred, delay=y_true.size)
    assert np.all(adjusted >= y_pred)
    delay_f1 = delay_precision_recall_f1(y_true, y_pred, delay=y_true.size)[2]
    assert delay_f1 >= pointwise_precision_recall_f1(y_true, y_pred)[2]


@settings(max_examples=100, deadline=None)
@given(data=st.data(), delay=st.integers(0, 5))
def test_property_best_delay_reproducible(data, delay):
    y_true = np.array(data.draw(_labels))
    scores = np.array(
        data.draw(
            st.lists(
                st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0, -3.0]),
                min_size=y_true.size,
                max_size=y_true.size,
            )
        )
    )
    f1, threshold = best_delay_f1(y_true, scores, delay=delay)
    assert delay_precision_recall_f1(y_true, scores > threshold, delay=delay)[2] == f1
    brute = max(row[2] for row in _brute_force_curve([y_true], [scores], delay))
    assert f1 == pytest.approx(brute)


def test_property_pooled_equals_joined_with_gap():
    """Pooling equals joining the series with one normal, unflagged point."""
    rng = np.random.default_rng(4)
    y_true = [(rng.random(n) < 0.3).astype(int) for n in (10, 25, 7)]
    y_pred = [(rng.random(n) < 0.3).astype(int) for n in (10, 25, 7)]
    joined_true = np.concatenate([np.r_[y, 0] for y in y_true])
    joined_pred = np.concatenate([np.r_[y, 0] for y in y_pred])
    assert delay_precision_recall_f1(y_true, y_pred, delay=2) == (
        delay_precision_recall_f1(joined_true, joined_pred, delay=2)
    )


# --------------------------------------------------------------------------
# Scorer
# --------------------------------------------------------------------------


class _FixedDetector:
    """Detector stub whose predict returns a fixed object."""

    def __init__(self, prediction):
        self.prediction = prediction

    def predict(self, X):
        return self.prediction


class _ThresholdDetector(BaseEstimator):
    """Flag the points of the first column above ``threshold``."""

    def __init__(self, threshold=1.0):
        self.threshold = threshold

    def fit(self, X, y=None):
        return self

    def predict(self, X):
        return np.flatnonzero(np.asarray(X)[:, 0] > self.threshold)


_X = np.zeros((8, 1))
_Y = np.array([0, 1, 1, 1, 0, 0, 1, 0])


@pytest.mark.parametrize(
    "prediction",
    [
        np.array([2, 5]),
        [2, 5],
        pd.Series([2, 5]),
        pd.DataFrame({"ilocs": [2, 5]}),
        pd.DataFrame(
            {
                "ilocs": pd.arrays.IntervalArray.from_tuples(
                    [(2, 3), (5, 6)], closed="left"
                )
            }
        ),
    ],
    ids=["array", "list", "series", "frame", "intervals"],
)
def test_scorer_prediction_formats(prediction):
    """Flags at 2 (detects the first segment) and 5 (a false positive)."""
    scorer = make_delay_f1_scorer(delay=1)
    expected = delay_precision_recall_f1(_Y, [0, 0, 1, 0, 0, 1, 0, 0], delay=1)[2]
    assert scorer(_FixedDetector(prediction), _X, _Y) == expected


def test_scorer_interval_covers_points():
    """A left-closed interval [1, 4) flags points 1, 2 and 3."""
    intervals = pd.arrays.IntervalArray.from_tuples([(1, 4)], closed="left")
    scorer = make_delay_f1_scorer(delay=0)
    expected = delay_precision_recall_f1(_Y, [0, 1, 1, 1, 0, 0, 0, 0], delay=0)[2]
    assert scorer(_FixedDetector(pd.DataFrame({"ilocs": intervals})), _X, _Y) == (
        expected
    )


def test_scorer_empty_prediction():
    scorer = make_delay_f1_scorer()
    empty = pd.DataFrame({"ilocs": pd.Series([], dtype="int64")})
    assert scorer(_FixedDetector(empty), _X, _Y) == 0.0


def test_scorer_label_frame():
    scorer = make_delay_f1_scorer(delay=0)
    y = pd.DataFrame({"label": _Y})
    assert scorer(_FixedDetector(np.array([1, 6])), _X, y) == 1.0


def test_scorer_label_frame_two_columns():
    scorer = make_delay_f1_scorer()
    y = pd.DataFrame({"a": _Y, "b": _Y})
    with pytest.raises(ValueError, match="one column of 0/1 labels.*2 columns"):
        scorer(_FixedDetector(np.array([1])), _X, y)


def test_scorer_needs_labels():
    scorer = make_delay_f1_scorer()
    with pytest.raises(ValueError, match="needs labels, got y=None"):
        scorer(_FixedDetector(np.array([1])), _X, None)


def test_scorer_label_length():
    scorer = make_delay_f1_scorer()
    with pytest.raises(ValueError, match="y has 3 labels but X has 8 points"):
        scorer(_FixedDetector(np.array([1])), _X, [0, 1, 0])


def test_scorer_out_of_range_iloc():
    scorer = make_delay_f1_scorer()
    with pytest.raises(ValueError, match="position 8, outside the 8 points"):
        scorer(_FixedDetector(np.array([1, 8])), _X, _Y)


def test_scorer_float_ilocs():
    scorer = make_delay_f1_scorer()
    with pytest.raises(TypeError, match="integer positions"):
        scorer(_FixedDetector(np.array([1.0, 2.0])), _X, _Y)


def test_scorer_frame_without_ilocs():
    scorer = make_delay_f1_scorer()
    with pytest.raises(ValueError, match="without an 'ilocs' column"):
        scorer(_FixedDetector(pd.DataFrame({"labels": [1]})), _X, _Y)


def test_scorer_invalid_delay():
    with pytest.raises(ValueError, match="delay must be >= 0"):
        make_delay_f1_scorer(delay=-1)


def test_scorer_in_grid_search():
    """GridSearchCV picks the threshold that separates the spikes."""
    rng = np.random.default_rng(5)
    values = rng.normal(size=600)
    labels = np.zeros(600, dtype=int)
    for start in range(20, 600, 50):
        values[start : start + 4] += 8.0
        labels[start : start + 4] = 1
    search = GridSearchCV(
        _ThresholdDetector(),
        {"threshold": [-1.0, 5.0, 20.0]},
        scoring=make_delay_f1_scorer(delay=1),
        cv=KFold(n_splits=3),
    )
    search.fit(values.reshape(-1, 1), labels)
    assert search.best_params_ == {"threshold": 5.0}
    assert search.best_score_ == 1.0


def test_scorer_with_sktime_detector():
    """The ilocs DataFrame of an sktime detector is understood."""
    from sktime.detection.naive import ThresholdDetector

    values = np.zeros(30)
    values[[5, 6, 20]] = 10.0
    labels = np.zeros(30, dtype=int)
    labels[5:9] = 1
    X = pd.DataFrame({"value": values})
    detector = ThresholdDetector(upper=5.0, lower=None).fit(X)
    score = make_delay_f1_scorer(delay=0)(detector, X, labels)
    # Segment 5-8 detected: TP 4, and point 20 is a false positive.
    assert score == pytest.approx(8 / 9)
