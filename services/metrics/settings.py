"""Metrics service settings (environment variables)."""

from pydantic import AliasChoices, Field

from shared.settings import ServiceSettings


class MetricsSettings(ServiceSettings):
    port: int = Field(8003, validation_alias=AliasChoices("METRICS_PORT", "PORT"))
    snapshot_min_interval_seconds: float = Field(
        60.0, description="At most one indicators.snapshot.v1 per LA and date in this interval"
    )
    snapshot_check_seconds: float = 5.0
    suppress_below: int = Field(6, description="Counts 1..N-1 suppressed on regional views")
    forecast_url: str | None = Field(
        None, description="The forecast service the report asks; unset: http://HOST:FORECAST_PORT"
    )
    forecast_port: int = 8004
    report_forecast_timeout_seconds: float = 30.0
    chromium_path: str = Field("", description="Chromium that prints the report's PDF")

    def forecast_base(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return (self.forecast_url or f"http://{host}:{self.forecast_port}").rstrip("/")
