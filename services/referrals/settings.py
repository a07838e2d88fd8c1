"""Referrals service settings (environment variables)."""

from pydantic import AliasChoices, Field

from shared.settings import ServiceSettings


class ReferralsSettings(ServiceSettings):
    port: int = Field(8001, validation_alias=AliasChoices("REFERRALS_PORT", "PORT"))
    ssda903_async_bytes: int = Field(
        2_000_000,
        description="903 uploads larger than this (all files together) are imported in the "
        "background: 202 with a job id and a status URL",
    )
