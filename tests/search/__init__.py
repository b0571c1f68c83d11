"""Tests of the search engine: analysis, queries, typos, ranking, results, the index cache and the CLI."""
