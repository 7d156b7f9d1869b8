"""{% work_url doi %} / {% work_url doi "cited_by" %}: links to work pages that survive any DOI;
{{ link.pk|decision_url }}: where a link's confirm/reject form posts."""
from django import template

from citations.links import decision_url as _decision_url
from citations.links import work_url as _work_url

register = template.Library()


@register.simple_tag
def work_url(doi: str, page: str = "work") -> str:
    return _work_url(doi, page=page)


@register.filter
def decision_url(pk: int) -> str:
    return _decision_url(pk)
