"""Web addresses people give us (portfolio links, submissions, video calls): http or
https only, never ``javascript:``, ``data:`` or ``ftp:``. One check for forms
(``WebURLField``) and one for services (``web_link``), with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from accounts.errors import Refused

WEB_URL = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with https:// or http://."
)


class WebURLField(forms.URLField):
    # Replaces URLField's own validator (which allows ftp://) and its message: with both,
    # Django showed "Enter a valid URL." once or twice and never the clear message.
    default_validators = [WEB_URL]
    default_error_messages = {"invalid": WEB_URL.message}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


def web_link(text: str, *, what: str = "The link", max_length: int = 500) -> str:
    """``text`` trimmed, if it is an http(s) address; else Refused (400) saying why."""
    link = (text or "").strip()
    if len(link) > max_length:
        raise Refused(f"{what} can be at most {max_length} characters.")
    try:
        WEB_URL(link)
    except ValidationError:
        raise Refused(f"{what} must be a web address starting with https:// or http://.") from None
    return link
