"""The OpenAPI schema describes the JSON endpoints: the versioned member API and the public
works API at Crossref's paths (its field-by-field format is Crossref's own documentation)."""


def only_versioned_api(endpoints, **kwargs):
    kept = [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v") or endpoint[0] == "/works"]
    # /works/{doi} is routed through a plain function (old page URLs redirect there): describe its API view.
    from citations.api.views import work_detail

    kept.append(("/works/{doi}", r"^works/(?P<doi>.+)$", "GET", work_detail))
    return kept
