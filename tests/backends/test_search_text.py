from backends.catalog.search_text import fts5_query, query_terms, terms, tsquery


def test_chinese_is_segmented_for_search():
    assert {"蓝牙", "耳机"} <= set(terms("声浪无线降噪蓝牙耳机"))


def test_spelling_and_arabic_article_are_normalized():
    assert terms("السماعات") == terms("سماعات") == ["سماعات"]
    assert terms("أحمر") == ["احمر"]
    assert terms("Ёлка ЧЁРНАЯ") == ["елка", "черная"]


def test_queries_match_inflections_by_prefix():
    assert query_terms("наушники") == [("наушни", True)]
    assert query_terms("耳机") == [("耳机", False)]
    assert query_terms("a40 15") == [("a40", False), ("15", False)]


def test_query_syntax_is_built_from_word_characters_only():
    pairs = query_terms('red "phone" OR DROP TABLE; --')
    assert all(term.isalnum() for term, _ in pairs)
    assert fts5_query([("red", False), ("phon", True)]) == '"red" "phon"*'
    assert tsquery([("red", False), ("phon", True)]) == "'red' & 'phon':*"
