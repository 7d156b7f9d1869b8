"""The Cited-by Portal project: settings, root URLs and the Celery app."""
from portal.celery import app as celery_app

__all__ = ["celery_app"]
