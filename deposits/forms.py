from django import forms
from django.conf import settings


class DepositUploadForm(forms.Form):
    file = forms.FileField(
        label="Deposit XML file",
        help_text=f"A Crossref deposit (doi_batch, schema 4.3–5.4), at most {settings.DEPOSIT_MAX_BYTES // 1_048_576} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
