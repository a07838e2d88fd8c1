"""docker-compose.yml, deploy/prometheus and deploy/k8s agree on the four services."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"referrals": 8001, "vacancies": 8002, "metrics": 8003, "forecast": 8004}


def load_all(path: Path) -> list[dict]:
    return list(yaml.safe_load_all(path.read_text()))


def test_compose_runs_each_service_after_kafka_and_postgres_are_healthy():
    compose = load_all(ROOT / "docker-compose.yml")[0]["services"]
    for name, port in SERVICES.items():
        svc = compose[name]
        assert svc["command"] == ["python", "-m", f"services.{name}"]
        assert svc["environment"][f"{name.upper()}_PORT"] == port
        assert svc["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert svc["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert f"{port}/readyz" in " ".join(svc["healthcheck"]["test"])
        assert {k: v["condition"] for k, v in svc["depends_on"].items()} == {
            "kafka": "service_healthy",
            "postgres": "service_healthy",
        }


def test_prometheus_scrapes_every_service_where_it_runs():
    for config, host in [("prometheus.yml", None), ("prometheus.local.yml", "localhost")]:
        scrape = yaml.safe_load((ROOT / "deploy/prometheus" / config).read_text())
        targets = {
            t
            for job in scrape["scrape_configs"]
            for sc in job["static_configs"]
            for t in sc["targets"]
        }
        assert targets == {f"{host or name}:{port}" for name, port in SERVICES.items()}
        assert scrape["rule_files"] == ["alerts.yml", "outbox_alerts.yml"]


def test_k8s_deployments_probe_their_own_port_and_take_the_database_url_from_a_secret():
    for name, port in SERVICES.items():
        deployment, service = load_all(ROOT / "deploy/k8s" / f"{name}.yaml")
        pod = deployment["spec"]["template"]["spec"]
        assert pod["enableServiceLinks"] is False
        [container] = pod["containers"]
        assert container["command"] == ["python", "-m", f"services.{name}"]
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        env = {e["name"]: e for e in container["env"]}
        assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "sufficiency-database"
        assert service["spec"]["ports"][0]["port"] == port
