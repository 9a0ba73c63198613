"""US EPA Air Quality Index (AQI) for PM2.5, PM10, NO2 and O3.

Breakpoints follow the EPA Technical Assistance Document for the Reporting of Daily Air Quality
(the AQI), as revised in 2024 (PM2.5 Good ends at 9.0 µg/m³; one Hazardous band, 301–500):

    I = (I_hi - I_lo) / (C_hi - C_lo) × (C - C_lo) + I_lo, rounded to the nearest integer (half up),

where C is the concentration truncated as EPA does (PM2.5 to 0.1 µg/m³, PM10 to 1 µg/m³, NO2 and O3
to 1 ppb) and [C_lo, C_hi] → [I_lo, I_hi] is the band that holds C. Above the top breakpoint the top
band is extended (the TAD allows using the last two breakpoints), so the index may exceed 500.

Simplification: EPA defines PM2.5 and PM10 on 24-hour averages, O3 on 8-hour averages and NO2 on
1-hour averages. A sensor reading is an instantaneous value and is treated here as the average of the
period. The AQI of a reading is therefore an early indication, not the official daily index.

Ozone: 8-hour O3 defines the index up to 200 ppb (AQI 300). Above that EPA uses the 1-hour table,
whose Hazardous band is 405–604 ppb (AQI 301–500). Between 201 and 404 ppb the 1-hour table would
give a lower index than 200 ppb does on the 8-hour table, so those values are held at AQI 300 (Very
Unhealthy, the category both tables agree on) and the index never falls as the concentration rises.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum


class AqiCategory(StrEnum):
    GOOD = "Good"
    MODERATE = "Moderate"
    UNHEALTHY_FOR_SENSITIVE_GROUPS = "Unhealthy for Sensitive Groups"
    UNHEALTHY = "Unhealthy"
    VERY_UNHEALTHY = "Very Unhealthy"
    HAZARDOUS = "Hazardous"


_CATEGORY_CEILINGS: tuple[tuple[int, AqiCategory], ...] = (
    (50, AqiCategory.GOOD),
    (100, AqiCategory.MODERATE),
    (150, AqiCategory.UNHEALTHY_FOR_SENSITIVE_GROUPS),
    (200, AqiCategory.UNHEALTHY),
    (300, AqiCategory.VERY_UNHEALTHY),
)


@dataclass(frozen=True)
class Band:
    c_low: Decimal
    c_high: Decimal
    i_low: int
    i_high: int


@dataclass(frozen=True)
class PollutantTable:
    resolution: Decimal  # concentrations are truncated to this step before the lookup
    bands: tuple[Band, ...]


def _table(resolution: str, rows: tuple[tuple[str, str, int, int], ...]) -> PollutantTable:
    return PollutantTable(
        Decimal(resolution), tuple(Band(Decimal(lo), Decimal(hi), i_lo, i_hi) for lo, hi, i_lo, i_hi in rows)
    )


AQI_TABLES: dict[str, PollutantTable] = {
    "pm2_5": _table(  # µg/m³, 24-hour
        "0.1",
        (
            ("0.0", "9.0", 0, 50),
            ("9.1", "35.4", 51, 100),
            ("35.5", "55.4", 101, 150),
            ("55.5", "125.4", 151, 200),
            ("125.5", "225.4", 201, 300),
            ("225.5", "325.4", 301, 500),
        ),
    ),
    "pm10": _table(  # µg/m³, 24-hour
        "1",
        (
            ("0", "54", 0, 50),
            ("55", "154", 51, 100),
            ("155", "254", 101, 150),
            ("255", "354", 151, 200),
            ("355", "424", 201, 300),
            ("425", "604", 301, 500),
        ),
    ),
    "no2": _table(  # ppb, 1-hour
        "1",
        (
            ("0", "53", 0, 50),
            ("54", "100", 51, 100),
            ("101", "360", 101, 150),
            ("361", "649", 151, 200),
            ("650", "1249", 201, 300),
            ("1250", "2049", 301, 500),
        ),
    ),
    "o3": _table(  # ppb, 8-hour up to 200, then the 1-hour Hazardous band (see the module docstring)
        "1",
        (
            ("0", "54", 0, 50),
            ("55", "70", 51, 100),
            ("71", "85", 101, 150),
            ("86", "105", 151, 200),
            ("106", "200", 201, 300),
            ("201", "404", 300, 300),
            ("405", "604", 301, 500),
        ),
    ),
}


@dataclass(frozen=True)
class AirQualityIndex:
    metric: str
    concentration: float  # after EPA truncation
    aqi: int
    category: AqiCategory


def category_for(aqi: int) -> AqiCategory:
    for ceiling, category in _CATEGORY_CEILINGS:
        if aqi <= ceiling:
            return category
    return AqiCategory.HAZARDOUS


def truncate(metric: str, concentration: float) -> Decimal:
    """The concentration cut (not rounded) to the pollutant's reporting step; negatives read as 0."""
    step = AQI_TABLES[metric].resolution
    return max(Decimal(repr(concentration)).quantize(step, rounding=ROUND_DOWN), Decimal(0))


def aqi_for(metric: str, concentration: float) -> AirQualityIndex:
    """The AQI of one concentration of `metric` ("pm2_5", "pm10", "no2" or "o3"); KeyError otherwise."""
    table = AQI_TABLES[metric]
    truncated = truncate(metric, concentration)
    band = next((b for b in table.bands if truncated <= b.c_high), table.bands[-1])
    slope = Decimal(band.i_high - band.i_low) / (band.c_high - band.c_low)
    index = int((slope * (truncated - band.c_low) + band.i_low).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return AirQualityIndex(metric, float(truncated), index, category_for(index))
