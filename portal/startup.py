"""Checks a serving process makes before it takes any traffic or task."""
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_insecure_secret_key() -> None:
    """Serving on the public development key would let anyone forge sessions: refuse, and say why."""
    if settings.INSECURE_SECRET_KEY and not settings.DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. The portal refuses to serve without one (DEBUG is off): set SECRET_KEY "
            "in the environment to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (`make run` makes one for this "
            "machine in var/secret_key)."
        )
