"""JSON Schema and AsyncAPI documents generated from the event models."""

import json
from pathlib import Path
from typing import Any

from shared.codes.ssda903 import CODES_VERSION
from shared.events.derived import ForecastPublished, IndicatorsSnapshot
from shared.events.envelope import Envelope
from shared.events.feed import FeedVacancy
from shared.events.journey import JourneyEvent
from shared.events.registry import EVENT_TYPES
from shared.events.supply import SupplyEvent
from shared.kafka import topics

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"


def _members(union: Any) -> list[type[Envelope]]:
    return list(union.__args__)


def channels(region: str = "D2N2") -> dict[str, tuple[str, list[type[Envelope]]]]:
    """Topic -> (description, event classes on it)."""
    return {
        topics.JOURNEY: ("Child journey events, keyed by child id", _members(JourneyEvent)),
        topics.SUPPLY: ("Homes and vacancies, keyed by home id", _members(SupplyEvent)),
        topics.region_feed(region): (
            "The shared regional vacancy feed (no child data), keyed by vacancy id",
            [FeedVacancy],
        ),
        topics.INDICATORS: ("Indicator snapshots per LA and date", [IndicatorsSnapshot]),
        topics.FORECASTS: ("Published forecasts", [ForecastPublished]),
    }


def json_schemas() -> dict[str, dict[str, Any]]:
    return {name: cls.model_json_schema() for name, cls in sorted(EVENT_TYPES.items())}


def asyncapi(region: str = "D2N2") -> dict[str, Any]:
    messages = {
        name: {
            "name": name,
            "contentType": "application/cloudevents+json",
            "payload": {"$ref": f"schemas/{name}.json"},
        }
        for name in EVENT_TYPES
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Placement sufficiency events",
            "version": f"1.0.0 (codes {CODES_VERSION})",
            "description": "CloudEvents 1.0 (structured JSON) exchanged between the services.",
        },
        "channels": {
            topic: {
                "address": topic,
                "description": desc,
                "messages": {
                    cls.model_fields["type"].default: {
                        "$ref": f"#/components/messages/{cls.model_fields['type'].default}"
                    }
                    for cls in classes
                },
            }
            for topic, (desc, classes) in channels(region).items()
        },
        "components": {"messages": messages},
    }


def rendered() -> dict[Path, str]:
    """Every generated file and its text."""
    files = {
        CONTRACT_DIR / "schemas" / f"{name}.json": _dump(schema)
        for name, schema in json_schemas().items()
    }
    files[CONTRACT_DIR / "asyncapi.json"] = _dump(asyncapi())
    return files


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def write() -> list[Path]:
    files = rendered()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sorted(files)


def stale() -> list[Path]:
    """Generated files that differ from what the models give now."""
    return sorted(p for p, text in rendered().items() if not p.exists() or p.read_text() != text)
