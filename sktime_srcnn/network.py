"""The causal 1-D convolutional network that classifies saliency sequences."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["MaskedBCEWithLogitsLoss", "SaliencyCNN"]


def _pad_left(X, width: int):
    """Repeat the first point of each sequence ``width`` times on the left."""
    if width == 0:
        return X
    return nn.functional.pad(X, (width, 0), mode="replicate")


class SaliencyCNN(nn.Module):
    """Per-point anomaly logits from a sequence of saliency features.

    Two 1-D convolutions and two fully connected layers, as in Ren et al.
    (2019), arranged so that the output at a point depends only on that
    point and the ones before it. The convolutions are causal: they pad on
    the left only, by repeating the first point, so the start of a series
    looks as if its first point had always been there. The fully connected
    layers act on each point's convolution features separately (as
    convolutions of width 1), so one forward pass scores every point of a
    sequence of any length.

    Ren et al. (2019) use ``w`` and ``2w`` channels with kernels of width
    ``w`` for a window of ``w`` points. Here the input at each point is a
    short feature vector of that point's own saliency, so much smaller
    layers suffice: with the defaults a point costs about 6,000
    multiply-adds and depends on the features of the 55 points up to it.

    Parameters
    ----------
    n_features : int, default=2
        Number of input features per point.
    channels : int, default=16
        Channels of the first convolution; the second has twice as many.
    kernel_size : int, default=7
        Width of both convolution kernels.
    dilation : int, default=8
        Dilation of the second convolution, which widens the context that
        each output sees.
    hidden : int, default=64
        Units of the first fully connected layer.

    Attributes
    ----------
    receptive_field : int
        Number of points, up to and including itself, that one output
        depends on.

    Examples
    --------
    >>> import torch
    >>> net = SaliencyCNN()
    >>> net(torch.zeros(5, 2, 100)).shape
    torch.Size([5, 100])
    >>> net.receptive_field
    55
    """

    def __init__(self, n_features=2, channels=16, kernel_size=7, dilation=8, hidden=64):
        super().__init__()
        self.pads = (kernel_size - 1, (kernel_size - 1) * dilation)
        self.receptive_field = 1 + sum(self.pads)
        self.conv1 = nn.Conv1d(n_features, channels, kernel_size)
        self.conv2 = nn.Conv1d(channels, 2 * channels, kernel_size, dilation=dilation)
        self.dense1 = nn.Conv1d(2 * channels, hidden, 1)
        self.dense2 = nn.Conv1d(hidden, 1, 1)

    def forward(self, X):
        """Return logits (batch, length) for X of shape (batch, n_features, length)."""
        X = torch.relu(self.conv1(_pad_left(X, self.pads[0])))
        X = torch.relu(self.conv2(_pad_left(X, self.pads[1])))
        return self.dense2(torch.relu(self.dense1(X)))[:, 0]


class MaskedBCEWithLogitsLoss(nn.Module):
    """Binary cross-entropy on logits over the points whose target is not negative.

    Training segments start with points that only give the network its
    context; their targets are -1 and they do not count in the loss.

    Examples
    --------
    >>> import torch
    >>> loss = MaskedBCEWithLogitsLoss()
    >>> logits = torch.tensor([[5.0, 0.0]])
    >>> round(loss(logits, torch.tensor([[-1.0, 1.0]])).item(), 4)
    0.6931
    """

    def forward(self, y_pred, y_true):
        """Return the mean loss over the points with a target of 0 or 1."""
        keep = y_true >= 0
        return nn.functional.binary_cross_entropy_with_logits(
            y_pred[keep], y_true[keep]
        )
