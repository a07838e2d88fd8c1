"""Do two metrics stores give the same indicators? (after a replay, before a swap)"""

from datetime import date

from sqlalchemy import Engine

from services.metrics.domain.series import points_between
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings


def load_state(engine: Engine, settings: MetricsSettings) -> MetricsState:
    state = MetricsState(settings, engine)
    state.load()
    return state


def differences(a: MetricsState, b: MetricsState, today: date) -> list[str]:
    """Indicator values that differ, at today and at each 31 March of the history."""
    out = []
    las = sorted(set(a.live.las()) | set(b.live.las()))
    first = min((d for la in las if (d := a.live.first_date(la))), default=today)
    days = [*points_between(first, today, "year"), today]
    for la in las:
        for day in days:
            left = {(i.name, i.breakdown): i.value for i in a.live.indicators(la, day)}
            right = {(i.name, i.breakdown): i.value for i in b.live.indicators(la, day)}
            out += [
                f"{la} {day} {key}: {left.get(key)} != {right.get(key)}"
                for key in sorted(set(left) | set(right), key=str)
                if left.get(key) != right.get(key)
            ]
    return out
