"""Agency staff see deposits, their results, and registered works in the Django admin."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from deposits.models import Deposit, RecordResult, Reference, Work


class RecordResultInline(admin.TabularInline):
    model = RecordResult
    extra = 0
    can_delete = False
    readonly_fields = ["position", "doi", "line", "status", "message"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deposit)
class DepositAdmin(admin.ModelAdmin):
    list_display = ["pk", "filename", "member", "status", "record_count", "success_count", "failure_count", "created"]
    list_filter = ["status", "created"]
    search_fields = ["filename", "doi_batch_id", "member__name", "sha256"]
    readonly_fields = ["member", "uploaded_by", "download", "filename", "size", "sha256", "doi_batch_id", "status", "message",
                       "created", "started", "finished", "record_count", "success_count", "warning_count", "failure_count"]
    inlines = [RecordResultInline]

    @admin.display(description="File")
    def download(self, deposit: Deposit) -> str:
        if not deposit.file:
            return "(removed after the retention period)"
        return format_html('<a href="{}">{}</a>', reverse("deposits:file", args=[deposit.pk]), deposit.filename)


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["position", "key", "doi", "unstructured", "journal_title", "author", "year"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["doi", "title", "type", "owner", "publication_year", "references_count", "cited_by_count"]
    list_filter = ["type", "owner"]
    search_fields = ["doi", "title"]
    readonly_fields = ["cited_by_count", "references_count", "deposit_timestamp", "last_deposit", "created", "updated"]
    raw_id_fields = ["owner"]
    inlines = [ReferenceInline]
