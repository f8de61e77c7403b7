"""The one development split: a part studied while writing rules, a part never read.

Rule (fixed once, 2026-12-03, before any study): a problem is *held out* when the first
eight hex digits of ``sha256(f"{SEED}:{key}")``, read as an integer, are below
``HELD_OUT_FRACTION * 2**32``. ``key`` is the record's ``id``; for the SIRL-fixed copy of
MAMO EasyLP it is ``extra.master_id`` so both label sets split the same problems alike.

Records of our own fresh set (``source.dataset == "nl2opt-fresh"``,
``benchmarks/fresh_problems.jsonl``) are not hashed: they are all one part, *unseen*,
written before anyone read the rules formulator. Its first measured figure is the honest
one; listing its wrong ids turns the listed problems into studied ones.

Studying means reading a problem's text, the formulator's output on it, or its per-id
outcome. Only aggregate figures of the held-out part may be looked at; nothing is tuned
on them. ``benchmarks/offline_accuracy.py`` prints every figure for both parts.
"""

from __future__ import annotations

import hashlib

SEED = "nl2opt-issue-14"
HELD_OUT_FRACTION = 0.5
STUDY = "study"
HELD_OUT = "held_out"
UNSEEN = "unseen"
FRESH_DATASET = "nl2opt-fresh"


def split_key(row: dict) -> str:
    """The identifier the split hashes: the master id when a record is a relabelled copy."""
    extra = row.get("extra") or {}
    return str(extra.get("master_id") or row["id"])


def part_of(row: dict) -> str:
    """``"study"`` or ``"held_out"`` for one dataset record, by the fixed hash rule;
    ``"unseen"`` for every record of the fresh set."""
    if (row.get("source") or {}).get("dataset") == FRESH_DATASET:
        return UNSEEN
    digest = hashlib.sha256(f"{SEED}:{split_key(row)}".encode()).hexdigest()
    return HELD_OUT if int(digest[:8], 16) < HELD_OUT_FRACTION * 2**32 else STUDY
