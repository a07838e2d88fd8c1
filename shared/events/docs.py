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
    return {
        name: asyncapi_safe(cls.model_json_schema()) for name, cls in sorted(EVENT_TYPES.items())
    }


def asyncapi_safe(schema: Any) -> Any:
    """Pydantic writes OpenAPI's `discriminator` object; an AsyncAPI Schema (and plain
    JSON Schema, which ignores it) takes only the property name."""
    if isinstance(schema, list):
        return [asyncapi_safe(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: asyncapi_safe(v) for k, v in schema.items()}
    if isinstance(out.get("discriminator"), dict):
        out["discriminator"] = out["discriminator"]["propertyName"]
    return out


def _name(cls: type[Envelope]) -> str:
    return str(cls.model_fields["type"].default)


def _refs(classes: list[type[Envelope]]) -> dict[str, Any]:
    return {_name(c): {"$ref": f"#/components/messages/{_name(c)}"} for c in classes}


def _kafka_channels(region: str) -> dict[str, Any]:
    return {
        topic: {
            "address": topic,
            "description": desc,
            "servers": [{"$ref": "#/servers/broker"}],
            "messages": _refs(classes),
        }
        for topic, (desc, classes) in channels(region).items()
    }


def _http_channels() -> dict[str, Any]:
    feed = _refs([FeedVacancy])
    return {
        "feedStream": {
            "address": "/feed/vacancies/stream",
            "title": "The shared vacancy feed as server-sent events",
            "description": "GET with a bearer key of scope feed:read. Each SSE has "
            "`event: feed.vacancy.v1`, `id: <seq>` and the CloudEvent as `data`; reconnect "
            "with `Last-Event-ID` (or `?cursor=`) to resume after the last seq you have.",
            "servers": [{"$ref": "#/servers/vacancies"}],
            "messages": feed,
        },
        "feedWebhook": {
            "address": "{subscriberUrl}",
            "title": "The shared vacancy feed delivered to a webhook",
            "description": "After POST /feed/subscriptions on the vacancies service, each feed "
            "entry is POSTed in order to the subscriber's URL, signed (see the message "
            "headers); failures are retried with backoff and the subscription paused after "
            "a while (POST /feed/subscriptions/{id}/resume).",
            "parameters": {"subscriberUrl": {"description": "The URL given at subscription"}},
            "servers": [{"$ref": "#/servers/subscriber"}],
            "messages": {"feed.vacancy.v1": {"$ref": "#/components/messages/feed.vacancy.webhook"}},
        },
    }


# (operation id, action, topic, summary): each service's part in the flow; the
# action is the named service's own (it sends or it receives).
_OPERATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("referralsSendsJourney", "send", topics.JOURNEY, "referrals relays accepted journey events"),
    ("vacanciesReceivesJourney", "receive", topics.JOURNEY, "vacancies: occupancy and fills"),
    ("metricsReceivesJourney", "receive", topics.JOURNEY, "metrics: the indicator projection"),
    ("forecastReceivesJourney", "receive", topics.JOURNEY, "forecast: the flow model"),
    ("vacanciesSendsSupply", "send", topics.SUPPLY, "vacancies relays supply events"),
    ("metricsReceivesSupply", "receive", topics.SUPPLY, "metrics: supply indicators"),
    ("metricsSendsIndicators", "send", topics.INDICATORS, "metrics publishes snapshots"),
    ("forecastReceivesIndicators", "receive", topics.INDICATORS, "forecast: the series"),
    ("forecastSendsForecasts", "send", topics.FORECASTS, "forecast publishes forecasts"),
)


def _operations(region: str) -> dict[str, Any]:
    ops: dict[str, Any] = {
        op_id: {
            "action": action,
            "channel": {"$ref": f"#/channels/{_escape(topic)}"},
            "summary": summary,
        }
        for op_id, action, topic, summary in _OPERATIONS
    }
    feed = topics.region_feed(region)
    ops["vacanciesSendsRegionFeed"] = {
        "action": "send",
        "channel": {"$ref": f"#/channels/{_escape(feed)}"},
        "summary": "vacancies publishes the regional feed (no child data) for other LAs",
    }
    ops["vacanciesStreamsFeed"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/feedStream"},
        "summary": "vacancies streams the feed to a client holding a feed:read key",
        "security": [{"$ref": "#/components/securitySchemes/bearerKey"}],
    }
    ops["vacanciesDeliversWebhook"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/feedWebhook"},
        "summary": "vacancies POSTs each feed entry to a subscriber's URL, signed",
        "security": [{"$ref": "#/components/securitySchemes/webhookSignature"}],
    }
    return ops


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _servers() -> dict[str, Any]:
    return {
        "broker": {
            "host": "localhost:9092",
            "protocol": "kafka",
            "description": "The event bus: the embedded Kafka-protocol broker of `make run`, "
            "or the cluster named by KAFKA_BOOTSTRAP_SERVERS. The services alone write to it; "
            "access is the cluster's own (network and ACLs), no key of this API.",
        },
        "vacancies": {
            "host": "localhost:8002",
            "protocol": "http",
            "description": "The vacancies service (VACANCIES_PORT); HTTPS behind the "
            "council's ingress in production.",
            "security": [{"$ref": "#/components/securitySchemes/bearerKey"}],
        },
        "subscriber": {
            "host": "{host}",
            "protocol": "https",
            "description": "A subscriber's own HTTPS endpoint (the webhook URL).",
            "variables": {"host": {"description": "The host of the subscription's URL"}},
        },
    }


def _components() -> dict[str, Any]:
    messages: dict[str, Any] = {
        name: {
            "name": name,
            "title": name,
            "contentType": "application/cloudevents+json",
            "payload": {"$ref": f"schemas/{name}.json"},
        }
        for name in EVENT_TYPES
    }
    messages["feed.vacancy.webhook"] = {
        "name": "feed.vacancy.v1",
        "title": "feed.vacancy.v1 delivered to a webhook",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "X-Signature-256": {
                    "type": "string",
                    "description": "sha256=<hex HMAC-SHA256 of the body with the "
                    "subscription's secret>",
                },
                "X-Feed-Seq": {"type": "string", "description": "The entry's seq"},
                "X-Subscription-Id": {"type": "string"},
            },
        },
        "payload": {"$ref": f"schemas/{_name(FeedVacancy)}.json"},
    }
    return {
        "messages": messages,
        "securitySchemes": {
            "bearerKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "A per-LA API key `psk_<id>_<secret>` with the operation's scope "
                "(`feed:read` for the feed).",
            },
            "webhookSignature": {
                "type": "httpApiKey",
                "in": "header",
                "name": "X-Signature-256",
                "description": "Each delivery carries an HMAC-SHA256 of its body keyed with the "
                "secret returned at subscription; a receiver recomputes it to trust the body.",
            },
        },
    }


def asyncapi(region: str = "D2N2") -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Placement sufficiency events",
            "version": f"1.0.0+codes.{CODES_VERSION}",
            "description": "CloudEvents 1.0 (structured JSON) exchanged between the services "
            "over Kafka, and the shared vacancy feed other LAs' systems receive over "
            "server-sent events and signed webhooks. Payload schemas list the SSDA903 codes "
            "of every supported collection year; an event is checked against its own year's.",
        },
        "servers": _servers(),
        "channels": {**_kafka_channels(region), **_http_channels()},
        "operations": _operations(region),
        "components": _components(),
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
