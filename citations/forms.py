"""Forms of the citations pages."""
from django import forms

from citations.text_query import MAX_REFERENCES, ReferencesRefused, pasted_references


class SimpleTextQueryForm(forms.Form):
    references = forms.CharField(
        label="References",
        help_text=f"One reference per line, up to {MAX_REFERENCES:,}. Blank lines are ignored.",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "spellcheck": "false", "class": "references-input"}),
        strip=False,
        error_messages={"required": "Paste at least one reference, one per line."},
    )

    def clean_references(self):
        try:
            self.cleaned_data["lines"] = pasted_references(self.cleaned_data["references"])
        except ReferencesRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return self.cleaned_data["references"]
