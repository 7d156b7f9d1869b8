"""The OpenAPI schema describes the versioned JSON API; /works is Crossref's, documented by Crossref."""


def only_versioned_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v")]
