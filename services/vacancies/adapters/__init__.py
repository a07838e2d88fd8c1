"""Tables, stores and the feed log of the vacancies database."""
