"""The 1-D convolutional network that classifies saliency windows."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["SaliencyCNN"]


class SaliencyCNN(nn.Module):
    """Per-point anomaly logits from a window of saliency values.

    Two 1-D convolutions and two fully connected layers, as in Ren et al.
    (2019). Their network uses ``w`` and ``2w`` channels with kernels of
    width ``w`` for a window of ``w`` points, which is too slow on a CPU for
    long windows. This one uses ``channels`` and ``2 * channels`` channels
    with small kernels, and a second convolution of stride 2, so a forward
    pass over a 128-point window costs about 0.4 million multiply-adds.

    Parameters
    ----------
    window : int, default=128
        Number of saliency values per sample.
    channels : int, default=16
        Channels of the first convolution; the second has twice as many.
    kernel_size : int, default=7
        Width of both convolution kernels.
    hidden : int, default=64
        Units of the first fully connected layer.

    Examples
    --------
    >>> import torch
    >>> net = SaliencyCNN(window=32)
    >>> net(torch.zeros(5, 32)).shape
    torch.Size([5, 32])
    """

    def __init__(self, window=128, channels=16, kernel_size=7, hidden=64):
        super().__init__()
        padding = kernel_size // 2
        self.features = nn.Sequential(
            nn.Conv1d(1, channels, kernel_size, padding=padding),
            nn.ReLU(),
            nn.Conv1d(channels, 2 * channels, kernel_size, stride=2, padding=padding),
            nn.ReLU(),
            nn.Flatten(),
        )
        with torch.no_grad():
            n_features = self.features(torch.zeros(1, 1, window)).shape[1]
        self.head = nn.Sequential(
            nn.Linear(n_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, window),
        )

    def forward(self, X):
        """Return logits of shape (batch, window) for X of shape (batch, window)."""
        return self.head(self.features(X.unsqueeze(1)))
