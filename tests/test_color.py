"""scenepal.color: conversions, CIEDE2000, linear-light averaging, HDR transfer and tone mapping."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scenepal import color, hdr

FAST = settings(max_examples=100, deadline=None)

unit = st.floats(0.0, 1.0, allow_nan=False)
rgb01 = arrays(np.float64, (3,), elements=unit)
rgb01_batch = arrays(np.float64, st.tuples(st.integers(1, 20), st.just(3)), elements=unit)
lab_values = st.tuples(
    st.floats(0.0, 100.0, allow_nan=False),
    st.floats(-128.0, 128.0, allow_nan=False),
    st.floats(-128.0, 128.0, allow_nan=False),
).map(np.array)

# Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Table 1: all 34 pairs.
SHARMA_2005 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]

# BT.709 linear -> BT.2020 linear, the inverse of the module's BT.2087 matrix.
BT709_TO_BT2020 = np.linalg.inv(color.BT2020_TO_BT709)
WHITE_NITS = hdr.SDR_REFERENCE_WHITE_NITS


def _nits(linear_bt709: np.ndarray) -> np.ndarray:
    """SDR linear BT.709 -> HDR display light in BT.2020 primaries (cd/m2)."""
    return np.asarray(linear_bt709 @ BT709_TO_BT2020.T * WHITE_NITS)


# --- sRGB <-> linear ---------------------------------------------------------------------------


# Each conversion and its inverse, with the tolerance of the round trip. 1e-6 where sRGB
# encoding is undone: IEC 61966-2-1's two thresholds (0.04045 and 0.0031308) disagree by 5e-9,
# so values at the seam come back 3e-8 off (see test_srgb_seam).
ROUND_TRIPS = [
    ("srgb->linear", color.srgb_to_linear, color.linear_to_srgb, 1e-6),
    ("linear->srgb", color.linear_to_srgb, color.srgb_to_linear, 1e-9),
    ("linear->lab", color.linear_to_lab, color.lab_to_linear, 1e-9),
    ("srgb->lab", color.srgb_to_lab, color.lab_to_srgb, 1e-6),
    ("linear->oklab", color.linear_to_oklab, color.oklab_to_linear, 1e-9),
]


@pytest.mark.parametrize(
    ("forward", "back", "atol"), [r[1:] for r in ROUND_TRIPS], ids=[r[0] for r in ROUND_TRIPS]
)
@FAST
@given(values=rgb01_batch)
def test_round_trip(
    forward: Callable[[np.ndarray], np.ndarray],
    back: Callable[[np.ndarray], np.ndarray],
    atol: float,
    values: np.ndarray,
) -> None:
    np.testing.assert_allclose(back(forward(values)), values, atol=atol, rtol=0)


def test_srgb_seam() -> None:
    seam = np.array([0.04, 0.04045, 0.0405])
    back = color.linear_to_srgb(color.srgb_to_linear(seam))
    np.testing.assert_allclose(back, seam, atol=1e-7, rtol=0)


def test_srgb_linear_known_values() -> None:
    # The linear segment below 0.04045, the power segment above; 0 and 1 are fixed points.
    np.testing.assert_allclose(
        color.srgb_to_linear([0.0, 0.02, 0.04045, 0.5, 1.0]),
        [0.0, 0.02 / 12.92, 0.04045 / 12.92, 0.21404114, 1.0],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        color.linear_to_srgb([0.0, 0.001, 0.18, 1.0]), [0.0, 0.01292, 0.46135613, 1.0], atol=1e-7
    )


def test_linear_to_srgb_clips_out_of_range() -> None:
    np.testing.assert_allclose(color.linear_to_srgb([-0.5, 1.5, 1.0]), [0.0, 1.0, 1.0], atol=1e-12)


@FAST
@given(arrays(np.float64, (2,), elements=unit))
def test_srgb_to_linear_is_increasing(pair: np.ndarray) -> None:
    lo, hi = np.sort(pair)
    assert color.srgb_to_linear(lo) <= color.srgb_to_linear(hi)


def test_shapes_are_kept() -> None:
    image = np.full((4, 5, 3), 0.5)
    assert color.srgb_to_lab(image).shape == (4, 5, 3)
    assert color.linear_to_oklab(image).shape == (4, 5, 3)
    assert color.delta_e_2000(np.zeros((4, 5, 3)), np.ones((4, 5, 3))).shape == (4, 5)


# --- CIELAB --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("srgb", "lab"),
    [
        ((1.0, 1.0, 1.0), (100.0, 0.0, 0.0)),
        ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
        ((1.0, 0.0, 0.0), (53.2408, 80.0925, 67.2032)),
        ((0.0, 1.0, 0.0), (87.7347, -86.1827, 83.1793)),
        ((0.0, 0.0, 1.0), (32.2970, 79.1875, -107.8602)),
        ((0.5, 0.5, 0.5), (53.3890, 0.0, 0.0)),
    ],
)
def test_srgb_to_lab_known_values(
    srgb: tuple[float, float, float], lab: tuple[float, float, float]
) -> None:
    np.testing.assert_allclose(color.srgb_to_lab(srgb), lab, atol=0.01)


def test_greys_have_no_chroma() -> None:
    greys = np.repeat(np.linspace(0, 1, 11)[:, None], 3, axis=1)
    lab = color.srgb_to_lab(greys)
    np.testing.assert_allclose(lab[:, 1:], 0.0, atol=1e-9)
    assert np.all(np.diff(lab[:, 0]) > 0)


def test_lab_to_linear_is_not_clipped() -> None:
    # A saturated Lab colour outside the sRGB gamut comes back with a negative component.
    outside = color.lab_to_linear([50.0, -100.0, -100.0])
    assert outside.min() < 0.0
    assert color.lab_to_srgb([50.0, -100.0, -100.0]).min() == 0.0


# --- OKLab ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("linear", "oklab"),
    [
        # Ottosson's published table (linear sRGB of the CIE XYZ reference colours).
        ((1.0, 1.0, 1.0), (1.0, 0.0, 0.0)),
        ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
        ((1.0, 0.0, 0.0), (0.6279554, 0.2248631, 0.1258463)),
        ((0.0, 1.0, 0.0), (0.8664396, -0.2338876, 0.1794985)),
        ((0.0, 0.0, 1.0), (0.4520137, -0.0324570, -0.3115281)),
    ],
)
def test_linear_to_oklab_known_values(
    linear: tuple[float, float, float], oklab: tuple[float, float, float]
) -> None:
    np.testing.assert_allclose(color.linear_to_oklab(linear), oklab, atol=1e-4)


# --- CIEDE2000 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_2005)
def test_delta_e_2000_sharma_pairs(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert round(float(color.delta_e_2000(lab1, lab2)), 4) == expected


def test_delta_e_2000_vectorised_over_the_sharma_table() -> None:
    lab1 = np.array([p[0] for p in SHARMA_2005])
    lab2 = np.array([p[1] for p in SHARMA_2005])
    expected = np.array([p[2] for p in SHARMA_2005])
    np.testing.assert_allclose(color.delta_e_2000(lab1, lab2), expected, atol=5e-5)


@FAST
@given(lab_values, lab_values)
def test_delta_e_2000_symmetric_and_non_negative(lab1: np.ndarray, lab2: np.ndarray) -> None:
    d12 = float(color.delta_e_2000(lab1, lab2))
    d21 = float(color.delta_e_2000(lab2, lab1))
    assert d12 >= 0.0
    assert np.isfinite(d12)
    assert d12 == pytest.approx(d21, abs=1e-9)


@FAST
@given(lab_values)
def test_delta_e_2000_zero_on_identical(lab: np.ndarray) -> None:
    assert float(color.delta_e_2000(lab, lab)) == pytest.approx(0.0, abs=1e-9)


@FAST
@given(st.floats(0.0, 100.0), st.floats(-20.0, 20.0))
def test_delta_e_2000_of_a_lightness_step_at_mid_grey(lightness: float, step: float) -> None:
    # For neutral colours only the lightness term is left: dE = |dL| / SL at the mean L*.
    lab1 = np.array([lightness, 0.0, 0.0])
    lab2 = np.array([lightness + step, 0.0, 0.0])
    mean = lightness + step / 2
    sl = 1 + 0.015 * (mean - 50) ** 2 / np.sqrt(20 + (mean - 50) ** 2)
    assert float(color.delta_e_2000(lab1, lab2)) == pytest.approx(abs(step) / sl, abs=1e-9)


# --- averaging and uint8 -------------------------------------------------------------------------


def test_mean_srgb_of_black_and_white_is_averaged_in_linear_light() -> None:
    mean = color.mean_srgb([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(mean, [0.735357] * 3, atol=1e-5)
    assert color.to_uint8(mean).tolist() == [188, 188, 188]


def test_mean_srgb_weights() -> None:
    # Weights 3:1 of white and black: linear 0.75, not sRGB 0.75.
    mean = color.mean_srgb([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], weights=[3.0, 1.0])
    np.testing.assert_allclose(mean, color.linear_to_srgb(0.75) * np.ones(3), atol=1e-12)
    assert mean[0] == pytest.approx(0.880825, abs=1e-5)


@FAST
@given(rgb01)
def test_mean_srgb_of_one_colour_repeated_is_that_colour(srgb: np.ndarray) -> None:
    # 1e-6: the sRGB seam at 0.04045 (see test_srgb_seam).
    np.testing.assert_allclose(color.mean_srgb(np.stack([srgb] * 4)), srgb, atol=1e-6)


def test_to_uint8_rounds_and_clips() -> None:
    got = color.to_uint8([-0.1, 0.0, 0.5 / 255, 1.49 / 255, 0.5, 1.0, 1.2])
    assert got.dtype == np.uint8
    assert got.tolist() == [0, 0, 0, 1, 128, 255, 255]


# --- Y'CbCr ----------------------------------------------------------------------------------


@pytest.mark.parametrize("matrix", sorted(color.YCBCR_COEFFICIENTS))
def test_ycbcr_to_rgb_inverts_the_matrix(matrix: str) -> None:
    kr, kb = color.YCBCR_COEFFICIENTS[matrix]
    kg = 1 - kr - kb
    rgb = np.array([[0.9, 0.2, 0.4], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.1, 0.7, 0.3]])
    y = rgb @ np.array([kr, kg, kb])
    cb = (rgb[:, 2] - y) / (2 * (1 - kb))
    cr = (rgb[:, 0] - y) / (2 * (1 - kr))
    np.testing.assert_allclose(
        color.ycbcr_to_rgb(np.stack([y, cb, cr], axis=-1), matrix), rgb, atol=1e-12
    )


# --- HDR ---------------------------------------------------------------------------------


def test_pq_to_nits_known_values() -> None:
    assert float(hdr.pq_to_nits(0.0)) == 0.0
    assert float(hdr.pq_to_nits(0.5081)) == pytest.approx(100.0, abs=0.1)
    assert float(hdr.pq_to_nits(0.58069)) == pytest.approx(203.0, abs=0.1)
    assert float(hdr.pq_to_nits(0.7518)) == pytest.approx(1000.0, abs=1.0)
    assert float(hdr.pq_to_nits(1.0)) == pytest.approx(10000.0, rel=1e-9)


def test_pq_to_nits_is_increasing() -> None:
    nits = hdr.pq_to_nits(np.linspace(0, 1, 1025))
    assert np.all(np.diff(nits) > 0)


@pytest.mark.parametrize("peak", [1000.0, 400.0, 2000.0])
def test_hlg_to_nits_black_and_peak(peak: float) -> None:
    np.testing.assert_allclose(hdr.hlg_to_nits([0.0, 0.0, 0.0], peak_nits=peak), 0.0)
    np.testing.assert_allclose(
        hdr.hlg_to_nits([1.0, 1.0, 1.0], peak_nits=peak), [peak] * 3, rtol=1e-6
    )


def test_hlg_reference_white_is_203_nits() -> None:
    np.testing.assert_allclose(hdr.hlg_to_nits([0.75, 0.75, 0.75]), [203.0] * 3, atol=0.5)


def test_hlg_to_nits_is_increasing_on_greys() -> None:
    signal = np.repeat(np.linspace(0, 1, 257)[:, None], 3, axis=1)
    nits = hdr.hlg_to_nits(signal)[:, 1]
    assert np.all(np.diff(nits) > 0)


@FAST
@given(arrays(np.float64, (3,), elements=st.floats(0.0, 0.9)))
def test_tonemap_keeps_sdr_range_light_exact(linear: np.ndarray) -> None:
    np.testing.assert_allclose(hdr.tonemap_to_sdr(_nits(linear)), linear, atol=1e-9)


def test_tonemap_sdr_white_and_grey() -> None:
    np.testing.assert_allclose(hdr.tonemap_to_sdr([101.5, 101.5, 101.5]), [0.5] * 3, atol=1e-9)
    # Reference white (203 nits) is above the knee: rolled off, but still close to 1.
    white = hdr.tonemap_to_sdr([203.0, 203.0, 203.0])
    assert 0.9 < white[0] < 1.0
    assert white[0] == pytest.approx(0.9 + 0.1 * (1 - np.exp(-1.0)), abs=1e-9)


@FAST
@given(
    arrays(np.float64, (3,), elements=st.floats(0.0, 1.0)).filter(lambda c: c.max() > 0.05),
    st.floats(0.01, 60.0),
    st.floats(1.0, 10.0),
)
def test_tonemap_is_monotonic_and_in_range(
    linear: np.ndarray, brightness: float, factor: float
) -> None:
    # Same chromaticity, brighter light: no component gets darker; everything stays in [0, 1].
    dim = hdr.tonemap_to_sdr(_nits(linear * brightness))
    bright = hdr.tonemap_to_sdr(_nits(linear * brightness * factor))
    assert np.all(bright >= dim - 1e-12)
    for out in (dim, bright):
        assert out.min() >= 0.0
        assert out.max() <= 1.0


@FAST
@given(
    arrays(np.float64, (3,), elements=st.floats(0.0, 1.0)).filter(lambda c: c.max() > 0.05),
    st.floats(1.0, 50.0),
)
def test_tonemap_keeps_hue_of_bt709_colours(linear: np.ndarray, brightness: float) -> None:
    out = hdr.tonemap_to_sdr(_nits(linear * brightness))
    # All components are scaled alike, so the ratios between them hold.
    np.testing.assert_allclose(out / out.max(), linear / linear.max(), atol=1e-9)


def test_tonemap_rolls_off_continuously_at_the_knee() -> None:
    grey = np.linspace(0.85, 0.95, 201)
    nits = _nits(np.repeat(grey[:, None], 3, axis=1))
    out = hdr.tonemap_to_sdr(nits)[:, 0]
    slopes = np.diff(out) / np.diff(grey)
    # C1 at the knee: the slope goes from 1 down smoothly, without a jump.
    assert np.all(np.abs(np.diff(slopes)) < 0.01)
    assert slopes[0] == pytest.approx(1.0, abs=1e-6)
    assert 0.5 < slopes[-1] < 1.0


def test_tonemap_highlights_stay_below_one() -> None:
    # 2.5 x reference white is compressed into the last 10%; the PQ peak saturates at 1.
    out = hdr.tonemap_to_sdr(np.full((2, 3), [[500.0], [10000.0]]))
    assert 0.99 < out[0].max() < 1.0
    assert out[0].max() == pytest.approx(0.9 + 0.1 * (1 - np.exp(-(500 / 203 - 0.9) / 0.1)))
    assert 0.999 < out[1].max() <= 1.0


def test_tonemap_clips_colours_outside_bt709() -> None:
    # Pure BT.2020 green is outside BT.709: negative red and blue are clipped to 0.
    out = hdr.tonemap_to_sdr([0.0, 100.0, 0.0])
    assert out[0] == 0.0
    assert out[2] == 0.0
    assert out[1] > 0.5


@pytest.mark.parametrize(
    ("transfer", "reference"), [("pq", hdr.pq_to_nits), ("hlg", hdr.hlg_to_nits)]
)
def test_fast_hdr_path_agrees_with_the_reference_within_a_level(
    transfer: str, reference: Callable[[np.ndarray], np.ndarray]
) -> None:
    signal = np.random.default_rng(5).random((64, 64, 3)).astype(np.float32)
    fast = hdr.hdr_to_srgb8(signal, transfer).astype(int)
    slow = color.to_uint8(color.linear_to_srgb(hdr.tonemap_to_sdr(reference(signal))))
    assert np.abs(fast - slow).max() <= 1
    assert (fast != slow).mean() < 0.01


def test_bt2020_sdr_path_agrees_with_the_reference_within_a_level() -> None:
    signal = np.random.default_rng(6).random((64, 64, 3)).astype(np.float32)
    linear = color.srgb_to_linear(signal.astype(np.float64)) @ color.BT2020_TO_BT709.T
    slow = color.to_uint8(color.linear_to_srgb(np.clip(linear, 0.0, 1.0)))
    assert np.abs(hdr.bt2020_sdr_to_srgb8(signal).astype(int) - slow).max() <= 1
