"""Hybrid retrieval over the real corpus: ranking, metadata, filters, LangChain interface."""

import json

import numpy as np
from langchain_core.retrievers import BaseRetriever

from assistant import Assistant
from tests.helpers import run_cli

STRATEGY = "001_20a75bf8a019a31d.txt"


def test_level_passage_retrieves_on_its_own(corpus_assistant: Assistant) -> None:
    top = corpus_assistant.search("Mature level of managing strategic risk", k=1)[0]
    assert top.metadata["key_area"] == "Managing strategic risk" and top.metadata["level"] == "Mature"
    assert top.metadata["theme"] == "Behaving commercially" and top.metadata["page"] == 16


def test_result_metadata_contract(corpus_assistant: Assistant) -> None:
    docs = corpus_assistant.search("what is social value", k=5)
    assert len(docs) == 5
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    for d in docs:
        assert {"document", "source_file", "title", "page", "section", "theme", "key_area", "level"} <= set(d.metadata)
    assert docs[0].metadata["document"] == STRATEGY and docs[0].metadata["source_file"] == STRATEGY
    assert docs[0].metadata["title"].startswith("National Procurement Strategy")


def test_keyword_and_dense_each_find_what_the_other_misses(corpus_assistant: Assistant) -> None:
    # an acronym: exact-term matching matters
    assert "P2P" in corpus_assistant.search("P2P", k=3, mode="bm25")[0].page_content
    # a paraphrase with no shared key terms: meaning matters
    dense = corpus_assistant.search("companies forcing people to work for nothing", k=3, mode="dense")
    assert any("slavery" in d.page_content.lower() for d in dense)


def test_filters(corpus_assistant: Assistant) -> None:
    docs = corpus_assistant.search("proactive approach", k=5, key_area="Obtaining social value")
    assert docs and all(d.metadata["key_area"] == "Obtaining social value" for d in docs)
    docs = corpus_assistant.search("training", k=5, document="004_244de911701c6c98.txt")
    assert docs and all(d.metadata["document"] == "004_244de911701c6c98.txt" for d in docs)
    docs = corpus_assistant.search("engagement", k=5, level="Innovator", theme="Showing leadership")
    assert docs and all(
        d.metadata["level"] == "Innovator" and d.metadata["theme"] == "Showing leadership" for d in docs
    )


def test_langchain_retriever(corpus_assistant: Assistant) -> None:
    retriever = corpus_assistant.retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("How is an SME defined?")
    assert len(docs) == 3 and any("250 employees" in d.page_content for d in docs)


def test_nonsense_and_empty_queries(corpus_assistant: Assistant) -> None:
    assert corpus_assistant.search("   ", k=5) == []
    # words in no passage: BM25 finds nothing, dense still ranks by similarity; never more than asked
    nonsense = corpus_assistant.search("zzqx qqq", k=3)
    assert len(nonsense) == 3 and all(d.metadata["score"] > 0 for d in nonsense)
    assert corpus_assistant.search("zzqx qqq", k=3, mode="bm25") == []


def test_second_process_sees_new_documents(corpus_assistant: Assistant, tmp_path) -> None:
    """Another Assistant on the same store rebuilds its keyword index when the store changes."""
    other = Assistant(corpus_assistant.settings)
    assert other.search("quokka", k=1, mode="bm25") == []
    note = tmp_path / "quokka.md"
    note.write_text("# Quokka framework\n\nThe quokka procurement framework covers catering.\n")
    corpus_assistant.ingest([note])
    assert "quokka" in other.search("quokka", k=1, mode="bm25")[0].page_content.lower()
    corpus_assistant.remove("quokka.md")


def test_cli_search_json_and_stats(corpus_assistant: Assistant) -> None:
    data_dir = corpus_assistant.settings.data_dir
    out = run_cli("search", "micro-businesses", "-k", "2", "--json", data_dir=data_dir)
    rows = json.loads(out.stdout)
    assert len(rows) == 2 and {"text", "title", "page", "section", "score"} <= set(rows[0])
    out = run_cli("stats", data_dir=data_dir)
    assert "documents" in out.stdout and STRATEGY in out.stdout


def test_our_tokenizer_gives_the_same_tokens_as_bm25s(corpus_assistant: Assistant) -> None:
    import bm25s

    from assistant.retrieval import _stemmer, tokenize
    from evals.common import DATA_DIR, read_jsonl

    texts = [t for _, t, _ in corpus_assistant.store.rows()]
    texts += [q["question"] for q in read_jsonl(DATA_DIR / "questions.jsonl")] + ["SMEs' LATCos, co-operation £5m"]
    theirs = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)
    folded = [[t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in doc] for doc in theirs]
    assert tokenize(texts) == folded


