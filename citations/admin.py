"""Agency staff see citation links in the Django admin (read only: links come from matching)."""
from django.contrib import admin

from citations.models import Citation


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "citing_work", "cited_work", "method", "score", "created"]
    list_filter = ["method", "created"]
    search_fields = ["citing_work__doi", "cited_work__doi"]
    list_select_related = ["citing_work", "cited_work"]
    readonly_fields = ["reference", "citing_work", "cited_work", "method", "score", "created"]

    def has_add_permission(self, request):
        return False
