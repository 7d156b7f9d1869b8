"""WSGI entry point (gunicorn portal.wsgi; runserver loads it too): Django, behind portal.front,
which answers cached machine reads (the widget's data) before Django's handler."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django_application = get_wsgi_application()

from portal.front import Front  # noqa: E402  (needs settings loaded)
from portal.startup import refuse_insecure_secret_key  # noqa: E402  (needs settings loaded)

application = Front(django_application)

refuse_insecure_secret_key()
