"""Topic names. Journey events are keyed by child, supply events by home."""

JOURNEY = "journey.v1"
SUPPLY = "supply.v1"
INDICATORS = "indicators.snapshots.v1"
FORECASTS = "forecasts.v1"


def region_feed(region: str) -> str:
    return f"region.{region}.vacancies"


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics(region: str) -> list[str]:
    main = [JOURNEY, SUPPLY, INDICATORS, FORECASTS, region_feed(region)]
    return main + [dead_letter(t) for t in main]
