"""The API's JSON parser: DRF's, with a nesting-depth limit checked before decoding.

Python's json module decodes nested arrays and objects recursively, so a body of 5,000 `[` raised a
RecursionError (an HTML 500) before any view code ran. No IPS Hub endpoint takes JSON nested more than
a few levels, so a body deeper than MAX_DEPTH is refused with the API's JSON 400 — counted by a flat scan
that never recurses. The body's size is limited before this by Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
which the API answers with a JSON 413 (api/errors.py)."""

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_DEPTH = 64

# A JSON string, escapes included, written without nested quantifiers so that an unterminated string
# cannot make the scan backtrack exponentially.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str, limit: int) -> int:
    """The deepest nesting of arrays and objects in `text`, counting no further than limit + 1.

    Brackets inside strings do not count; the text need not be valid JSON (the decoder judges that)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


class LimitedJSONParser(JSONParser):
    """application/json, refusing bodies nested deeper than MAX_DEPTH with a 400 that says so."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(f"The body is not valid {encoding} text. Send JSON encoded as UTF-8.") from None
        if nesting_depth(text, self.max_depth) > self.max_depth:
            raise ParseError(
                f"The JSON body is nested more than {self.max_depth} levels deep. "
                "No endpoint takes JSON nested that deeply: send the fields the endpoint documents."
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if api_settings.STRICT_JSON else None)
        except ValueError as exc:
            raise ParseError(f"The body is not valid JSON: {exc}.") from None
        except RecursionError:  # cannot happen below MAX_DEPTH; kept so no body can become a 500
            raise ParseError(f"The JSON body is nested more than {self.max_depth} levels deep.") from None
