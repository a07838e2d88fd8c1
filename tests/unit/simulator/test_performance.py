"""How long five years of all four LAs takes (printed, not asserted)."""


def test_five_year_backfill_time(five_years):
    events, seconds = five_years
    print(f"\n5-year backfill of the four D2N2 LAs: {len(events):,} events in {seconds:.1f} s")
    assert events
