"""The one sampler of the parameters' distributions: draws from raw variates (uniforms or
standard normals) and the quantiles of the one-at-a-time sensitivity, over arrays.

`impact.model.parameters.ParamSpec.sample` and the engine's vectorised pass both draw through
`draw`, so one parameter drawn alone and the same parameter drawn for many scenarios at once
give the same figures from the same stream.

Distributions (``value``, ``low``, ``high``): fixed (the value); triangular (mode, bounds);
uniform (bounds); normal (mean, P5, P95); lognormal (median, P5, P95: a two-piece lognormal
that meets both ends exactly); lognormal_capped (median, P1, P99, which are also its bounds).
"""

from __future__ import annotations

import numpy as np

from impact.vocab import Z95, Z99

#: distribution name -> the code the vectorised pass uses
KIND = {"fixed": 0, "triangular": 1, "uniform": 2, "normal": 3, "lognormal": 4,
        "lognormal_capped": 5}
#: codes drawn from uniforms (the others from standard normals; fixed draws nothing)
UNIFORM_KINDS = (1, 2)  # consume doubles in [0, 1); normal and lognormal consume normals


def capped_lognormal(value, low, high, z):
    """Draws of a two-piece lognormal from standard normals ``z``: median ``value``, 1st
    percentile ``low`` and 99th percentile ``high``, which are also its bounds (the lowest and
    highest 1 % of draws are ``low`` and ``high``). Used for hours known at their low end with
    a long, bounded tail (an open-ended event: at least its known part, at most the end the
    rule allows).

    Examples
    --------
    >>> z = np.array([-5.0, -2.3263478740408408, 0.0, 2.3263478740408408, 5.0])
    >>> np.round(capped_lognormal(24.0, 6.0, 8760.0, z), 6).tolist()
    [6.0, 6.0, 24.0, 8760.0, 8760.0]
    """
    value, low, high = (np.asarray(x, dtype=float) for x in (value, low, high))
    low = np.maximum(low, value * 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.where(z < 0, np.log(value / low), np.log(high / value)) / Z99
        out = value * np.exp(sigma * z)
    return np.clip(np.where(np.isfinite(out), out, value), low, high)


def draw(c: int, v, lo, hi, u):
    """Draws of one distribution from raw variates ``u`` (uniforms or standard normals),
    exactly as numpy's Generator computes them from the same variates."""
    if c == 1:  # triangular(lo, mode, hi): numpy's inverse-CDF from one uniform
        mode = np.minimum(np.maximum(v, lo), hi)
        base = hi - lo
        return np.where(u <= (mode - lo) / base, lo + np.sqrt(u * ((mode - lo) * base)),
                        hi - np.sqrt((1.0 - u) * ((hi - mode) * base)))
    if c == 2:  # uniform(lo, hi)
        return lo + (hi - lo) * u
    if c == 3:  # normal: mean v, P5/P95 = lo/hi
        return v + (hi - lo) / (2 * Z95) * u
    if c == 5:  # capped two-piece lognormal: median v, P5 = lo, P99 = hi = the largest
        return capped_lognormal(v, lo, hi, u)
    # two-piece lognormal: median v, P5 = lo, P95 = hi exactly
    sigma = np.where(u < 0, np.log(v / lo), np.log(hi / v))
    return v * np.exp(sigma / Z95 * u)


def quantile_at(value, low, high, code, q: float) -> np.ndarray:
    """P5 (q = 0.05) or P95 (q = 0.95) of every input (n, k) for the one-at-a-time
    sensitivity: the stated ends for normal and lognormal inputs (they are the P5/P95), the
    exact quantile for uniform and triangular ones, the value for fixed ones ."""
    out = value.copy()
    ln = (code == 3) | (code == 4)
    out[ln] = (low if q < 0.5 else high)[ln]
    capped = code == 5
    if capped.any():
        z = np.full(int(capped.sum()), -Z95 if q < 0.5 else Z95)
        out[capped] = capped_lognormal(value[capped], low[capped], high[capped], z)
    uni = code == 2
    out[uni] = low[uni] + q * (high[uni] - low[uni])
    tri = code == 1
    if tri.any():
        a, b = low[tri], high[tri]
        c = np.minimum(np.maximum(value[tri], a), b)
        fc = (c - a) / (b - a)
        lower = a + np.sqrt(q * (b - a) * (c - a))
        upper = b - np.sqrt((1 - q) * (b - a) * (b - c))
        out[tri] = np.where(q < fc, lower, upper)
    return out
