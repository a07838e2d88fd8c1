"""`python -m services.forecast` runs the service."""

from services.forecast.settings import ForecastSettings
from shared.serve import serve

if __name__ == "__main__":
    serve("forecast", "services.forecast.entrypoints.app:create_app", ForecastSettings())
