"""deploy/prometheus checked by the promtool of a real Prometheus install."""

import subprocess
from pathlib import Path

import pytest

from tests.support.prometheus import promtool_binary

pytestmark = pytest.mark.integration

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def promtool(*args: str) -> str:
    result = subprocess.run(
        [promtool_binary(), *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_prometheus_config_and_its_rule_files_are_valid(config):
    promtool("check", "config", config)


def test_alerts_fire_exactly_when_their_unit_tests_expect():
    promtool("test", "rules", "alerts.test.yml")
