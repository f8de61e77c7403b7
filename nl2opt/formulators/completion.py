"""The chat completion as the server sent it: decoded, redacted, and checked for shape.

Everything an LLM server says enters nl2opt here, as bytes: a 200 body through
:func:`read_completion`, an error body through :meth:`Redactor.text` (the SDK has
already decoded those). The API key is cut out of every string of the decoded body
before anything else reads it, so no reply content, refusal, model name, usage field
or error text can carry the key into a Diagnostic, a Result, the reply cache, a
benchmark record or a printed message. Decoding first matters: a server can spell
the key with JSON escapes (``"\\u0073k-..."``) that a search of the raw bytes would miss.

Nothing the server sends is trusted to have the documented shape: a body that is not
a chat completion, ``content`` that is not text, or token counts that are not
numbers become :class:`MalformedReply` or notes, never exceptions from deep inside.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from nl2opt.formulators.cache import CachedReply

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 8
"""Shorter keys are placeholders for keyless local servers (``not-needed``), not secrets:
redacting them would rewrite ordinary words in the model's reply."""
MAX_TOKENS = 2**53
"""A token count above this is not a count."""
_SHOWN = 80
"""Characters of an unexpected value quoted in a message."""


@dataclass(frozen=True)
class Redactor:
    """Replaces the API key in text from the server; a no-op without a key worth hiding."""

    secret: str | None = None

    def text(self, value: str) -> str:
        if self.secret is None or len(self.secret) < MIN_SECRET_LENGTH:
            return value
        return value.replace(self.secret, REDACTED)

    def tree(self, value: Any) -> Any:
        """Every string of a decoded JSON value (keys included), redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.tree(v) for k, v in value.items()}
        return value


class MalformedReply(ValueError):
    """The body is not a chat completion; the message says what was found instead (redacted)."""


def read_completion(body: bytes, *, redactor: Redactor, model: str) -> tuple[CachedReply, list[str]]:
    """The parts of a chat completion the formulator reads, and notes on fields that were unreadable.

    Args:
        body: the HTTP body of a 200 answer.
        redactor: applied to the decoded body before it is read.
        model: the requested model, reported when the server names none.

    Raises:
        MalformedReply: the body is not JSON, not an object, or its first choice's message
            content is neither text nor null.
    """
    text = body.decode("utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        raise MalformedReply(f"the body is not JSON (it starts {shown(redactor.text(text))})") from None
    document = redactor.tree(document)
    if not isinstance(document, dict):
        raise MalformedReply(f"the body is {_kind(document)}, not an object: {shown(document)}")
    if "error" in document and "choices" not in document:
        raise MalformedReply(f"the body is an error with HTTP status 200: {shown(document['error'])}")
    served = document.get("model")
    served = served if isinstance(served, str) and served.strip() else model
    prompt_tokens, completion_tokens, notes = _usage(document.get("usage"))
    choices = document.get("choices")
    if choices is None or choices == []:
        return CachedReply(None, None, served, prompt_tokens, completion_tokens), notes
    if not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise MalformedReply(f"'choices' is not a list of objects: {shown(choices)}")
    choice = choices[0]
    message = choice.get("message")
    if message is None:
        message = {}
    if not isinstance(message, dict):
        raise MalformedReply(f"'choices[0].message' is {_kind(message)}, not an object: {shown(message)}")
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise MalformedReply(f"'choices[0].message.content' is {_kind(content)}, not text: {shown(content)}")
    return (
        CachedReply(
            content=content,
            finish_reason=_text_or_none(choice.get("finish_reason")),
            model=served,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            refusal=_text_or_none(message.get("refusal")),
        ),
        notes,
    )


def _usage(usage: Any) -> tuple[int, int, list[str]]:
    if usage is None:
        return 0, 0, []
    if not isinstance(usage, dict):
        return 0, 0, [f"'usage' is {_kind(usage)}, not an object: {shown(usage)}"]
    counts, notes = [], []
    for field in ("prompt_tokens", "completion_tokens"):
        value = usage.get(field, 0)
        count = _count(value)
        if count is None:
            notes.append(f"'usage.{field}' is not a token count: {shown(value)}")
        counts.append(count or 0)
    return counts[0], counts[1], notes


def _count(value: Any) -> int | None:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0 or value != int(value) or value > MAX_TOKENS:
        return None
    return int(value)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def shown(value: Any) -> str:
    """A short quotation of an unexpected value, for a message (callers redact first)."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    text = text.replace("\n", " ")
    return repr(text[:_SHOWN] + ("..." if len(text) > _SHOWN else ""))
