"""The Whoosh schema: one document per record, of every kind (index/kinds/).

Analysis order matters: lowercase, then fold accents, then stem, so that
`federale`, `Fédérale` and `FEDERALE` index and query alike. Prefixes (while
typing) are served by edge n-grams over short name fields only: a prefix query
over long text costs seconds at 10k documents.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

# Bump when the schema or the analysis changes: the fingerprint includes it, so
# caches written by an older version are never trusted.
SCHEMA_VERSION = 8  # 5: years indexed with 4 digits ('0999'); 6: projects, groups, people, status;
# 7: British spellings as American ones, names also joined ('huggingface'); 8: members' country
# by name, and members' and groups' types in French ('suisse', 'université')

# Words, including letters with accents and digits; apostrophes split words.
_TOKENS = r"\w+"
MAX_PREFIX = 15


def folding():
    """Tokenize, lowercase and fold accents; no stemming (names, spelling)."""
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)


# British spellings, as American ones: `licence` finds `license` and `centre` `center`.
# (-isation is handled by rule; -ise words only as listed: "precise" and "enterprise" are
# no -ize words.)
_BRITISH = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "centre": "center",
    "centres": "centers",
    "programme": "program",
    "programmes": "programs",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "colour": "color",
    "colours": "colors",
    "favour": "favor",
    "favoured": "favored",
    "labour": "labor",
    "defence": "defense",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "modelling": "modeling",
    "modelled": "modeled",
    "travelling": "traveling",
    "analyse": "analyze",
    "analysed": "analyzed",
    "analyses": "analyzes",
    "analysing": "analyzing",
}
for _stem in (
    "optimis", "recognis", "standardis", "prioritis", "realis", "utilis", "minimis", "maximis",
    "harmonis", "democratis", "organis", "specialis", "categoris", "customis", "summaris",
    "visualis", "localis", "characteris", "mobilis", "authoris", "criticis", "finalis",
):  # fmt: skip
    for _end in ("e", "ed", "es", "ing"):
        _BRITISH[_stem + _end] = _stem[:-1] + "z" + _end


class AmericanSpelling(Filter):
    """Token filter: British spellings become American ones, at index and query time alike."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            text = token.text
            if text in _BRITISH:
                token.text = _BRITISH[text]
            elif "isation" in text:
                token.text = text.replace("isation", "ization")
            yield token


def names_analyzer():
    """Folded, stop words dropped (so "the" never has to be in a name), no stems."""
    return folding() | AmericanSpelling() | StopFilter(minsize=1)


def english():
    """Folded, stop words dropped, English stems."""
    return folding() | AmericanSpelling() | StopFilter(minsize=1) | StemFilter(lang="en")


def french():
    """Folded, French stop words dropped, French stems (translations)."""
    return folding() | StopFilter(lang="fr", minsize=1) | StemFilter(lang="fr")


def edge_ngrams():
    """Every prefix (1..MAX_PREFIX letters) of every word; a query is one prefix term."""
    return folding() | NgramFilter(1, MAX_PREFIX, at="start")


def keyword():
    """Exact values (filters), case-insensitive."""
    return RegexTokenizer(r"[^\s,]+") | LowercaseFilter()


def build_schema() -> fields.Schema:
    return fields.Schema(
        ref=fields.ID(stored=True, unique=True),  # "member:nasa"
        kind=fields.ID(stored=True, sortable=True),
        id=fields.STORED(),  # never searched: `ref` is the indexed key
        # Boosts: names and titles rank above matches in long text.
        label=fields.STORED(),  # the title people see (a quote's: speaker and first words)
        title=fields.TEXT(analyzer=english(), field_boost=3.0),  # what ranks as a title
        names=fields.TEXT(analyzer=names_analyzer(), field_boost=5.0),
        prefix=fields.TEXT(analyzer=edge_ngrams(), field_boost=3.0, phrase=False),
        text=fields.TEXT(analyzer=english()),
        text_fr=fields.TEXT(analyzer=french()),
        body=fields.STORED(),  # the text snippets come from
        body_fr=fields.STORED(),  # French translation, for snippets of French matches
        # Filters (facets are counted on the sortable ones).
        type=fields.ID(sortable=True),
        status=fields.ID(),  # projects
        country=fields.ID(sortable=True),
        year=fields.ID(sortable=True),
        founding=fields.ID(),
        speaker=fields.TEXT(analyzer=folding(), phrase=False),
        lang=fields.KEYWORD(analyzer=keyword()),
        # Tie-break, read from the stored fields of the few hits ranked: 0 for founding
        # members, 1 otherwise. (A NUMERIC field would index 8 terms per document, 11% of
        # all postings, for nothing: no query ever searches it.)
        rank=fields.STORED(),
    )


# Fields plain words are searched in, with their boosts applied by the schema.
TEXT_FIELDS = ("title", "names", "text", "text_fr")
# The filters people type before a colon are in index/filters.py.
FACETS = ("kind", "type", "country", "year")
# The index's own words (folded, unstemmed), one per line, for "did you mean" and
# typo tolerance: a file beside the segments costs far less than a field indexing
# every text a second time.
VOCABULARY = "words.txt"
