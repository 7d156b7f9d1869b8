"""The agency's view of the background work, on the admin's front page."""
from django import template
from django.db.models import Count, Q

from portal.health import portal_status

register = template.Library()


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
        "works_awaiting_matching": Work.objects.filter(match_pending=True).count(),
        "failed_tasks": TaskResult.objects.filter(status="FAILURE").count(),
    }
