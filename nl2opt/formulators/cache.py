"""A disk cache of raw LLM replies, so reruns (benchmarks, demos, debugging) cost nothing.

What is stored is the reply as the server sent it (content, refusal, finish reason,
token counts, model name), not the parsed spec: parsing stays the formulator's job, so
a fix to parsing applies to cached replies too. The key covers everything that shapes
the reply except the API key, which is never written anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CachedReply:
    """The parts of a chat completion the formulator reads."""

    content: str | None
    finish_reason: str | None
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    refusal: str | None = None


def reply_key(
    *,
    base_url: str,
    model: str,
    messages: list[dict[str, Any]],
    mode: str,
    schema: dict[str, Any] | None,
    temperature: float | None,
) -> str:
    """sha256 of the request's content: same inputs, same key, on any machine."""
    material = {
        "base_url": base_url,
        "model": model,
        "messages": messages,
        "mode": mode,
        "schema": schema,
        "temperature": temperature,
    }
    blob = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ReplyCache:
    """Replies on disk under ``dir``, one JSON file per key, written atomically.

    Atomic writes (temp file + :func:`os.replace`) mean concurrent benchmark workers never
    read half a file; the worst case of a race is the same reply written twice.
    """

    def __init__(self, dir: str | Path) -> None:
        self.dir = Path(dir)

    def __repr__(self) -> str:
        return f"ReplyCache({str(self.dir)!r})"

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedReply | None:
        """The stored reply, or None when absent or unreadable (a damaged entry is a miss)."""
        try:
            return CachedReply(**json.loads(self._path(key).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, reply: CachedReply) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(asdict(reply), f, ensure_ascii=False, indent=1)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
