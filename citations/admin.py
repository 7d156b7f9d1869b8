"""Agency staff see citation links in the Django admin (read only: links come from matching)."""
from django.contrib import admin

from citations.models import Citation, MatchDecision, RejectedMatch


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "citing_work", "cited_work", "method", "score", "status", "created"]
    list_filter = ["method", "status", "created"]
    search_fields = ["citing_work__doi", "cited_work__doi"]
    list_select_related = ["citing_work", "cited_work"]
    readonly_fields = ["reference", "citing_work", "cited_work", "method", "score", "agreed", "note", "status",
                       "decided_by", "decided_at", "created"]

    def has_add_permission(self, request):
        return False


@admin.register(RejectedMatch)
class RejectedMatchAdmin(admin.ModelAdmin):
    list_display = ["citing_work", "reference_key", "cited_work", "rejected_by", "rejected_at"]
    list_select_related = ["citing_work", "cited_work", "rejected_by"]
    search_fields = ["citing_work__doi", "cited_work__doi"]
    readonly_fields = ["citing_work", "reference_key", "cited_work", "method", "score", "rejected_by", "rejected_at"]

    def has_add_permission(self, request):
        return False


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    """The editors' record of who confirmed, accepted or rejected which link, and when."""

    list_display = ["at", "action", "citing_work", "reference_key", "cited_work", "by_email"]
    list_filter = ["action", "at"]
    list_select_related = ["citing_work", "cited_work"]
    search_fields = ["citing_work__doi", "cited_work__doi", "by_email"]
    readonly_fields = ["citing_work", "reference_key", "cited_work", "action", "method", "score", "by", "by_email", "at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
