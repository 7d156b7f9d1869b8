"""WSGI entry point (gunicorn portal.wsgi; runserver loads it too)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from portal.startup import refuse_insecure_secret_key  # noqa: E402  (needs settings loaded)

refuse_insecure_secret_key()
