"""What every service's HTTP app has: health, readiness, metrics, auth."""
