"""The metrics registry: what a sensor may report, in which unit, within which physical range."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricSpec:
    name: str
    unit: str
    minimum: float
    maximum: float
    description: str
    aliases: tuple[str, ...] = ()

    def accepts_unit(self, unit: str) -> bool:
        return unit == self.unit or unit in self.aliases


METRICS: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        MetricSpec("pm2_5", "ug/m3", 0.0, 1000.0, "Fine particulate matter (PM2.5)", ("µg/m³", "µg/m3")),
        MetricSpec("pm10", "ug/m3", 0.0, 2000.0, "Coarse particulate matter (PM10)", ("µg/m³", "µg/m3")),
        MetricSpec("no2", "ppb", 0.0, 5000.0, "Nitrogen dioxide"),
        MetricSpec("o3", "ppb", 0.0, 1000.0, "Ozone"),
        MetricSpec(
            "noise_laeq", "dB(A)", 0.0, 160.0, "Equivalent continuous sound level, A-weighted", ("dBA",)
        ),
        MetricSpec("h2s", "ppm", 0.0, 1000.0, "Hydrogen sulphide"),
        MetricSpec("water_level", "cm", -500.0, 3000.0, "Water level above the gauge datum"),
        MetricSpec("traffic_speed", "km/h", 0.0, 300.0, "Mean vehicle speed"),
        MetricSpec("traffic_volume", "vehicles/min", 0.0, 1000.0, "Vehicle flow"),
    )
}
