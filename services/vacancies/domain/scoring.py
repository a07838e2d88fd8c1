"""Points for each matching criterion other than needs, with their reasons (pure)."""

from dataclasses import dataclass

TARGET_METRES = 32_186.0  # 20 miles: the DfE's "distant placement" line
METRES_PER_MILE = 1609.3
OFSTED_POINTS = {
    "outstanding": 15.0,
    "good": 10.0,
    "not_yet_inspected": 2.0,
    "requires_improvement": 0.0,
    "inadequate": -25.0,
}


@dataclass(frozen=True)
class Reason:
    criterion: str
    points: float
    detail: str


def age_reason(age: int | None, low: int, high: int) -> Reason:
    if age is None:
        return Reason("age", 0.0, "age not known")
    if low <= age <= high:
        return Reason("age", 20.0, f"age {age} within {low}-{high}")
    return Reason("age", -30.0, f"age {age} outside {low}-{high}")


def distance_reason(metres: float | None) -> Reason:
    if metres is None:
        return Reason("distance", 0.0, "distance not known")
    miles = f"{metres / METRES_PER_MILE:.1f} miles"
    share = metres / TARGET_METRES
    if metres <= TARGET_METRES:
        return Reason(
            "distance", round(20.0 + 10.0 * (1 - share), 1), f"{miles} from home: within 20 miles"
        )
    points = 0.0 - round(min(20.0, 10.0 * (share - 1)), 1)  # 0.0 - x: never -0.0
    return Reason("distance", points, f"{miles} from home: beyond 20 miles")


def ofsted_reason(rating: str) -> Reason:
    return Reason("ofsted", OFSTED_POINTS.get(rating, 0.0), f"Ofsted {rating}")


def price_reasons(
    price: float | None,
    framework_price: float | None,
    max_price: float | None,
    on_framework: str | None,
) -> list[Reason]:
    if price is None:
        return [Reason("price", 0.0, "weekly price not known")]
    out: list[Reason] = []
    if framework_price:
        if price <= framework_price:
            out.append(Reason("price", 10.0, f"£{price:,.0f} at or below £{framework_price:,.0f}"))
        else:
            over = price / framework_price - 1
            points = -round(min(20.0, 40.0 * over), 1)
            out.append(Reason("price", points, f"£{price:,.0f} is {over:.0%} above framework"))
    if max_price is not None and price > max_price:
        out.append(Reason("price", -40.0, f"£{price:,.0f} above the maximum £{max_price:,.0f}"))
    if on_framework:
        out.append(Reason("framework", 5.0, f"on the {on_framework} framework"))
    return out or [Reason("price", 0.0, f"£{price:,.0f} a week")]
