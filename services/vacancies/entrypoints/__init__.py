"""HTTP entry points of the vacancies service."""
