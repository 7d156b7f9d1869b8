"""JSON for the retrieval APIs, written by orjson: a cited-by page of 1,000 works or a long
reference list is serialised several times faster than by the standard library, and the bytes
are the same JSON (compact, UTF-8) DRF's JSONRenderer writes with the project's settings."""
from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        # str: DRF's lazy messages (translation proxies) and anything else orjson does not know.
        return orjson.dumps(data, default=str)
