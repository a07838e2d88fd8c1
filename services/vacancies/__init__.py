"""The vacancies service: homes, places, vacancies, occupancy and the shared regional feed."""
