"""Forecast service settings (environment variables)."""

from pydantic import AliasChoices, Field

from shared.settings import ServiceSettings


class ForecastSettings(ServiceSettings):
    port: int = Field(8004, validation_alias=AliasChoices("FORECAST_PORT", "PORT"))
    refit_check_seconds: float = Field(10.0, description="How often new snapshots trigger refits")
    default_horizon: int = 5
