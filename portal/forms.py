"""How every form of the portal is drawn (set as FORM_RENDERER): one error summary at the top that
takes the keyboard focus and is announced, then each field with its label, help and errors (which
Django ties to the field with aria-describedby and aria-invalid)."""
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    # TemplatesSetting: the project's templates/ can hold the form templates, beside the pages.
    form_template_name = "forms/form.html"
