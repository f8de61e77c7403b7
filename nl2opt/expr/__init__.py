"""The safe expression language: parsed with ``ast`` against a whitelist, never executed."""

from nl2opt.expr.nodes import Node, to_text, walk
from nl2opt.expr.parse import parse_binding, parse_expression

__all__ = ["Node", "parse_binding", "parse_expression", "to_text", "walk"]
