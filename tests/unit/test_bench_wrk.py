"""Reading wrk's report and filling the request body: the bench's raw limit rests on them."""

import json

from bench.ingest import single_template
from bench.wrk import EVENT_ID, SERIAL, parse, script

REPORT = """Running 5s test @ http://127.0.0.1:41991/events
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   221.32ms  336.65ms   1.87s    87.25%
    Req/Sec   129.54     38.00   242.00     76.00%
  Latency Distribution
     50%   72.60ms
     75%  213.83ms
     90%  690.91ms
     99%    1.59s@
  647 requests in 5.02s, 132.69KB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    128.99
Transfer/sec:     26.45KB
""".replace("@", " ")  # wrk ends that line with a space


def test_a_report_gives_rate_percentiles_and_every_failure() -> None:
    run = parse(REPORT)
    assert run.rate == 128.99
    assert run.requests == 647
    assert run.p50_ms == 72.60
    assert run.p99_ms == 1590.0  # "1.59s " with wrk's trailing space
    assert run.failed == 4 + 1 + 2


def test_a_clean_report_has_no_failures() -> None:
    clean = REPORT.replace("  Socket errors: connect 0, read 1, write 0, timeout 2\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 4\n", "").replace("1.59s ", "850.00us ")
    run = parse(clean)
    assert run.failed == 0
    assert run.p99_ms == 0.85


def test_the_single_event_template_is_an_event_with_fresh_ids() -> None:
    template = single_template()
    event = json.loads(template.replace(EVENT_ID, "id-1").replace(SERIAL, "7"))
    assert event["id"] == "id-1"
    assert event["type"] == "child.admitted.v1"
    assert event["subject"] == event["data"]["child_id"] == "S7"


def test_the_lua_script_fills_both_placeholders_and_sends_the_headers() -> None:
    lua = script('{"id":"@EVENT_ID@","n":"@SERIAL@"}', {"Authorization": "Bearer k"})
    assert 'gsub("@EVENT_ID@", id):gsub("@SERIAL@", serial)' in lua
    assert '["Authorization"] = "Bearer k"' in lua
    assert '"{\\"id\\":\\"@EVENT_ID@\\",\\"n\\":\\"@SERIAL@\\"}"' in lua
