"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""
import json
import logging
import os

from celery import Celery
from celery.signals import task_failure, worker_init
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger(__name__)

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


# The collector's full passes in a worker process: at most one per this many passes over the
# middle generation (Python's default: 10). Matching keeps large caches of works' features
# (citations.matching.features), whose churn set off a full pass over all of them for every
# quarter they grew by: 1.1 ms of CPU a work matched, about a fifth of the worker's own CPU, to
# find next to no garbage (their objects hold no cycles; reference counting frees them).
# Once per 1,000: one pass every 15,000 or so works. Cycles still go in the young passes.
FULL_COLLECTION_EVERY = 1_000


@worker_init.connect
def prepare_worker(**kwargs) -> None:
    """In the worker's main process, before its pool forks: data every child would otherwise load
    for itself, loaded once and shared copy-on-write, and the collector's pace (inherited). Matching
    indexes the works it takes up, and their index text needs the journal abbreviation list (LTWA:
    about 2 s of CPU a process)."""
    import gc

    from citations.matching.text import iso4_abbreviation

    iso4_abbreviation("Journal of Physics")
    # Out of the collector's sight: its full passes would otherwise write to every object (their
    # GC headers) in each child, copying the shared pages one by one.
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


@task_failure.connect
def _keep_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra) -> None:
    """A task that failed for good is kept for the agency's staff (admin: Celery results)."""
    from django.db import close_old_connections
    from django_celery_results.models import TaskResult

    try:
        TaskResult.objects.store_result(
            "application/json", "utf-8", task_id,
            json.dumps({"exc_type": type(exception).__name__, "exc_message": str(exception)[:2000]}),
            "FAILURE", traceback=str(einfo or "")[:20000], task_name=getattr(sender, "name", ""),
            task_args=repr(args)[:2000], task_kwargs=repr(kwargs)[:2000],
        )
    except Exception:  # the database itself may be what failed: the worker's log keeps it then
        log.exception("could not keep the failure of task %s", task_id)
        close_old_connections()


@app.task(name="portal.purge_task_failures", ignore_result=True)
def purge_task_failures() -> int:
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django_celery_results.models import TaskResult

    cutoff = timezone.now() - timedelta(days=settings.TASK_FAILURE_RETENTION_DAYS)
    deleted, _ = TaskResult.objects.filter(date_done__lt=cutoff).delete()
    return deleted