def test_the_passages_that_set_out_the_structure_hold_most_of_its_names(corpus_assistant: Assistant) -> None:
    from assistant.learn.fusion import FEATURES

    searcher = corpus_assistant.searcher
    query = "which key areas sit under the leadership strand?"
    pool = searcher.pool(query, 40)
    held = searcher.features(query, pool)[:, FEATURES.index("holds_the_structure")]
    texts = [entry["text"] for entry in pool.values()]
    figure = next(
        k for k, t in enumerate(texts) if "• Engaging councillors • Engaging senior managers" in " ".join(t.split())
    )
    one_area = next(k for k, t in enumerate(texts) if t.startswith("Key area: Engaging councillors"))
    # the strategy's figure names every theme, key area and enabler; a key area's own passage names itself
    assert held[figure] == held.max() > 0.5 > 0.2 > held[one_area]


def test_a_theme_asked_for_brings_the_passages_that_name_its_key_areas(corpus_assistant: Assistant) -> None:
    """The strategy's figure lists each theme's key areas without the words "key area" or the theme's
    own sentence; a question in other words ("what comes under the leadership strand?") found it by
    neither retriever. A third keyword search, for the linked theme's key-area names, adds it."""
    from assistant.learn.fusion import FEATURES

    searcher = corpus_assistant.searcher
    column = FEATURES.index("members_reciprocal_rank")
    query = "what comes under the leadership strand, in practice?"
    pool = searcher.pool(query, 5)
    x = searcher.features(query, pool)
    texts = [" ".join(e["text"].split()) for e in pool.values()]
    figure = next(k for k, t in enumerate(texts) if "• Engaging councillors • Engaging senior managers" in t)
    assert x[figure, column] > 0 and "members_rank" in list(pool.values())[figure]
    plain = "how are suppliers paid?"  # names no theme: no third search
    assert not searcher.features(plain, searcher.pool(plain, 5))[:, column].any()


def test_a_level_named_by_synonym_is_searched_for_by_its_name(corpus_assistant: Assistant) -> None:
    """A "gold standard for managing contracts" names Innovator without the word; the search adds it, so
    the Innovator cell's passage leads (it ranked eighth when only the question's words were searched)."""
    from assistant.ask.pipeline import prepare

    turn = prepare(corpus_assistant, "gold standard for managing contracts - what would we need to be doing?")
    assert turn is not None and "Innovator" in turn.query.split()
    cells = [(d.metadata.get("key_area"), d.metadata.get("level")) for d in turn.docs[:3]]
    assert ("Managing contracts and relationships", "Innovator") in cells
    plain = prepare(corpus_assistant, "what does Innovator look like for managing contracts?")
    assert plain is not None and plain.query.split().count("Innovator") == 1  # named: nothing added


def test_the_fusion_reads_whether_a_passage_is_the_kind_the_question_asks_for(corpus_assistant: Assistant) -> None:
    """P(why) enters as the column of a "why it is important" passage, P(definition) as that of a description,
    P(level) as that of a level descriptor; a passage of another kind (prose) gets none. Given intents stand in
    for the classifier's reading of the query (the pipeline's query also holds glossary terms and context)."""
    from assistant.learn.fusion import FEATURES
    from assistant.learn.kinds import INTENTS

    searcher = corpus_assistant.searcher
    column = FEATURES.index("kind_is_what_is_asked")
    query = "why does engaging senior managers matter?"
    pool = searcher.pool(query, 10)
    kinds = [e["metadata"].get("kind") or "" for e in pool.values()]
    assert {"why_important", "level"} <= set(kinds)
    asked = np.zeros(len(INTENTS))
    asked[INTENTS.index("why")], asked[INTENTS.index("level")] = 0.7, 0.2
    x = searcher.features(query, pool, asked)
    expected = {"why_important": 0.7, "level": 0.2, "description": 0.0, "what_it_is": 0.0, "": 0.0}
    assert [round(v, 6) for v in x[:, column]] == [expected.get(k, 0.0) for k in kinds]
    # read off the query by the fitted classifier where none are given: a why question reads as one
    read = searcher.features(query, pool)[:, column]
    assert read[kinds.index("why_important")] > 0.5 > read[kinds.index("level")]


def test_what_the_question_asks_for_moves_the_passage_of_that_kind_up(corpus_assistant: Assistant) -> None:
    """ "why does engaging senior managers matter?" shares "matter(s)" with the Minimum descriptor ("purely
    operational matters"), which the keyword search puts first. Read as a why question, the help text on why the
    key area is important ranks higher than read as a level question, and the descriptor lower."""
    from assistant.learn.kinds import INTENTS

    def order(intent: str) -> list[str]:
        asked = np.zeros(len(INTENTS))
        asked[INTENTS.index(intent)] = 1.0
        docs = corpus_assistant.searcher.search("why does engaging senior managers matter?", 10, intents=asked)
        return [f"{d.metadata.get('kind')}:{d.metadata.get('level') or ''}" for d in docs]

    as_why, as_level = order("why"), order("level")
    assert as_why.index("why_important:") < as_level.index("why_important:")
    assert as_why.index("level:Minimum") > as_level.index("level:Minimum")
    assert as_why[0] == "why_important:"
