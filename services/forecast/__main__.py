"""`python -m services.forecast` runs the service."""

from services.forecast.settings import ForecastSettings
from shared.serve import serve

if __name__ == "__main__":
    settings = ForecastSettings()
    serve("forecast", "services.forecast.entrypoints.app:create_app", settings, settings.port)
