"""Turning what a person types into Lucene queries for Neo4j's Polish and English indexes.

Neo4j ships no Polish analyzer, so Polish text is indexed with ASCII folding and the query
side applies the language rules of `odznaka_graph.text_rules` (folding, stemming).
"""

import re

from odznaka_graph.text_rules import fold, polish_stem, words

_LUCENE_SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')


def _escape(term: str) -> str:
    return _LUCENE_SPECIAL.sub(lambda m: "\\" + m.group(0), term)


def folded_query(text: str) -> str | None:
    """For the folded (Polish and other languages) index: every word, as typed or stemmed."""
    terms = [_folded_term(w) for w in words(text)]
    return " AND ".join(terms) or None


def _folded_term(word: str) -> str:
    exact = _escape(fold(word))
    if len(word) < 3:
        return exact  # a prefix of one or two letters matches nearly everything
    return f"({exact} OR {_escape(fold(polish_stem(word)))}*)"


def english_query(text: str) -> str | None:
    """For the English index, whose analyzer stems the words itself; the last word may be
    unfinished, as in a search box."""
    found = words(text)
    if not found:
        return None
    *complete, last = (_escape(w) for w in found)
    tail = f"({last} OR {last}*)" if len(last) >= 3 else last
    return " AND ".join([*complete, tail])
