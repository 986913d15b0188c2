"""Kernel density of points on a pixel grid, and its colours (numpy, no Qt).

The heatmap layer (:mod:`.heatmap_layer`) calls :func:`render_density` in a worker
thread: the points are binned into cells of a few pixels, the counts blurred with a
separable Gaussian (a sum of shifted copies: numpy releases the GIL in each of
these big array operations, so the GUI thread keeps running Python meanwhile), the
grid interpolated to one value per pixel and turned into premultiplied ARGB through
a 256-entry colour table: transparent → yellow → orange → red.

Coordinates are scene coordinates (Web Mercator metres, Y pointing south, see
:mod:`.projection`); a grid covers a scene rectangle ``(left, top, width, height)``
at ``scale`` pixels per metre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: The Gaussian's standard deviation, in grid cells: the cell size follows the
#: kernel's width in pixels, so the blur always costs the same few array passes.
SIGMA_CELLS = 3.0
#: The kernel is cut at this many standard deviations.
TRUNCATE = 3.0
#: Smallest and largest kernel width on screen, in pixels: zoomed out, a kernel of
#: a fixed ground size would be a speck; zoomed in, a blur over the whole screen.
SIGMA_MIN_PX = 10.0
SIGMA_MAX_PX = 40.0
#: The kernel's ground width the layer aims for (clamped to the pixel bounds above).
SIGMA_GROUND_M = 60.0
#: A single report alone never shows in full red: the colour scale's top is at least
#: the peak of this many reports at one place.
MIN_PEAK_WEIGHT = 4.0

#: Colour stops (position 0..1, red, green, blue, alpha 0..255).
STOPS = (
    (0.00, 255, 235, 59, 0),
    (0.06, 255, 235, 59, 70),
    (0.30, 255, 214, 0, 150),
    (0.60, 255, 145, 0, 190),
    (1.00, 221, 24, 24, 220),
)


@dataclass(frozen=True)
class DensityImage:
    """One rendered density: ``pixels`` (height × width, premultiplied ARGB32 as
    uint32) over the scene rectangle ``rect`` at ``scale`` pixels per metre."""

    pixels: npt.NDArray[np.uint32]
    rect: tuple[float, float, float, float]
    scale: float
    #: The density the colour scale's top stands for (in weight per cell).
    peak: float
    #: Points that fell in the grid (with its margin), and their total weight.
    points: int
    weight: float


def sigma_px(scale: float, ground_per_scene: float = 1.0) -> float:
    """The kernel's standard deviation in pixels at ``scale`` pixels per scene metre;
    ``ground_per_scene``: ground metres per Mercator metre at the site's latitude."""
    wanted = SIGMA_GROUND_M / max(ground_per_scene, 1e-9) * scale
    return max(SIGMA_MIN_PX, min(SIGMA_MAX_PX, wanted))


def gaussian_kernel(sigma: float = SIGMA_CELLS, truncate: float = TRUNCATE) -> FloatArray:
    """A normalised 1-D Gaussian (sums to 1)."""
    radius = max(1, math.ceil(truncate * sigma))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    result: FloatArray = k / k.sum()
    return result


def blur(grid: FloatArray, kernel: FloatArray) -> FloatArray:
    """``grid`` convolved with ``kernel`` along both axes ("same" size, zero outside)."""
    r = len(kernel) // 2
    ny, nx = grid.shape
    padded = np.zeros((ny, nx + 2 * r), dtype=np.float32)
    padded[:, r : r + nx] = grid
    rows = np.zeros((ny, nx), dtype=np.float32)
    for i, w in enumerate(kernel.astype(np.float32)):
        rows += w * padded[:, i : i + nx]
    padded = np.zeros((ny + 2 * r, nx), dtype=np.float32)
    padded[r : r + ny, :] = rows
    out = np.zeros((ny, nx), dtype=np.float32)
    for i, w in enumerate(kernel.astype(np.float32)):
        out += w * padded[i : i + ny, :]
    return out.astype(np.float64)


def density_grid(
    x: FloatArray,
    y: FloatArray,
    weights: FloatArray | None,
    origin: tuple[float, float],
    shape: tuple[int, int],
    cell: float,
    sigma_cells: float = SIGMA_CELLS,
) -> tuple[FloatArray, int, float]:
    """Blurred weight per cell of a ``shape`` (rows, columns) grid of ``cell`` metres
    whose top-left corner is ``origin`` (scene metres).

    Points up to the kernel's reach outside the grid count (their tails fall in);
    returns (grid, points counted, their weight).
    """
    ny, nx = shape
    kernel = gaussian_kernel(sigma_cells)
    pad = len(kernel) // 2
    ix = np.floor((x - origin[0]) / cell).astype(np.int64) + pad
    iy = np.floor((y - origin[1]) / cell).astype(np.int64) + pad
    wide, high = nx + 2 * pad, ny + 2 * pad
    inside = (ix >= 0) & (ix < wide) & (iy >= 0) & (iy < high)
    w = weights[inside] if weights is not None else None
    counts = np.bincount(iy[inside] * wide + ix[inside], weights=w, minlength=wide * high)
    total = float(counts.sum())
    full = blur(counts.reshape(high, wide).astype(np.float64), kernel)
    return full[pad : pad + ny, pad : pad + nx], int(inside.sum()), total


