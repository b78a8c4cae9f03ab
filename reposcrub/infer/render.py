"""The draft as TOML that loads as a profile exactly as printed: entries below the
threshold are comments, every entry says its confidence and evidence."""
from __future__ import annotations

import json
import re

from reposcrub.infer.rank import Entry, Ranking
from reposcrub.infer.words import WordList

_ORDER = ("names", "domains", "codenames", "namespaces", "ticket_prefixes", "hosts")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_COMMENT_WIDTH = 160


def _string(text: str) -> str:
    # A JSON string without control characters is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    text = _UNPRINTABLE.sub("?", text)
    return text if len(text) <= _COMMENT_WIDTH else text[: _COMMENT_WIDTH - 1] + "…"


def _printable(entry: Entry) -> bool:
    """TOML holds Unicode text only: a name made of undecodable bytes cannot be an entry."""
    try:
        entry.value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not _UNPRINTABLE.search(entry.value)


def _line(entry: Entry, threshold: float) -> str:
    why = f"{entry.confidence:.2f}"
    if entry.doubt:
        why += f", {entry.doubt}"
    if entry.ambiguous:
        why += ", an ordinary English word: also under ambiguous"
    body = f"{_string(entry.value)},  # {_comment(why + ': ' + entry.evidence)}"
    return f"  {body}" if entry.confidence >= threshold else f"  # {body}"


def _header(target: str, threshold: float, words: WordList) -> list[str]:
    checked = (f"# Ordinary English words were recognised with {words.source}."
               if words.available else
               "# No word list was found (Debian: apt install wamerican), so ordinary English words were NOT "
               "recognised: check every name.")
    return [
        f"# Drafted by `reposcrub profile infer` from {_comment(target)}.",
        f"# Each entry gives its confidence (0 to 1) and its evidence; entries below {threshold:.2f} are commented out.",
        "# Review every line, delete what is not the organisation's, then save as .reposcrub.toml.",
        checked,
        "",
        "[org]",
    ]


def render(ranking: Ranking, target: str, threshold: float, words: WordList) -> str:
    lines = _header(target, threshold, words)
    for section in _ORDER:
        entries = [e for e in ranking.sections.get(section, []) if _printable(e)]
        lines.append(f"{section} = [")
        lines += [_line(e, threshold) for e in entries]
        lines.append("]")
    ambiguous = [e for e in ranking.sections.get("names", []) if e.ambiguous and _printable(e)]
    lines.append("ambiguous = [")
    lines += [f"  {'' if e.confidence >= threshold else '# '}{_string(e.value)},  # an ordinary English word: "
              "found only capitalised and at word boundaries" for e in ambiguous]
    lines += ["]", ""]
    return "\n".join(lines)
