"""The CloudEvents 1.0 envelope (structured JSON mode) every event travels in."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

LaCode = Annotated[
    str,
    Field(
        pattern=r"^[EW]\d{8}$",
        description="ONS/DfE code of the responsible LA",
        examples=["E06000015"],
    ),
]


class Envelope(BaseModel):
    """Attributes common to every event; subclasses fix `type` and `data`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: UUID = Field(description="Assigned by the producer; the idempotency key")
    source: str = Field(min_length=1, examples=["/la/E06000015/lcs"])
    type: str
    time: AwareDatetime = Field(description="When it happened in the world")
    subject: str | None = None
    la: LaCode
    datacontenttype: Literal["application/json"] = "application/json"

    @property
    def occurred_at(self) -> datetime:
        return self.time


class EventData(BaseModel):
    """Base of every `data` payload: unknown fields are ignored (EVENTS.md)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
