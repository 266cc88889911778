"""Text normalisation for matching printed labels against the catalogue.

Real reports differ from the official wording in width (（一） vs (一)), spaces and line breaks
inside cells, numbering style, long local notes in brackets, and sometimes traditional characters.
Everything here is pure and cheap; conversion from traditional characters is done only on demand.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Whitespace of every kind, including the ideographic space U+3000 that Word tables leave behind.
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Leading numbering: 一、 (一) 1. 1、 ① 其中: and combinations, as printed or normalised.
_NUMBERING = re.compile(
    r"^(?:其中[:：]?)?(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]\d+[)）]|\d+[.．、]|[①-⑳])?(?:其中[:：]?)?"
)
# Parenthetical notes: （不同渠道和方式公开相同信息计1条）, (指2019年事项数) ...
_NOTE = re.compile(r"[(（][^()（）]*[)）]")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "《": "", "》": ""})


@lru_cache(maxsize=65536)  # a report's tokens are squashed by several tests each: normalise each once
def squash(text: str) -> str:
    """NFKC (full-width to half-width), no whitespace, no quotes."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


@lru_cache(maxsize=16384)  # labels repeat across sheets and files: match each text once
def core(label: str) -> str:
    """The distinctive core of a label: squashed, numbering and bracketed notes removed.

    >>> core("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）")
    '主动公开政府信息数'
    >>> core("2. 其他法律行政法规禁止公开")
    '其他法律行政法规禁止公开'
    """
    text = squash(label)
    stripped = _NOTE.sub("", text)
    if stripped:
        text = stripped
    previous = None
    while previous != text:
        previous = text
        text = _NUMBERING.sub("", text, count=1)
    return text


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported only when a label does not match as printed

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified characters (OpenCC's t2s table)."""
    return _t2s().convert(text)