def colour_table() -> npt.NDArray[np.uint32]:
    """256 premultiplied ARGB32 colours along :data:`STOPS`."""
    t = np.linspace(0.0, 1.0, 256)
    at = [s[0] for s in STOPS]
    r, g, b, a = (np.interp(t, at, [s[i] for s in STOPS]) for i in range(1, 5))
    alpha = a / 255.0
    table = (
        (np.round(a).astype(np.uint32) << 24)
        | (np.round(r * alpha).astype(np.uint32) << 16)
        | (np.round(g * alpha).astype(np.uint32) << 8)
        | np.round(b * alpha).astype(np.uint32)
    )
    table[0] = 0
    return table.astype(np.uint32)


_TABLE = colour_table()


#: Rows handled per numpy call when building the image: a gather over a whole image
#: keeps the GIL for tens of milliseconds (the GUI thread, needing it for any
#: Python, would stall that long); bands of rows keep each call to about a
#: millisecond, and the GIL changes hands between them.
BAND_ROWS = 48


def _colours(
    grid: FloatArray, out_h: int, out_w: int, cell_px: float, k: float
) -> npt.NDArray[np.uint32]:
    """Premultiplied ARGB of every pixel: ``grid × k`` (0..255) interpolated
    bilinearly at the pixel centres (cell centres sit at ``(i + 0.5) * cell_px``),
    in float32, separably (along the rows on the small grid, then down the columns),
    band by band (see :data:`BAND_ROWS`)."""
    ny, nx = grid.shape

    def axis(n_out: int, n_in: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        pos = (np.arange(n_out, dtype=np.float32) + 0.5) / np.float32(cell_px) - 0.5
        pos = np.clip(pos, 0.0, n_in - 1.0)
        i0 = np.minimum(np.floor(pos).astype(np.intp), max(n_in - 2, 0))
        return i0, (pos - i0).astype(np.float32)

    x0, fx = axis(out_w, nx)
    x1 = np.minimum(x0 + 1, nx - 1)
    y0, fy = axis(out_h, ny)
    scaled = (grid * k).astype(np.float32)
    across = np.empty((ny, out_w), dtype=np.float32)
    for r in range(0, ny, BAND_ROWS):
        band = scaled[r : r + BAND_ROWS]
        a = band[:, x0]
        across[r : r + BAND_ROWS] = a + (band[:, x1] - a) * fx
    step = np.diff(across, axis=0, append=across[-1:])
    pixels = np.empty((out_h, out_w), dtype=np.uint32)
    for r in range(0, out_h, BAND_ROWS):
        rows = y0[r : r + BAND_ROWS]
        values = across[rows]
        values += step[rows] * fy[r : r + BAND_ROWS, None]
        np.clip(values, 0.0, 255.0, out=values)
        pixels[r : r + BAND_ROWS] = _TABLE[values.astype(np.uint8)]
    return pixels


def overall_peak(
    x: FloatArray, y: FloatArray, weights: FloatArray | None, scale: float, sigma_pixels: float
) -> float:
    """The densest place of all the points at this scale and kernel (weight per cell
    of :func:`render_density`'s grid): the top of the colour scale, the same
    wherever the view is, so that a pan does not recolour the map and a quiet street
    seen up close is not painted as a hot spot.

    The grid covers every point; past :data:`MAX_PEAK_CELLS` its cells are made
    coarser and the kernel narrower in cells alike (the peak then comes out a
    little lower: a colour may saturate, never vanish)."""
    if x.size == 0:
        return 0.0
    cell_px = max(1.0, sigma_pixels / SIGMA_CELLS)
    cell = cell_px / scale
    reach = TRUNCATE * SIGMA_CELLS * cell
    left, top = float(x.min()) - reach, float(y.min()) - reach
    width, height = float(x.max()) + reach - left, float(y.max()) + reach - top
    factor = max(1.0, math.sqrt(width * height / (cell * cell) / MAX_PEAK_CELLS))
    coarse = cell * factor
    nx, ny = max(1, math.ceil(width / coarse)), max(1, math.ceil(height / coarse))
    grid, _count, _total = density_grid(
        x, y, weights, (left, top), (ny, nx), coarse, max(0.5, SIGMA_CELLS / factor)
    )
    # Per coarse cell → per cell of the image's grid.
    return float(grid.max(initial=0.0)) / (factor * factor)


#: Largest grid :func:`overall_peak` blurs (cells).
MAX_PEAK_CELLS = 400_000


def render_density(
    x: FloatArray,
    y: FloatArray,
    weights: FloatArray | None,
    rect: tuple[float, float, float, float],
    scale: float,
    sigma_pixels: float,
    peak: float = 0.0,
) -> DensityImage:
    """The coloured density of the points over the scene ``rect`` at ``scale``
    pixels per metre, with a kernel ``sigma_pixels`` wide (see the module docstring);
    ``peak``: the density at the top of the colour scale (see :func:`overall_peak`;
    at least the densest place of ``rect``, and :data:`MIN_PEAK_WEIGHT` reports)."""
    left, top, width, height = rect
    out_w = max(1, round(width * scale))
    out_h = max(1, round(height * scale))
    cell_px = max(1.0, sigma_pixels / SIGMA_CELLS)
    cell = cell_px / scale
    nx, ny = max(1, math.ceil(out_w / cell_px)), max(1, math.ceil(out_h / cell_px))
    grid, count, total = density_grid(x, y, weights, (left, top), (ny, nx), cell)
    peak_one = float(gaussian_kernel(SIGMA_CELLS).max() ** 2)
    peak = max(peak, float(grid.max(initial=0.0)), MIN_PEAK_WEIGHT * peak_one)
    if count == 0:
        pixels = np.zeros((out_h, out_w), dtype=np.uint32)
    else:
        pixels = _colours(grid, out_h, out_w, cell_px, 255.0 / peak)
    return DensityImage(np.ascontiguousarray(pixels), rect, scale, peak, count, total)
