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
