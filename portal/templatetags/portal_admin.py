"""The agency's view of the background work, on the admin's front page."""
from django import template
from django.db.models import Count, Q

from portal.health import portal_status

register = template.Library()

# Works awaiting matching are counted up to this many: after a bulk import of a million works,
# counting them all took PostgreSQL 350 ms at every view of the admin's front page.
AWAITING_MATCHING_COUNTED = 10_000


@register.simple_tag
def background_work() -> dict:
    from django_celery_results.models import TaskResult

    from deposits.models import Deposit, Work

    overall, checks = portal_status()
    deposits = Deposit.objects.aggregate(
        queued=Count("pk", filter=Q(status=Deposit.Status.QUEUED)),
        processing=Count("pk", filter=Q(status=Deposit.Status.PROCESSING)),
    )
    return {
        "overall": overall,
        "checks": checks,
        "queued_tasks": checks["broker"].get("queued_tasks", {}),
        "deposits_queued": deposits["queued"],
        "deposits_processing": deposits["processing"],
        "works_awaiting_matching": _awaiting_matching(Work),
        "failed_tasks": TaskResult.objects.filter(status="FAILURE").count(),
    }


def _awaiting_matching(work_model) -> str:
    counted = work_model.objects.filter(match_pending=True).values("pk")[: AWAITING_MATCHING_COUNTED + 1].count()
    return f"more than {AWAITING_MATCHING_COUNTED:,}" if counted > AWAITING_MATCHING_COUNTED else f"{counted:,}"
