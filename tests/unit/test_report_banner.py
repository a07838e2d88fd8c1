"""`make run`'s banner names each demo LA's sufficiency report."""

from sufficiency.stack.runner import print_report_urls, report_urls
from sufficiency.stack.settings import StackSettings


def test_each_demo_la_gets_its_report_url_on_the_metrics_port(capsys):
    settings = StackSettings(metrics_port=18003)
    keys = {"E06000015": "psk_a_b", "E10000007": "psk_c_d"}
    urls = report_urls(settings, keys)
    assert urls == {
        "E06000015": "http://127.0.0.1:18003/reports/sufficiency?la=E06000015",
        "E10000007": "http://127.0.0.1:18003/reports/sufficiency?la=E10000007",
    }
    print_report_urls(settings, keys)
    out = capsys.readouterr().out
    assert "Derbyshire" in out and urls["E10000007"] in out
