"""Reference statistics for the report's tests, written here from their textbook definitions
(never with the report's own helpers):

- Wilson score interval: Wilson (1927), JASA 22:209; published values from Newcombe (1998),
  Statistics in Medicine 17:857, Table II ("score method").
- Normalised gain: Hake (1998), Am. J. Phys. 66:64, the class-average gain
  <g> = (<post> - <pre>) / (1 - <pre>) on shares 0-1 (not the mean of learners' own gains).
- Percentile bootstrap interval: Efron & Tibshirani (1993), An Introduction to the Bootstrap,
  §13.3: the B*alpha-th and B*(1 - alpha)-th of the B ordered replications.
- Item discrimination: the point-biserial (Pearson) correlation of the item with the rest of the
  test, the item itself left out ("corrected item-total correlation", e.g. Crocker & Algina 1986,
  Introduction to Classical and Modern Test Theory, ch. 14).
"""

from __future__ import annotations

import math

import numpy as np

Z = 1.959964  # the 0.975 quantile of the standard normal
SEED = 14  # the report's default --seed


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """The rates p with |p_hat - p| = z sqrt(p (1 - p) / n): the roots of a quadratic."""
    p_hat = k / n
    a, b, c = 1 + Z * Z / n, -(2 * p_hat + Z * Z / n), p_hat * p_hat
    root = math.sqrt(b * b - 4 * a * c)
    return max(0.0, (-b - root) / (2 * a)), min(1.0, (-b + root) / (2 * a))


def median_by_hand(values: list[float]) -> float:
    ordered, n = sorted(values), len(values)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def correlation_by_hand(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))


def hake(pairs: list[tuple[float, float]]) -> float:
    pre = sum(a for a, _ in pairs) / len(pairs)
    post = sum(b for _, b in pairs) / len(pairs)
    return (post - pre) / (1 - pre)


def percentile_interval(pairs: list[tuple[float, float]], seed: int) -> tuple[float, float]:
    """Efron & Tibshirani's percentile interval of Hake's gain, 2,000 resamples of learners.

    Resamples are drawn as docs/report.md says (one multinomial draw of the count of each
    distinct (pre, post) pair, in sorted order, numpy's generator seeded with --seed); a
    resample whose pre-test mean is perfect has no gain and is left out."""
    distinct = sorted(set(pairs))
    n = len(pairs)
    probs = np.array([pairs.count(v) for v in distinct], dtype=float) / n
    draws = np.random.default_rng(seed).multinomial(n, probs, size=2000)
    gains = []
    for counts in draws:
        sample = [v for v, c in zip(distinct, counts, strict=True) for _ in range(int(c))]
        if sum(a for a, _ in sample) < n:
            gains.append(hake(sample))
    gains.sort()
    b = len(gains)
    # The B*alpha-th and B*(1 - alpha)-th values (1-based), rounded up when not whole.
    return gains[-(-b * 25 // 1000) - 1], gains[-(-b * 975 // 1000) - 1]
