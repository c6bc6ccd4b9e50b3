"""Hybrid search over the catalog (dense e5 + faiss fused with field-weighted BM25).

    from catalog.search import SearchEngine, validate_query, QueryError
    from catalog.search.encoder import make_encoder
    engine = SearchEngine.load_or_build(settings.index_dir, store, make_encoder(settings.encoder,
                                        settings.encoder_model_dir))
    engine.search("孩子要上户口", top=5)

Importing this package loads no model and touches no file.
"""

from catalog.search.config import SearchConfig
from catalog.search.engine import SearchEngine, SearchQuery, read_index_config
from catalog.search.jieba_tokenizer import write_jieba_dictionary
from catalog.search.validate import MAX_QUERY_CHARS, QueryError, validate_query

__all__ = [
    "MAX_QUERY_CHARS", "QueryError", "SearchConfig", "SearchEngine", "SearchQuery", "read_index_config",
    "validate_query", "write_jieba_dictionary",
]
