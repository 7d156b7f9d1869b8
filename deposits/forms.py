from django import forms
from django.conf import settings


class DepositUploadForm(forms.Form):
    file = forms.FileField(
        label="Deposit XML file",
        help_text=(
            "A Crossref deposit (doi_batch): works with their references (schema 4.3–5.4), or references only "
            f"for works already registered (doi_resources doi_citations); at most {settings.DEPOSIT_MAX_BYTES // 1_048_576} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    # Shown only after the page said this very file was deposited before: ticking it is the
    # depositor's deliberate choice to deposit it again.
    deposit_again = forms.BooleanField(required=False, label="Deposit this file again anyway")


class DepositAgainForm(forms.Form):
    """"Deposit it again" on the same-file notice: the earlier deposit's stored copy is queued anew."""

    again_of = forms.IntegerField(widget=forms.HiddenInput)
    filename = forms.CharField(max_length=255, widget=forms.HiddenInput)
