"""Examples for the forecast service's OpenAPI document."""

from typing import Any

from shared.http.examples import Examples

_LINEAR = {"model": "linear", "mape": 0.031, "bias": -0.004, "coverage": 0.9, "cases": 4}


def _outcome(children: float, weekly_cost: float) -> dict[str, Any]:
    return {
        "year": 2026,
        "children": {"fostering": children},
        "beds_needed": {"fostering.own": children * 0.6, "fostering.external": children * 0.4},
        "own_spare": {"fostering": 0.0},
        "weekly_cost": weekly_cost,
        "annual_cost": weekly_cost * 52,
        "uncosted": {},
    }


EXAMPLES: Examples = {
    "GET /forecasts": {
        "response": {
            "scope": "E10000007",
            "series": "children_in_care",
            "model": "linear",
            "default_model": "linear",
            "level": 0.95,
            "points": [{"period": "2025-03-31", "mid": 1112.0, "lower": 1062.0, "upper": 1163.0}],
            "backtest": _LINEAR,
            "backtests": [_LINEAR],
            "widened_to_backtest": False,
            "history": [["2023-03-31", 1000.0], ["2024-03-31", 1057.0]],
        }
    },
    "POST /series/upload": {
        "request": "la,date,series,value\nE10000007,2019-03-31,children_in_care,802\n",
        "response": {"loaded": 1, "errors": []},
    },
    "POST /scenarios": {
        "request": {
            "la": "E10000007",
            "horizon": 5,
            "steps": [
                {"kind": "reduce_entries", "percent": 10, "year": 2026},
                {"kind": "open_home", "beds": 4, "year": 2027, "category": "residential"},
            ],
        },
        "response": {
            "la": "E10000007",
            "steps": [{"kind": "reduce_entries", "percent": 10.0, "year": 2026}],
            "years": [
                {
                    "year": 2026,
                    "scenario": _outcome(1021.0, 2_980_000.0),
                    "baseline": _outcome(1040.0, 3_020_000.0),
                    "difference": _outcome(-19.0, -40_000.0),
                }
            ],
        },
    },
}
