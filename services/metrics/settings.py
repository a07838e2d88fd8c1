"""Metrics service settings (environment variables)."""

import socket

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
    report_pdf_printers: int = Field(
        2, ge=1, description="PDFs printed at once (each a Chromium of a few hundred MB)"
    )
    report_pdf_wait_seconds: float = Field(
        30.0, gt=0, description="How long a PDF request waits for a printer before a 503"
    )
    projection_freeze_every_events: int = Field(
        20_000,
        description="Freeze the heap (gc.freeze) after this many events folded, so full "
        "garbage collections no longer walk the projection (service_layer/heap.py); 0: never",
    )
    replica_id_from_hostname: bool = Field(
        False, description="REPLICA_ID unset: use the host name (a Compose container's id)"
    )

    def forecast_base(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return (self.forecast_url or f"http://{host}:{self.forecast_port}").rstrip("/")

    def projection_consumer(self) -> str:
        """The projection consumer's name under the service's: one per replica,
        since each replica folds every event into its own in-memory projection."""
        host = socket.gethostname()[:60] if self.replica_id_from_hostname else ""
        replica = self.replica_id or host
        return f"projection.{replica}" if replica else "projection"
