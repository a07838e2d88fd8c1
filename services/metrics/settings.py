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
