"""`python -m services.vacancies` runs the service."""

from services.vacancies.settings import VacanciesSettings
from shared.serve import serve

if __name__ == "__main__":
    settings = VacanciesSettings()
    serve("vacancies", "services.vacancies.entrypoints.app:create_app", settings, settings.port)
