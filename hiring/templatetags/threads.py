"""``{{ message.body|linkify }}``: a thread message as safe HTML.

The text is escaped first, whole; only then are http(s) addresses in the escaped
text wrapped in links and line breaks turned into ``<br>``. Nothing the writer typed
is ever read as markup, and no other scheme (``javascript:``, ``data:``) becomes a
link.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# An address runs until white space or an escaped <, >, " or ' (which cannot be in
# a link: the writer's quote would otherwise end up inside our href).
_ADDRESS = re.compile(r"\bhttps?://(?:(?!&(?:lt|gt|quot|#x27|#39);)\S)+", re.IGNORECASE)
# Punctuation after an address ends the sentence, not the address.
_TRAILING = ".,;:!?)]"


def _link(match: re.Match[str]) -> str:
    address = match.group(0)
    trail = ""
    while address and address[-1] in _TRAILING and not re.search(r"&\w+;$|&#\w+;$", address):
        address, trail = address[:-1], address[-1] + trail
    if re.fullmatch(r"https?://", address, re.IGNORECASE):
        return match.group(0)
    return f'<a href="{address}" rel="nofollow noopener">{address}</a>{trail}'


@register.filter
def linkify(text: object) -> SafeString:
    escaped = str(escape(str(text)))
    linked = _ADDRESS.sub(_link, escaped)
    lines = linked.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return mark_safe("<br>\n".join(lines))  # noqa: S308 - escaped above, links built here
