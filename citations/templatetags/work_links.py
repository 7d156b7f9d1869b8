"""{% work_url doi %} / {% work_url doi "cited_by" %}: links to work pages that survive any DOI."""
from django import template

from citations.links import work_url as _work_url

register = template.Library()


@register.simple_tag
def work_url(doi: str, page: str = "work") -> str:
    return _work_url(doi, page=page)
