"""Settings of the embedded stack (environment variables)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.regions import D2N2

__all__ = ["D2N2", "SERVICES", "StackSettings"]
SERVICES = {"referrals": 8001, "vacancies": 8002, "metrics": 8003, "forecast": 8004}


class StackSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Path(".data")
    kafka_bootstrap_servers: str | None = None  # set: use that cluster, start no broker
    broker_port: int = 9092
    host: str = "127.0.0.1"
    referrals_port: int = SERVICES["referrals"]
    vacancies_port: int = SERVICES["vacancies"]
    metrics_port: int = SERVICES["metrics"]
    forecast_port: int = SERVICES["forecast"]
    # A child that is not ready yet is waited for while it makes progress (its
    # log grows or it uses CPU), given up after this long without any, and
    # after ready_timeout_seconds in all however busy it is (readiness.py).
    ready_stall_seconds: float = 60.0
    ready_timeout_seconds: float = 900.0

    def port(self, service: str) -> int:
        port: int = getattr(self, f"{service}_port")
        return port

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.port(service)}"
