"""The few statistics the detector needs, in numpy alone (no SciPy on a station).

- :func:`nb_sf`: the upper tail ``P(Y ≥ y)`` of a negative binomial (Poisson–gamma)
  count, through the regularised incomplete beta function (:func:`betainc`, Lentz's
  continued fraction, vectorised): accurate far in the tail, where ``1 − CDF``
  would round to zero.
- :func:`holm`: Holm's step-down adjustment of p-values (family-wise error).
- :func:`fr_number`: numbers written the French way (« 0,6 », « 1 234 »).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)


def lgamma(x: Floats) -> Floats:
    """``log Γ(x)`` for ``x > 0`` (Lanczos, g = 7; relative error ~1e-14)."""
    x = np.asarray(x, dtype=np.float64)
    small = x < 0.5
    # Reflection for small x: Γ(x)Γ(1−x) = π / sin(πx).
    z = np.where(small, 1.0 - x, x) - 1.0
    a = np.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], start=1):
        a = a + c / (z + i)
    t = z + 7.5
    big = 0.5 * math.log(2 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        refl = math.log(math.pi) - np.log(np.abs(np.sin(math.pi * x))) - big
    return np.where(small, refl, big)


def _betacf(a: Floats, b: Floats, x: Floats, iterations: int = 300) -> Floats:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < tiny, tiny, d)
    d = 1.0 / d
    h = d.copy()
    for m in range(1, iterations + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if bool(np.all(np.abs(delta - 1.0) < 1e-13)):
            break
    return h


def betainc(a: Floats, b: Floats, x: Floats) -> Floats:
    """The regularised incomplete beta function ``I_x(a, b)`` (a, b > 0, 0 ≤ x ≤ 1)."""
    a, b, x = np.broadcast_arrays(
        np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(x, np.float64)
    )
    out = np.zeros(a.shape, dtype=np.float64)
    if out.size == 0:
        return out
    inner = (x > 0.0) & (x < 1.0)
    out[x >= 1.0] = 1.0
    if not inner.any():
        return out
    ai, bi, xi = a[inner], b[inner], x[inner]
    with np.errstate(divide="ignore"):
        front = np.exp(
            lgamma(ai + bi) - lgamma(ai) - lgamma(bi) + ai * np.log(xi) + bi * np.log1p(-xi)
        )
    direct = xi < (ai + 1.0) / (ai + bi + 2.0)
    res = np.empty_like(xi)
    if direct.any():
        res[direct] = front[direct] * _betacf(ai[direct], bi[direct], xi[direct]) / ai[direct]
    flip = ~direct
    if flip.any():
        res[flip] = 1.0 - front[flip] * _betacf(bi[flip], ai[flip], 1.0 - xi[flip]) / bi[flip]
    out[inner] = np.clip(res, 0.0, 1.0)
    return out


def nb_sf(y: Floats, mean: Floats, size: Floats) -> Floats:
    """``P(Y ≥ y)`` for a negative binomial of ``mean`` and ``size`` (the gamma's
    shape: variance ``mean + mean²/size``); ``y ≤ 0`` gives 1.

    With ``p = size / (size + mean)``, ``P(Y ≥ y) = I_{1−p}(y, size)``.
    """
    y = np.asarray(y, dtype=np.float64)
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 1e-12)
    size = np.maximum(np.asarray(size, dtype=np.float64), 1e-12)
    y, mean, size = np.broadcast_arrays(y, mean, size)
    out = np.ones(y.shape, dtype=np.float64)
    pos = y > 0
    if pos.any():
        q = mean[pos] / (size[pos] + mean[pos])  # 1 − p
        out[pos] = betainc(y[pos], size[pos], q)
    return out


def holm(p: Floats) -> Floats:
    """Holm's adjusted p-values (step-down Bonferroni): valid whatever the
    dependence between the tests, and never larger than Bonferroni's."""
    p = np.asarray(p, dtype=np.float64)
    m = p.shape[0]
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (m - np.arange(m))
    adjusted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    out = np.empty_like(p)
    out[order] = adjusted
    return out


def fr_number(value: float, decimals: int = 1) -> str:
    """« 0,6 », « 12 », « 1 234 » (narrow no-break space between thousands):
    integers without decimals, others with ``decimals`` (trailing zeros kept)."""
    if not math.isfinite(value):
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def fr_p(p: float) -> str:
    """A p-value in French: « 0,0004 », « 0,03 », « < 0,0001 » → « 2e-7 » written
    « 2 × 10⁻⁷ »; two significant digits."""
    if p >= 1.0:
        return "1"
    if p <= 0.0:
        return "< 10⁻³⁰⁰"
    if p >= 1e-4:
        digits = max(0, -math.floor(math.log10(p))) + 1
        text = f"{p:.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    exponent = math.floor(math.log10(p))
    mantissa = p / 10**exponent
    sup = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{fr_number(round(mantissa, 1))} × 10{sup}"
