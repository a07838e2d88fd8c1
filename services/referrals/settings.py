"""Referrals service settings (environment variables)."""

from pydantic import AliasChoices, Field

from shared.settings import ServiceSettings


class ReferralsSettings(ServiceSettings):
    port: int = Field(8001, validation_alias=AliasChoices("REFERRALS_PORT", "PORT"))
