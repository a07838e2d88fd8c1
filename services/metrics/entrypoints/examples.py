"""Examples for the metrics service's OpenAPI document."""

from shared.http.examples import Examples

_WITHIN_20 = {
    "name": "within_20_miles_ratio",
    "breakdown": None,
    "value": 0.639,
    "numerator": 382.0,
    "denominator": 598.0,
    "unit": "ratio",
    "target": 0.7,
    "rag": "amber",
    "suppressed": False,
}

EXAMPLES: Examples = {
    "GET /indicators": {
        "response": {
            "la": "E06000015",
            "region": None,
            "as_of": "2024-03-31",
            "indicators": [
                {
                    "name": "children_in_care",
                    "breakdown": None,
                    "value": 598.0,
                    "numerator": 598.0,
                    "denominator": None,
                    "unit": "children",
                    "target": None,
                    "rag": None,
                    "suppressed": False,
                },
                _WITHIN_20,
            ],
        }
    },
    "GET /indicators/{name}/series": {
        "response": {
            "name": "within_20_miles_ratio",
            "breakdown": None,
            "la": "E06000015",
            "region": None,
            "interval": "month",
            "points": [
                {"date": "2024-02-29", "value": 0.641, "numerator": 380.0, "denominator": 593.0},
                {"date": "2024-03-31", "value": 0.639, "numerator": 382.0, "denominator": 598.0},
            ],
        }
    },
    "GET /reference/{kind}": {
        "response": [{"region": "D2N2", "la": "E06000015", "la_name": "Derby"}]
    },
    "PUT /reference/{kind}": {
        "request": "region,la,la_name\nD2N2,E06000015,Derby\n",
        "response": {"loaded": 1},
    },
    "GET /wall/stream": {"response": 'event: wall\ndata: {"region": "D2N2", "tiles": []}\n\n'},
    "GET /wall": {"response": "<!doctype html><title>Placement sufficiency</title>..."},
    "GET /reports/sufficiency": {
        "response": "<!doctype html><title>Sufficiency assessment: Derby, 31 March 2026</title>..."
    },
    "GET /reports/sufficiency.{suffix}": {
        "response": "table,row_number,row,column,value,unit,as_of,scope,definitions\n..."
    },
    "GET /reports/definitions": {
        "response": "<!doctype html><title>Definitions of the sufficiency report</title>..."
    },
}
