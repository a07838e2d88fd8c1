"""`python -m services.metrics` runs the service."""

from services.metrics.settings import MetricsSettings
from shared.serve import serve

if __name__ == "__main__":
    settings = MetricsSettings()
    serve("metrics", "services.metrics.entrypoints.app:create_app", settings, settings.port)
