"""heatmap_grid: the density is where the points are, and nowhere far from them."""

from __future__ import annotations

import numpy as np
import pytest

from csu_console.ui.map.heatmap_grid import (
    STOPS,
    blur,
    colour_table,
    density_grid,
    gaussian_kernel,
    overall_peak,
    render_density,
)


def test_blur_keeps_the_mass_and_spreads_it_symmetrically() -> None:
    grid = np.zeros((41, 41))
    grid[20, 20] = 5.0
    out = blur(grid, gaussian_kernel(3.0))
    assert out.sum() == pytest.approx(5.0, rel=1e-4)
    assert np.unravel_index(out.argmax(), out.shape) == (20, 20)
    assert out[20, 17] == pytest.approx(out[20, 23], rel=1e-5)
    assert out[17, 20] == pytest.approx(out[20, 17], rel=1e-5)
    assert out[0, 0] == 0.0  # beyond three sigmas: nothing


def test_mass_where_the_points_are_none_far_away() -> None:
    rng = np.random.default_rng(3)
    # A cluster of 500 around (100, 100) and 20 around (400, 300), metres; cells of 5 m.
    x = np.concatenate([rng.normal(100, 10, 500), rng.normal(400, 10, 20)])
    y = np.concatenate([rng.normal(100, 10, 500), rng.normal(300, 10, 20)])
    grid, counted, weight = density_grid(x, y, None, (0.0, 0.0), (100, 120), 5.0)
    assert counted == 520 and weight == 520
    assert grid.sum() == pytest.approx(520, rel=0.01)  # all well inside the grid
    row, col = np.unravel_index(grid.argmax(), grid.shape)
    assert abs(col * 5 + 2.5 - 100) <= 10 and abs(row * 5 + 2.5 - 100) <= 10
    assert grid[60, 80] > 0  # the small cluster shows
    assert grid[60, 80] < grid[20, 20] / 5  # far less than the big one
    assert grid[95, 5] == 0.0 and grid[5, 115] == 0.0  # far from both: nothing


def test_a_point_just_outside_the_grid_still_warms_its_edge() -> None:
    grid, counted, _w = density_grid(
        np.array([-4.0]), np.array([50.0]), None, (0.0, 0.0), (20, 20), 5.0
    )
    assert counted == 1
    assert grid[10, 0] > 0 and grid[10, 19] == 0


def test_weights_count_as_that_many_points() -> None:
    one = density_grid(np.array([50.0]), np.array([50.0]), np.array([3.0]), (0, 0), (20, 20), 5)
    three = density_grid(np.full(3, 50.0), np.full(3, 50.0), None, (0, 0), (20, 20), 5)
    assert np.allclose(one[0], three[0])
    assert one[2] == 3.0


def test_colours_go_from_transparent_to_opaque_red() -> None:
    table = colour_table()
    alpha = table >> 24
    assert table[0] == 0  # no density: fully transparent
    assert np.all(np.diff(alpha.astype(int)) >= 0)
    top = int(table[255])
    assert top >> 24 == STOPS[-1][4]
    red, green = (top >> 16) & 0xFF, (top >> 8) & 0xFF
    assert red > 150 and green < 40


def test_render_density_colours_the_cluster_and_leaves_the_rest_clear() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.normal(200, 15, 2000), rng.normal(150, 15, 2000)
    image = render_density(x, y, None, (0.0, 0.0, 400.0, 300.0), 2.0, 20.0)
    assert image.pixels.shape == (600, 800)
    centre = int(image.pixels[300, 400])
    assert centre >> 24 >= 200  # dense: almost opaque
    assert image.pixels[10, 10] == 0 and image.pixels[590, 790] == 0
    assert image.points == 2000


def test_no_points_render_a_transparent_image() -> None:
    empty = np.zeros(0)
    image = render_density(empty, empty, None, (0.0, 0.0, 100.0, 50.0), 1.0, 12.0)
    assert image.pixels.shape == (50, 100)
    assert not image.pixels.any()
    assert image.points == 0


def test_a_lone_report_is_not_drawn_as_a_hotspot() -> None:
    image = render_density(
        np.array([50.0]), np.array([50.0]), None, (0.0, 0.0, 100.0, 100.0), 1.0, 10.0
    )
    assert 0 < int(image.pixels.max()) >> 24 < STOPS[-1][4]


def test_the_colour_scale_is_the_whole_datas_a_quiet_place_stays_pale() -> None:
    rng = np.random.default_rng(8)
    # A hot spot of 3000 reports at (0, 0) and a quiet street of 30 at (2000, 0).
    x = np.concatenate([rng.normal(0, 20, 3000), rng.normal(2000, 20, 30)])
    y = np.concatenate([rng.normal(0, 20, 3000), rng.normal(0, 20, 30)])
    peak = overall_peak(x, y, None, 1.0, 15.0)
    hot = render_density(x, y, None, (-100.0, -100.0, 200.0, 200.0), 1.0, 15.0, peak)
    quiet = render_density(x, y, None, (1900.0, -100.0, 200.0, 200.0), 1.0, 15.0, peak)
    assert hot.peak == quiet.peak == pytest.approx(peak, rel=0.02)
    assert int(hot.pixels.max()) >> 24 >= 210
    assert 0 < int(quiet.pixels.max()) >> 24 < 120  # seen alone, it is not red
    alone = render_density(x, y, None, (1900.0, -100.0, 200.0, 200.0), 1.0, 15.0)
    assert int(alone.pixels.max()) >> 24 == STOPS[-1][4]  # without the scale: it would be


def test_the_overall_peak_of_far_flung_points_stays_bounded() -> None:
    # One report 200 km away: the grid coarsens instead of growing without end.
    x, y = np.array([0.0, 0.0, 0.0, 200_000.0]), np.array([0.0, 0.0, 0.0, 0.0])
    assert overall_peak(x, y, None, 2.0, 12.0) > 0
    assert overall_peak(np.zeros(0), np.zeros(0), None, 2.0, 12.0) == 0.0
