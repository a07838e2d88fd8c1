"""deploy/prometheus and deploy/alertmanager checked by the promtool and amtool of
real Prometheus and Alertmanager installs (Debian's prometheus, prometheus-alertmanager)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.prometheus import amtool_binary, promtool_binary

pytestmark = pytest.mark.integration

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
ALERTMANAGER = DEPLOY / "alertmanager" / "alertmanager.yml"


def run(binary: str, *args: str, cwd: Path = PROMETHEUS) -> str:
    result = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_prometheus_config_and_its_rule_files_are_valid(config, tmp_path):
    # promtool wants the scrape token file to exist; the real one is never committed.
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS, copy, ignore=shutil.ignore_patterns("secrets"))
    (copy / "secrets").mkdir()
    (copy / "secrets" / "scrape-token").write_text("a-token\n")
    run(promtool_binary(), "check", "config", config, cwd=copy)


def test_alerts_fire_exactly_when_their_unit_tests_expect():
    run(promtool_binary(), "test", "rules", "alerts.test.yml")


def test_alertmanager_config_is_valid():
    run(amtool_binary(), "check-config", str(ALERTMANAGER))


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=ConsumerStalled", "severity=critical"], "operations"),
        (["alertname=OutboxMessagesParked", "severity=warning"], "operations"),
        (
            ["alertname=OwnHomeOccupancyBelowTarget", "severity=info", "la=E06000015"],
            "placements-team",
        ),
    ],
)
def test_alertmanager_routes_each_alert_to_a_receiver(labels, receiver):
    out = run(amtool_binary(), "config", "routes", "test", f"--config.file={ALERTMANAGER}", *labels)
    assert out.strip() == receiver
