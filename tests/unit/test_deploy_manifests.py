"""docker-compose.yml, deploy/prometheus and deploy/k8s agree on the four services."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"referrals": 8001, "vacancies": 8002, "metrics": 8003, "forecast": 8004}


def load_all(path: Path) -> list[dict]:
    return list(yaml.safe_load_all(path.read_text()))


def workload(name: str) -> dict:
    """The service's Deployment, or the metrics StatefulSet."""
    [found] = [d for d in load_all(ROOT / "deploy/k8s" / f"{name}.yaml") if d["kind"] in KINDS]
    return found


def of_kind(name: str, kind: str) -> list[dict]:
    return [d for d in load_all(ROOT / "deploy/k8s" / f"{name}.yaml") if d["kind"] == kind]


KINDS = ("Deployment", "StatefulSet")


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
    local = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.local.yml").read_text())
    targets = {
        t for job in local["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]
    }
    assert targets == {f"localhost:{port}" for port in SERVICES.values()}
    # Compose: every replica of a scaled service, found by the service's name.
    compose = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [job] = compose["scrape_configs"]
    found = {(sd["type"], sd["port"], name) for sd in job["dns_sd_configs"] for name in sd["names"]}
    assert found == {("A", port, name) for name, port in SERVICES.items()}
    assert "static_configs" not in job
    [relabel] = job["relabel_configs"]
    assert relabel == {"source_labels": ["__meta_dns_name"], "target_label": "service"}
    for scrape in (local, compose):
        assert scrape["rule_files"] == ["alerts.yml"]


def test_k8s_deployments_probe_their_own_port_and_take_the_database_url_from_a_secret():
    for name, port in SERVICES.items():
        deployment = workload(name)
        service = next(s for s in of_kind(name, "Service") if s["metadata"]["name"] == name)
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


def test_every_scrape_carries_the_token_the_services_are_given():
    compose = load_all(ROOT / "docker-compose.yml")[0]
    token_file = compose["secrets"]["scrape_token"]["file"]
    scrape = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [job] = scrape["scrape_configs"]
    auth = job["authorization"]
    assert auth["type"] == "Bearer"
    # Prometheus reads the file through its config directory's bind mount.
    assert ROOT / "deploy/prometheus" / auth["credentials_file"] == (ROOT / token_file).resolve()
    for name in SERVICES:
        svc = compose["services"][name]
        assert svc["secrets"] == ["scrape_token"]
        assert svc["environment"]["SCRAPE_TOKEN_FILE"] == "/run/secrets/scrape_token"
        [container] = workload(name)["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container["env"]}
        ref = env["SCRAPE_TOKEN"]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "sufficiency-scrape-token", "key": "token"}
    [monitor] = load_all(ROOT / "deploy/k8s/monitoring/podmonitor.yaml")
    [endpoint] = monitor["spec"]["podMetricsEndpoints"]
    assert endpoint["authorization"]["credentials"] == {
        "name": "sufficiency-scrape-token",
        "key": "token",
    }


def test_prometheus_sends_alerts_to_the_alertmanager_compose_runs():
    compose = load_all(ROOT / "docker-compose.yml")[0]["services"]
    assert "./deploy/alertmanager:/etc/alertmanager:ro" in compose["alertmanager"]["volumes"]
    scrape = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [managers] = scrape["alerting"]["alertmanagers"]
    assert managers["static_configs"][0]["targets"] == ["alertmanager:9093"]


def test_k8s_runs_two_replicas_of_each_service_with_a_disruption_budget():
    for name in SERVICES:
        spec = workload(name)["spec"]
        assert spec["replicas"] == 2
        labels = spec["selector"]["matchLabels"]
        assert spec["template"]["metadata"]["labels"].items() >= labels.items()
        [budget] = of_kind(name, "PodDisruptionBudget")
        assert budget["apiVersion"] == "policy/v1"
        assert budget["spec"] == {"minAvailable": 1, "selector": {"matchLabels": labels}}
        [spread] = spec["template"]["spec"]["topologySpreadConstraints"]
        assert spread["topologyKey"] == "kubernetes.io/hostname"
        assert spread["labelSelector"]["matchLabels"] == labels
    # Fewer consumers in a shared group than partitions, or one would idle.
    settings = load_all(ROOT / "deploy/k8s/configmap.yaml")[0]["data"]
    assert int(settings["KAFKA_PARTITIONS"]) >= 2


def test_metrics_replicas_are_a_statefulset_named_by_pod():
    """Each metrics replica's consumer group is named by REPLICA_ID: the pod's
    stable name, so a restarted pod takes back its own group and inbox."""
    metrics = workload("metrics")
    assert metrics["kind"] == "StatefulSet"
    governing = next(
        s
        for s in of_kind("metrics", "Service")
        if s["metadata"]["name"] == metrics["spec"]["serviceName"]
    )
    assert governing["spec"]["clusterIP"] == "None"
    [container] = metrics["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["REPLICA_ID"]["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}
    for name in ("referrals", "vacancies", "forecast"):
        assert workload(name)["kind"] == "Deployment"  # shared groups: no identity needed


def test_compose_scales_metrics_without_a_fixed_host_port():
    """`docker compose up --scale metrics=2`: no fixed name or host port, and
    each replica's id (its consumer group) from its container's host name."""
    metrics = load_all(ROOT / "docker-compose.yml")[0]["services"]["metrics"]
    assert "container_name" not in metrics and "hostname" not in metrics
    [ports] = metrics["ports"]
    host, container = ports.rsplit(":", 1)
    assert container == "8003"
    default = host.split(":-", 1)[1].rstrip("}")
    first, last = (int(p) for p in default.split("-"))
    assert last - first >= 1
    others = {
        int(p["published"] if isinstance(p, dict) else p.split(":-")[1].split("}")[0])
        for name, svc in load_all(ROOT / "docker-compose.yml")[0]["services"].items()
        if name != "metrics"
        for p in svc.get("ports", [])
    }
    assert not others & set(range(first, last + 1))
    assert metrics["environment"]["REPLICA_ID_FROM_HOSTNAME"] == "true"
