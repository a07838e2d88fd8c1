"""`python -m services.referrals` runs the service."""

from services.referrals.settings import ReferralsSettings
from shared.serve import serve

if __name__ == "__main__":
    settings = ReferralsSettings()
    serve("referrals", "services.referrals.entrypoints.app:create_app", settings, settings.port)
