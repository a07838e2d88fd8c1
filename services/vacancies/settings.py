"""Vacancies service settings (environment variables)."""

from pydantic import AliasChoices, Field

from services.vacancies.domain.addresses import AddressPolicy
from shared.settings import ServiceSettings


class VacanciesSettings(ServiceSettings):
    port: int = Field(8002, validation_alias=AliasChoices("VACANCIES_PORT", "PORT"))
    scheduler_seconds: float = Field(1.0, description="How often lapsed holds and expiries run")
    feed_poll_seconds: float = Field(0.2, description="How often SSE streams look for new entries")
    feed_page_max: int = 500
    webhook_poll_seconds: float = 0.2
    webhook_timeout_seconds: float = 5.0
    webhook_backoff_base_seconds: float = 1.0
    webhook_backoff_max_seconds: float = 300.0
    webhook_pause_after_seconds: float = Field(
        86_400.0, description="A subscription failing this long is paused (default 24 h)"
    )
    webhook_max_subscriptions: int = Field(
        20, ge=1, description="Webhook subscriptions one key may hold at once"
    )
    webhook_allowed_hosts: str = Field(
        "",
        description="Comma-separated webhook host names delivered to whatever they resolve to "
        "(an operator's own receivers); every other host must resolve to public addresses only",
    )
    webhook_allowed_cidrs: str = Field(
        "",
        description="Comma-separated networks (e.g. 10.20.0.0/16, 127.0.0.1/32) webhook hosts "
        "may resolve to although they are not public",
    )

    def webhook_address_policy(self) -> AddressPolicy:
        return AddressPolicy.of(
            self.webhook_allowed_hosts.split(","), self.webhook_allowed_cidrs.split(",")
        )
