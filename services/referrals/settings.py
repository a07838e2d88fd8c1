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
    ssda903_max_upload_bytes: int = Field(
        64 * 1024 * 1024,
        description="Largest 903 upload (all files together; 413 above it): a large LA's "
        "return is about 20 MB, above the MAX_REQUEST_BYTES of other requests",
    )
    ssda903_max_imports: int = Field(
        2,
        ge=1,
        description="903 imports one process runs or holds at once (each up to a few hundred "
        "MB); one more is a 503 with Retry-After",
    )
