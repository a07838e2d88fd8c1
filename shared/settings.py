"""Settings common to every service, from environment variables."""

import os
import socket
from pathlib import Path

from pydantic import Field, FilePath, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Every variable has a default that runs the embedded stack."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    kafka_bootstrap_servers: str = "localhost:9092"
    kafka_idempotence: bool = Field(
        True, description="Off for brokers without InitProducerId (the embedded Tansu)"
    )
    kafka_partitions: int = 3
    kafka_replication_factor: int = 1
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; unset means a SQLite file per service under DATA_DIR"
    )
    keys_database_url: str | None = Field(
        None,
        description="Key registry; unset means DATABASE_URL (schema 'auth') or DATA_DIR/keys.db",
    )
    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    log_level: str = "INFO"
    log_json: bool = True
    outbox_poll_seconds: float = 0.05
    consumer_batch_size: int = 500
    clock_skew_seconds: int = 300
    region: str = "D2N2"
    scrape_token: SecretStr | None = Field(
        None, description="Bearer token Prometheus must send to read /metrics; unset: open"
    )
    scrape_token_file: FilePath | None = Field(
        None, description="A file holding the scrape token (a Compose or Kubernetes secret)"
    )
    consumer_stall_seconds: float = Field(
        60.0, description="A consumer behind for this long without applying anything: not ready"
    )
    max_request_bytes: int = Field(
        5 * 1024 * 1024, description="Largest request body accepted (413 above it)"
    )
    max_event_bytes: int = Field(
        1_000_000,
        description="Largest single event (its JSON) accepted: below the producer's "
        "max_request_size and the broker's message.max.bytes (1 MiB by default)",
    )

    replica_id: str = Field(
        "",
        max_length=60,
        pattern=r"^[A-Za-z0-9._-]*$",
        description="This replica's name: in leases and import jobs (unset: hostname-pid, "
        "unique per running process) and, in metrics, its own consumer group (stable: "
        "a StatefulSet pod's name; unset there: one replica)",
    )
    shutdown_grace_seconds: int = Field(
        20,
        gt=0,
        description="On SIGTERM, how long in-flight requests may take before their "
        "connections are closed (under Kubernetes' default 30 s termination grace)",
    )
    key_cache_seconds: float = Field(
        2.0,
        ge=0,
        description="How long a key's registry row is kept between requests: a revoked "
        "or rotated key stops working within this long (0: read it on every request)",
    )
    max_streams: int = Field(
        100,
        ge=1,
        description="Server-sent event streams (the wall, the vacancy feed) one process "
        "holds open at once; one more is a 503 with Retry-After",
    )
    lease_retry_seconds: float = Field(
        1.0,
        description="How often a replica re-checks the leases it holds and tries for the "
        "others (a dead leader's duties move within about this long)",
    )

    def replica_name(self) -> str:
        """REPLICA_ID, or a name no other running process has."""
        return self.replica_id or f"{socket.gethostname()}-{os.getpid()}"

    def expected_scrape_token(self) -> str | None:
        """The token /metrics requires, or None when it is open (read each time: rotation)."""
        if self.scrape_token is not None:
            return self.scrape_token.get_secret_value() or None
        if self.scrape_token_file is not None:
            return self.scrape_token_file.read_text().strip() or None
        return None
