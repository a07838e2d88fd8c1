"""Examples for the referrals service's OpenAPI document (request bodies of POST /events
are in shared/events/examples.py)."""

from shared.http.examples import Examples
from shared.ingest.router import ACCEPTED_EXAMPLE

EXAMPLES: Examples = {
    "POST /events": {"response": ACCEPTED_EXAMPLE},
    "GET /children/{child_id}/journey": {
        "response": {
            "la": "E06000015",
            "child_id": "WALK1",
            "periods": [
                {
                    "start": "2026-11-02",
                    "end": None,
                    "reason_ceased": None,
                    "placements": [
                        {
                            "placement_id": "WALK1-P1",
                            "start": "2026-11-02",
                            "placement_type": "U4",
                            "provider": "PR1",
                            "reason": "S",
                            "home_id": "WALK-H1",
                            "end": None,
                            "reason_for_change": None,
                        }
                    ],
                    "legal_statuses": [["2026-11-02", "C2"]],
                }
            ],
        }
    },
    "GET /referrals/open": {
        "response": [
            {
                "referral_id": "R-1042",
                "child_id": "WALK2",
                "received": "2026-11-20",
                "age_days": 13,
                "urgency": "planned",
                "placement_sought": "fostering",
            }
        ]
    },
    "GET /audit": {
        "response": [
            {
                "id": 7,
                "at": "2026-12-03T08:00:00Z",
                "key_id": "50f63865745e",
                "la": "E06000015",
                "action": "read_journey",
                "subject": "WALK1",
            }
        ]
    },
    "POST /ssda903/imports": {
        "request": {
            "header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nWALK1,2,15/04/2013,WBRI,,,\n",
            "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
            "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\nWALK1,02/11/2026,S,C2,N1,U4,PR1,,,,,,\n",
        },
        "response": {
            "year": 2024,
            "encodings": {"header": "utf-8", "episodes": "cp1252"},
            "episodes_read": 1210,
            "episodes_imported": 1207,
            "episodes_superseded": 0,
            "episodes_rejected": 3,
            "episodes_rejected_after_refusal": 1,
            "episodes_kept_earlier": 1,
            "no_header_children": 0,
            "no_header_rows": 0,
            "uasc_read": 0,
            "uasc_imported": 0,
            "warnings": 1,
            "children_left_open": [],
            "events_accepted": 2950,
            "events_duplicate": 0,
            "events_corrected": 0,
            "events_withdrawn": 0,
            "errors": [
                {
                    "kind": "error",
                    "file": "episodes",
                    "year": 2024,
                    "line": "88",
                    "child": "C0412",
                    "column": "LS",
                    "reason": "code_not_in_list",
                    "rule": None,
                    "message": "ZZ is not a legal_status code in collection year 2024-25",
                }
            ],
            "warnings_and_notes": [
                {
                    "kind": "warning",
                    "file": "episodes",
                    "year": 2024,
                    "line": "102",
                    "child": "C0519",
                    "column": "REC",
                    "reason": "rec_on_open_episode",
                    "rule": "148",
                    "message": "REC given on an episode with no DEC: ignored",
                }
            ],
        },
    },
    "GET /ssda903/imports/{job_id}": {
        "response": {
            "job_id": "9f1c2d3e4b5a",
            "la": "E06000015",
            "status": "running",
            "done": 41000,
            "total": 131000,
            "result": None,
        }
    },
    "GET /ssda903/uasc": {"response": "CHILD,SEX,DOB,DUC\nC0733,1,01/06/2009,01/06/2027\n"},
    "GET /ssda903/episodes": {
        "response": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
        "HOME_POST,PL_POST,URN\nWALK1,02/11/2026,S,C2,N1,U4,PR1,,,,,,\n"
    },
}
