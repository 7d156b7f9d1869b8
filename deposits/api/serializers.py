"""The JSON shapes of deposits: what a platform posts and what it reads back."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from deposits.models import Deposit, RecordResult


class DepositCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The deposit XML (Crossref deposit schema), at most 10 MB.")
    operation = serializers.ChoiceField(
        choices=Deposit.Operation.choices, default=Deposit.Operation.METADATA,
        help_text="Crossref's operation: doMDUpload (works with their references) or doDOICitUpload (references only).",
    )
    member = serializers.IntegerField(
        required=False, help_text="Session users of several members name one; an API key acts for its own member."
    )


class RecordResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordResult
        fields = ["position", "doi", "status", "message", "line"]


class DepositSerializer(serializers.ModelSerializer):
    outcome = serializers.CharField(read_only=True, help_text="queued, processing, completed, completed-with-warnings, completed-with-failures or failed.")
    outcome_label = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    log_url = serializers.SerializerMethodField(help_text="The submission log in Crossref's doi_batch_diagnostic XML (signed-in users).")

    class Meta:
        model = Deposit
        fields = [
            "id", "url", "filename", "size", "operation", "doi_batch_id", "status", "outcome", "outcome_label", "message",
            "created", "started", "finished", "record_count", "success_count", "warning_count", "failure_count", "log_url",
        ]
        read_only_fields = fields

    def get_url(self, deposit: Deposit) -> str:
        return self._absolute(reverse("deposits_api:detail", args=[deposit.pk]))

    def get_log_url(self, deposit: Deposit) -> str:
        return self._absolute(reverse("deposits:log", args=[deposit.pk]))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DepositDetailSerializer(DepositSerializer):
    results = RecordResultSerializer(many=True, read_only=True, help_text="One per record, in file order.")

    class Meta(DepositSerializer.Meta):
        fields = [*DepositSerializer.Meta.fields, "results"]
        read_only_fields = fields
