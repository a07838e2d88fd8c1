"""Everything the metrics entry points share, built once per process."""

from dataclasses import dataclass, field

from sqlalchemy import Engine

from services.metrics.adapters import event_log, reference_store
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from services.metrics.service_layer.live import LiveProjection
from services.metrics.settings import MetricsSettings


@dataclass
class MetricsState:
    settings: MetricsSettings
    engine: Engine
    live: LiveProjection = field(init=False)
    _regions: dict[str, list[str]] = field(default_factory=dict)
    _reference: dict[str, ReferenceForLa] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.live = LiveProjection(self.reference, self.settings.projection_freeze_every_events)

    def load(self) -> int:
        """Reference data (defaults on an empty store), then the projection
        folded from the store's event log; returns the events folded."""
        reference_store.load_defaults_if_empty(self.engine)
        self.reload_reference()
        folded = 0
        for batch in event_log.read_all(self.engine, self.consumer):
            self.live.apply(batch)
            folded += len(batch)
        return folded

    @property
    def consumer(self) -> str:
        """The name this replica's projection consumer keeps its inbox under."""
        return f"metrics.{self.settings.projection_consumer()}"

    def reload_reference(self) -> None:
        self._regions = reference_store.regions(self.engine)
        pops: dict[str, dict[int, int]] = {}
        for p in reference_store.populations(self.engine):
            pops.setdefault(p.la, {})[p.year] = p.aged_0_17
        targets: dict[str, list[TargetPoint]] = {}
        for t in reference_store.targets(self.engine):
            targets.setdefault(t.la, []).append(
                TargetPoint(
                    indicator=t.indicator,
                    breakdown=t.breakdown or None,
                    valid_from=t.valid_from,
                    value=t.value,
                    higher_is_better=t.higher_is_better,
                )
            )
        records = {r.la: r.complete_from for r in reference_store.records(self.engine)}
        las = set(pops) | set(targets) | set(records)
        las |= {la for m in self._regions.values() for la in m}
        self._reference = {
            la: ReferenceForLa(
                population_by_year=pops.get(la, {}),
                targets=tuple(targets.get(la, [])),
                records_from=records.get(la),
            )
            for la in las
        }
        self.live.invalidate_all()

    def reference(self, la: str) -> ReferenceForLa:
        return self._reference.get(la) or ReferenceForLa(population_by_year={}, targets=())

    def regions(self) -> dict[str, list[str]]:
        return self._regions

    def la_names(self) -> dict[str, str]:
        return reference_store.la_names(self.engine)

    def region_of(self, la: str) -> str:
        return next((r for r, members in self._regions.items() if la in members), "")

    def all_las(self) -> list[str]:
        known = {la for members in self._regions.values() for la in members}
        return sorted(known | set(self.live.las()))
