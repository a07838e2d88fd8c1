"""The dates of a series: month ends, 31 Marches, or days."""

from datetime import date, timedelta


def month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def points_between(start: date, end: date, interval: str) -> list[date]:
    if interval == "day":
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if interval == "year":
        return [d for y in range(start.year, end.year + 1) if start <= (d := date(y, 3, 31)) <= end]
    out, year, month = [], start.year, start.month
    while (d := month_end(year, month)) <= end:
        if d >= start:
            out.append(d)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
