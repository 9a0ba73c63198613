"""The US EPA AQI, checked against numbers computed by hand.

    I = (I_hi - I_lo) / (C_hi - C_lo) × (C - C_lo) + I_lo, rounded half up,

with C truncated first (PM2.5 to 0.1 µg/m³; PM10, NO2 and O3 to whole units). Worked examples:

- PM2.5 35.9 µg/m³ (EPA's own example): 49 / 19.9 × 0.4 + 101 = 101.98 → 102.
- PM2.5 12.0 µg/m³: 49 / 26.3 × 2.9 + 51 = 56.40 → 56.
- PM2.5 400 µg/m³, above the table, extending the top band: 199 / 99.9 × 174.5 + 301 = 648.60 → 649.
- PM10 100 µg/m³: 49 / 99 × 45 + 51 = 73.27 → 73.
- O3 78 ppb (EPA's example, 0.078 ppm): 49 / 14 × 7 + 101 = 125.5 → 126 (half up).
- O3 72 ppb: 49 / 14 × 1 + 101 = 104.5 → 105 (half up; banker's rounding would give 104).
"""

from __future__ import annotations

import pytest

from chalicelib.domain.sensing.aqi import AqiCategory, aqi_for, category_for

BAND_EDGES = [
    # (metric, concentration, AQI): the two ends of every band
    ("pm2_5", 0.0, 0), ("pm2_5", 9.0, 50), ("pm2_5", 9.1, 51), ("pm2_5", 35.4, 100),
    ("pm2_5", 35.5, 101), ("pm2_5", 55.4, 150), ("pm2_5", 55.5, 151), ("pm2_5", 125.4, 200),
    ("pm2_5", 125.5, 201), ("pm2_5", 225.4, 300), ("pm2_5", 225.5, 301), ("pm2_5", 325.4, 500),
    ("pm10", 0, 0), ("pm10", 54, 50), ("pm10", 55, 51), ("pm10", 154, 100), ("pm10", 155, 101),
    ("pm10", 254, 150), ("pm10", 255, 151), ("pm10", 354, 200), ("pm10", 355, 201), ("pm10", 424, 300),
    ("pm10", 425, 301), ("pm10", 604, 500),
    ("no2", 0, 0), ("no2", 53, 50), ("no2", 54, 51), ("no2", 100, 100), ("no2", 101, 101), ("no2", 360, 150),
    ("no2", 361, 151), ("no2", 649, 200), ("no2", 650, 201), ("no2", 1249, 300), ("no2", 1250, 301),
    ("no2", 2049, 500),
    ("o3", 0, 0), ("o3", 54, 50), ("o3", 55, 51), ("o3", 70, 100), ("o3", 71, 101), ("o3", 85, 150),
    ("o3", 86, 151), ("o3", 105, 200), ("o3", 106, 201), ("o3", 200, 300), ("o3", 405, 301), ("o3", 504, 400),
    ("o3", 505, 401), ("o3", 604, 500),
]  # fmt: skip


@pytest.mark.parametrize(("metric", "concentration", "expected"), BAND_EDGES)
def test_given_a_band_edge_when_indexed_then_the_aqi_is_the_band_end(
    metric: str, concentration: float, expected: int
) -> None:
    assert aqi_for(metric, concentration).aqi == expected


@pytest.mark.parametrize(
    ("metric", "concentration", "expected"),
    [("pm2_5", 35.9, 102), ("pm2_5", 12.0, 56), ("pm10", 100, 73), ("o3", 78, 126), ("o3", 72, 105)],
)
def test_given_a_concentration_inside_a_band_when_indexed_then_the_formula_interpolates_and_rounds_half_up(
    metric: str, concentration: float, expected: int
) -> None:
    assert aqi_for(metric, concentration).aqi == expected


@pytest.mark.parametrize(
    ("metric", "concentration", "expected"),
    [("pm2_5", 35.49, 100), ("pm2_5", 9.09, 50), ("pm10", 54.9, 50), ("no2", 100.9, 100), ("o3", 70.99, 100)],
)
def test_given_a_concentration_between_bands_when_indexed_then_it_is_truncated_not_rounded(
    metric: str, concentration: float, expected: int
) -> None:
    assert aqi_for(metric, concentration).aqi == expected


def test_given_pm2_5_with_float_noise_when_indexed_then_truncation_keeps_the_written_value() -> None:
    result = aqi_for("pm2_5", 0.1 + 0.2)  # 0.30000000000000004

    assert result.concentration == 0.3


def test_given_pm2_5_above_the_table_when_indexed_then_the_top_band_is_extended_beyond_500() -> None:
    result = aqi_for("pm2_5", 400.0)

    assert result.aqi == 649
    assert result.category is AqiCategory.HAZARDOUS


@pytest.mark.parametrize("ppb", [200, 201, 300, 404])
def test_given_ozone_between_the_8_hour_and_1_hour_tables_when_indexed_then_it_stays_very_unhealthy(
    ppb: int,
) -> None:
    result = aqi_for("o3", ppb)

    assert result.aqi == 300
    assert result.category is AqiCategory.VERY_UNHEALTHY


@pytest.mark.parametrize("metric", ["pm2_5", "pm10", "no2", "o3"])
def test_given_rising_concentrations_when_indexed_then_the_aqi_never_falls(metric: str) -> None:
    steps = [step * 0.7 for step in range(0, 3000)]

    indices = [aqi_for(metric, concentration).aqi for concentration in steps]

    assert indices == sorted(indices)


@pytest.mark.parametrize(
    ("aqi", "category"),
    [
        (0, AqiCategory.GOOD),
        (50, AqiCategory.GOOD),
        (51, AqiCategory.MODERATE),
        (100, AqiCategory.MODERATE),
        (101, AqiCategory.UNHEALTHY_FOR_SENSITIVE_GROUPS),
        (150, AqiCategory.UNHEALTHY_FOR_SENSITIVE_GROUPS),
        (151, AqiCategory.UNHEALTHY),
        (200, AqiCategory.UNHEALTHY),
        (201, AqiCategory.VERY_UNHEALTHY),
        (300, AqiCategory.VERY_UNHEALTHY),
        (301, AqiCategory.HAZARDOUS),
        (650, AqiCategory.HAZARDOUS),
    ],
)
def test_given_an_aqi_when_categorised_then_the_epa_category_name_applies(
    aqi: int, category: AqiCategory
) -> None:
    assert category_for(aqi) is category


def test_given_a_band_edge_when_indexed_then_the_category_matches_the_concentration_band() -> None:
    assert aqi_for("pm2_5", 55.4).category is AqiCategory.UNHEALTHY_FOR_SENSITIVE_GROUPS
    assert aqi_for("pm2_5", 55.5).category is AqiCategory.UNHEALTHY
    assert aqi_for("pm2_5", 55.5).category.value == "Unhealthy"


def test_given_a_metric_without_an_aqi_when_indexed_then_it_is_refused() -> None:
    with pytest.raises(KeyError):
        aqi_for("noise_laeq", 70.0)
