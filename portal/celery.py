"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""
import os

from celery import Celery
from celery.signals import worker_init
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks retry on these: the database going away (a restart, a failover) is worth waiting for,
# and every task is idempotent, so running it again after a partial run is safe.
DATABASE_TROUBLE = (OperationalError, InterfaceError)


def waiting_tasks(queue: str = "celery") -> int | None:
    """Tasks waiting in a queue of the broker, or None when the broker cannot say (it is down)."""
    from kombu.exceptions import ChannelError

    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            try:
                return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
            except ChannelError:  # Redis knows a queue only once a worker has declared it
                return 0
    except Exception:  # each transport has its own connection errors; all mean "cannot say"
        return None


# Beat sends this every WORKER_HEARTBEAT_SECONDS; the worker that runs it stamps the shared
# cache, so /health can tell whether tasks are executed at all (portal.health.worker_status).
HEARTBEAT_KEY = "portal:worker-heartbeat"


@app.task(name="portal.heartbeat", ignore_result=True)
def heartbeat() -> None:
    import time

    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@worker_init.connect
def _refuse_insecure_secret_key(**kwargs) -> None:
    from portal.startup import refuse_insecure_secret_key

    refuse_insecure_secret_key()
