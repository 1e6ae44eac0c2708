"""The fitted parts of ask on their own, and the conversation vocabulary they rely on.

Real model, real store and the fitted parameters under corpus/fitted; each test can fail."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.ask.language import EntityLinker, find_level, ordinal
from assistant.ask.pipeline import prepare
from assistant.ask.rephrase import listed_areas, rephrase
from assistant.ask.statements import model_statements
from assistant.ask.verify import supported
from assistant.learn import fusion, ranker, scope
from assistant.learn.scope import detail_gaps, threshold_for
from assistant.retrieval import Links
from domain.maturity import load_maturity_model
from tests.helpers import make_rules_pdf

MODEL = load_maturity_model(Path(__file__).resolve().parent.parent / "corpus" / "nps2018_maturity.yaml")


# -- level and list vocabulary (corpus/levels_vocabulary.yaml) -------------------------------
@pytest.mark.parametrize(
    ("text", "current", "level"),
    [
        ("what would best-in-class look like there?", None, "Innovator"),
        ("whats the gold standard version", None, "Innovator"),
        ("what's the bottom rung?", None, "Minimum"),
        ("what's the one above minimum?", None, "Developing"),
        ("and one step down from that?", "Innovator", "Leader"),
        ("for the digital tech enabler whats the middle one", None, "Mature"),
        ("and what about Leader?", "Minimum", "Leader"),
        ("what do they call the top maturity level?", None, "Innovator"),
        ("what is the level after developing?", None, "Mature"),
        ("which level comes before leader?", None, "Mature"),
        ("what sits above mature?", "Minimum", "Leader"),
        ("what comes after developing talent at minimum?", None, "Minimum"),  # the area's name is no level
        ("what is social value?", None, None),
    ],
)
def test_find_level_by_name_position_or_relation(text: str, current: str | None, level: str | None) -> None:
    assert find_level(text, MODEL, current) == level


def test_ordinals_point_into_the_previous_list() -> None:
    assert ordinal("whats the top level for the second one you listed") == 1
    assert ordinal("ok what does the last of those mean") == -1
    assert ordinal("what is the first thing to do?") == 0
    assert ordinal("what is social value?") is None


def test_the_third_one_listed_is_resolved_against_the_previous_answer() -> None:
    answer = (
        "The Behaving commercially theme has three key areas: Creating commercial opportunities, "
        "Managing contracts and relationships and Managing strategic risk. [1]"
    )
    assert [a.name for a in listed_areas(answer, MODEL)][:3] == [
        "Creating commercial opportunities",
        "Managing contracts and relationships",
        "Managing strategic risk",
    ]
    history = [
        {"role": "user", "content": "list the key areas under behaving commercially"},
        {"role": "assistant", "content": answer},
    ]
    standalone, area, _, _ = rephrase("what does the third one mean", history, MODEL)
    assert area is not None and area.name == "Managing strategic risk"
    assert standalone == "what does Managing strategic risk mean"


def test_a_new_self_contained_question_is_not_rewritten_with_the_last_topic() -> None:
    history = [
        {"role": "user", "content": "What is social value?"},
        {"role": "assistant", "content": "Social value is ..."},
    ]
    question = "Who leads the Contract Management Pioneer Programme and how many councils take part?"
    assert rephrase(question, history, MODEL)[0] == question


# -- model statements ---------------------------------------------------------------------------
def test_every_model_statement_is_supported_by_the_passages_it_cites(corpus_assistant: Assistant) -> None:
    statements = model_statements(corpus_assistant.maturity_model, corpus_assistant.passages, [])
    assert len(statements) >= 3 + len(corpus_assistant.maturity_model.areas)
    for s in statements:
        assert supported(s.text, [d.page_content for d in s.docs]), s.text


def test_a_list_printed_in_several_places_is_cited_to_each(corpus_assistant: Assistant) -> None:
    """The enablers are listed in the overview, the figure and their own section: the statement cites
    every passage that lists them (at most three), the retrieved ones first, each once."""
    from assistant.ask.statements import MAX_LISTINGS

    model, find = corpus_assistant.maturity_model, corpus_assistant.passages
    names = [a.name for a in model.enablers]
    listing = [d for d in find({}) if all(n.lower() in d.page_content.lower() for n in names)]
    assert len(listing) >= 2
    retrieved = [max(listing, key=lambda d: len(d.page_content))]  # the longest, so not first by length
    enablers = next(s for s in model_statements(model, find, retrieved) if s.text.startswith("Beside the themes"))
    ids = [d.metadata["id"] for d in enablers.docs]
    assert ids[0] == retrieved[0].metadata["id"] and len(ids) == len(set(ids)) == min(len(listing), MAX_LISTINGS)
    assert all(all(n.lower() in d.page_content.lower() for n in names) for d in enablers.docs)


def test_a_theme_s_key_areas_are_cited_to_their_own_descriptions(corpus_assistant: Assistant) -> None:
    """ "Which key areas sit in the commercial theme?": the statement cites the list that groups them and each
    key area's description, whose heading names the theme, so the reader can go on to what each one is."""
    model, find = corpus_assistant.maturity_model, corpus_assistant.passages
    statements = model_statements(model, find, [])
    for theme, names in model.themes.items():
        statement = next(s for s in statements if s.text.startswith(f"The {theme} theme has"))
        descriptions = [d for d in statement.docs if d.metadata.get("kind") == "description"]
        assert {d.metadata.get("key_area") for d in descriptions} == set(names), statement.text
        assert all(f"theme: {theme}" in d.page_content for d in descriptions)
        assert supported(statement.text, [d.page_content for d in statement.docs])


def test_framework_questions_in_unfamiliar_words_get_the_structure(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("which key areas come under the leadership theme?")
    for name in MODEL.themes["Showing leadership"]:
        assert name.lower() in answer.text.lower()
    levels = corpus_assistant.ask("the five levels from lowest to highest")
    assert all(level in levels.text for level in MODEL.levels) and not levels.refused
    # the strategy calls its enablers "cross-cutting issues" (glossary.yaml): a question in those words lists them
    enablers = corpus_assistant.ask("what are the cross-cutting things that have to be in place?")
    assert all(a.name.lower() in enablers.text.lower() for a in MODEL.enablers), enablers.text


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("what is the highest level called?", "Innovator"),
        ("what is the top rung?", "Innovator"),
        ("what's the bottom rung called?", "Minimum"),
    ],
)
def test_a_level_asked_for_by_position_is_named_first(corpus_assistant: Assistant, question: str, level: str) -> None:
    """ "The top rung" means the last level (levels_vocabulary.yaml): the composer reads that level's name into
    what is asked, so the statement that names it leads, not the level next to it or a passage that says
    "top" ("not a 'top down' strategy")."""
    answer = corpus_assistant.ask(question)
    assert answer.text.startswith(f"{level} is the"), answer.text


def test_what_one_level_is_called_answers_only_a_question_that_names_that_level(corpus_assistant: Assistant) -> None:
    """A statement about one level ("Mature is level 3 of the five ...") is about that level, as "X is a key
    area in the Y theme" is about X: a candidate only when the question names it. "How many
    maturity levels are there?" names none (its "maturity" is not "Mature") and gets the whole ladder."""
    model, find = corpus_assistant.maturity_model, corpus_assistant.passages
    about_levels = [s for s in model_statements(model, find, []) if s.about in model.levels]
    assert sorted(s.about for s in about_levels) == sorted(model.levels)
    assert all(s.text.startswith(s.about) and s.is_list for s in about_levels)  # each ends with the ladder
    answer = corpus_assistant.ask("how many maturity levels are there?")
    assert answer.text.startswith("The strategy describes each key area and enabler at five maturity levels"), (
        answer.text
    )
    above = corpus_assistant.ask("what is the level above mature called")
    assert above.text.startswith("Leader is level 4"), above.text
    for question, level in [
        ("what is the level after developing?", "Mature is level 3"),
        ("which level comes before leader?", "Mature is level 3"),
    ]:
        assert corpus_assistant.ask(question).text.startswith(level), question


def test_a_statement_about_the_whole_structure_is_a_list(corpus_assistant: Assistant) -> None:
    """The ranker reads a list question's wish for a list off every candidate that is one: the statements
    that set out the themes, a theme's key areas, the enablers or the levels are lists; where one key
    area belongs is not."""
    model, find = corpus_assistant.maturity_model, corpus_assistant.passages
    statements = model_statements(model, find, [])
    lists = {s.text for s in statements if s.is_list}
    assert any(s.startswith("The strategy's three themes are") for s in lists)
    assert any(s.startswith("Beside the themes, the strategy has four enablers") for s in lists)
    placing = [s for s in statements if s.about in {a.name for a in model.areas}]
    assert placing and not any(s.is_list for s in placing)
    turn = prepare(corpus_assistant, "list the themes of the strategy")
    _, candidates, x = corpus_assistant.grounded.ranked_candidates(turn)
    column = ranker.FEATURES.index("is_list")
    assert all(row[column] == float(c.text in lists) for c, row in zip(candidates, x, strict=True) if c.is_statement)


# -- scope: asked-for details and the threshold ---------------------------------------------------
def test_detail_gaps_count_figures_and_names_the_passages_lack() -> None:
    passages = "Councils spend around £60 billion a year. The LGA published the strategy."
    assert detail_gaps("Is it £60 billion?", passages) == (0.0, 0.0)
    assert detail_gaps("Does PPN 06/20 apply, as Leeds said?", passages) == (2.0, 2.0)


def test_a_count_the_passages_write_out_in_words_is_held() -> None:
    passages = "It focuses on three themes. Its purpose is often written down."
    assert detail_gaps("what are the 3 big headings?", passages) == (0.0, 0.0)
    assert detail_gaps("is it 10 days?", passages) == (1.0, 0.0)  # "ten" is in no passage ("often", "written")
    assert detail_gaps("are there 4 enablers?", passages) == (1.0, 0.0)
    assert detail_gaps("does PPN 06/20 or rule 0 apply?", "six cohorts, no sum") == (3.0, 1.0)  # names, not counts


def test_a_document_s_initials_and_the_model_s_level_names_are_no_detail_gap(corpus_assistant: Assistant) -> None:
    from langchain_core.documents import Document

    title = "National Procurement Strategy for Local Government in England 2018"
    docs = [Document("Councils should engage strategic suppliers.", metadata={"title": title})]
    gaps = corpus_assistant.grounded._detail_gaps
    assert gaps("Does the NPS say which level sits between Minimum and Mature?", docs) == (0.0, 0.0)
    assert gaps("Does the NPS apply to Welsh councils?", docs) == (0.0, 1.0)


def test_a_figure_the_question_gave_itself_does_not_answer_how_many(corpus_assistant: Assistant) -> None:
    from assistant.learn.intent import INTENTS
    from assistant.learn.scope import FEATURES

    composer = corpus_assistant.grounded
    question = "How many councils took part in the spring 2017 self-assessment?"
    turn = prepare(corpus_assistant, question)
    # the answering sentence, "In Spring 2017 councils assessed their own progress", states only the question's 2017
    p_numeric = composer.intents(question)[INTENTS.index("numeric")]
    assert composer.features(turn)[FEATURES.index("number_asked_none_given")] == pytest.approx(p_numeric)


def test_a_year_is_no_count_or_amount(corpus_assistant: Assistant) -> None:
    from assistant.learn.intent import INTENTS
    from assistant.learn.scope import FEATURES

    composer = corpus_assistant.grounded
    question = "How many councils assessed their own progress in the last self-assessment?"
    # the answering sentence, "In Spring 2017 councils assessed their own progress", dates the assessment; it
    # gives no number of councils
    p_numeric = composer.intents(question)[INTENTS.index("numeric")]
    assert p_numeric > 0.3
    assert composer.features(prepare(corpus_assistant, question))[FEATURES.index("number_asked_none_given")] == (
        pytest.approx(p_numeric)
    )


def test_quantities_are_figures_without_years() -> None:
    assert scope.quantities("In Spring 2017 councils assessed their own progress") == set()
    assert scope.quantities("Over £2,000 and up to £25,000 in 2018, 9.4 per cent") == {"2000", "25000", "9.4"}


def test_threshold_refuses_at_most_its_share_of_answerable_questions() -> None:
    probs = list(np.linspace(0, 1, 200))
    t = threshold_for(probs)
    assert np.mean(np.array(probs) < t) <= scope.MAX_FALSE_REFUSALS < np.mean(np.array(probs) <= t + 0.01)


def test_in_scope_probability_separates_a_plain_question_from_a_near_miss(corpus_assistant: Assistant) -> None:
    composer = corpus_assistant.grounded
    assert composer.scope is not None and composer.ranker is not None
    inside = composer.features(prepare(corpus_assistant, "What is social value?"))
    outside = composer.features(
        prepare(corpus_assistant, "How long is the standstill period under the Procurement Act 2023?")
    )
    assert composer.scope.probability(inside) > composer.scope.threshold
    assert composer.scope.probability(outside) < composer.scope.probability(inside) - 0.3
    assert corpus_assistant.ask("How long is the standstill period under the Procurement Act 2023?").refused


def test_a_number_asked_for_and_not_stated_is_a_scope_feature(corpus_assistant: Assistant) -> None:
    """P(numeric) x "the sentence the ranker would answer with states no figure": high for a sum the guidance
    never gives, nil when that sentence holds the figure, and small for a question that asks for no number."""
    composer, column = corpus_assistant.grounded, scope.FEATURES.index("number_asked_none_given")

    def value(question: str) -> float:
        features = composer.features(prepare(corpus_assistant, question))
        assert features is not None
        return float(features[column])

    # the guidance gives no number of strategic suppliers: the sentences the ranker rates best state none.
    # ("What percentage of council contracts go to SMEs?" was the case here until the ranker read whether a
    # sentence states a quantity: it now rates a sentence with a figure first, which the feature takes as stated.)
    assert value("How many strategic suppliers does a typical council have?") > 0.3
    assert value("What is the annual procurement spend of English councils?") == 0.0
    assert value("Why does social value matter to a council?") < 0.1


# -- the guard's topic classifier and the intent classifier (corpus/fitted/topic.json, intent.json) ----
@pytest.mark.parametrize(
    ("text", "kind"),
    [  # wordings that are not among the labelled examples (evals/data/topics.jsonl)
        ("my wheelie bin has been stolen, how do I order a new one?", "council_service"),
        ("the losing tenderer has taken us to court - will we lose?", "legal_dispute"),  # the old rules missed it
        ("what does Birmingham City Council pay per hour for home care?", "named_council_prices"),
        ("can you give me a recipe for shepherd's pie?", "general_chat"),
        ("What happens to our services if a strategic supplier fails?", None),
        ("what is social value?", None),
        ("and the one after that?", None),  # a follow-up is a procurement question in its conversation
        ("What are TOMs?", None),  # it names a term of the guidance's glossary
        ("what do english councils spend a year on goods and services, going by Localis?", None),  # no council named
        # what a council's own uploaded rules answer is procurement, not chat or a legal dispute
        ("£180k of works, can we just get quotes?", None),
        ("When might a waiver be justified?", None),
    ],
)
def test_the_fitted_topic_classifier_settles_only_off_topic_questions(
    corpus_assistant: Assistant, text: str, kind: str | None
) -> None:
    assert corpus_assistant.topic is not None
    assert corpus_assistant.off_topic(text) == kind


def test_an_off_topic_question_gets_its_class_reply_through_the_pipeline(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("where do I pay my council tax?")
    assert answer.refused and answer.category == "out_of_scope" and "council service" in answer.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("why should a council bother engaging its councillors on procurement?", "why"),
        ("how many councils took part in the programme?", "numeric"),
        ("What is meant by a strategic supplier?", "definition"),
    ],
)
def test_the_intent_classifier_reads_what_a_question_asks(corpus_assistant: Assistant, text: str, intent: str) -> None:
    from assistant.learn.intent import INTENTS

    composer = corpus_assistant.grounded
    assert composer.intent is not None
    assert INTENTS[int(composer.intents(text).argmax())] == intent


def test_words_are_the_tfidf_scikit_learn_fits() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.learn.words import Words
    from assistant.retrieval import tokenize

    texts = ["Why is social value important?", "What is social value?", "how many SMEs, how many?", "Who wrote it"]
    words = Words.fit(texts, min_df=1)
    expected = TfidfVectorizer(min_df=1, sublinear_tf=True).fit(texts).transform(texts).toarray()
    assert np.allclose(words.transform(texts), expected)
    again = Words.from_dict(words.to_dict())
    assert np.allclose(again.transform(["why is it important, why?"]), words.transform(["why is it important, why?"]))
    assert not Words.fit(texts).transform(["wrote"]).any()  # in one question only: not a word it keeps
    stemmed = Words.fit(texts, min_df=1, stemmed=True)  # as the retrieval reads words: "values" is "value"
    analysed = TfidfVectorizer(analyzer=lambda t: tokenize([t])[0], sublinear_tf=True).fit(texts)
    assert np.allclose(stemmed.transform(["social values"]), analysed.transform(["social values"]).toarray())
    assert Words.from_dict(stemmed.to_dict()).stemmed and "why" not in stemmed.vocabulary  # a stop word


def test_the_intent_classifier_keeps_its_words(corpus_assistant: Assistant) -> None:
    import json

    data = json.loads((corpus_assistant.fitted_dir / "intent.json").read_text())
    intent = corpus_assistant.grounded.intent
    assert intent.words is not None and data["words"]["vocabulary"] == intent.words.vocabulary
    assert "why" in intent.words.vocabulary
    dim = len(corpus_assistant.embedder.embed(["x"])[0])
    assert np.asarray(data["model"]["coef"]).shape[1] == dim + len(intent.words.vocabulary)


def test_the_ranker_reads_intent_as_interactions(corpus_assistant: Assistant) -> None:
    from assistant.learn.intent import INTENTS

    composer = corpus_assistant.grounded
    turn = prepare(corpus_assistant, "Why does engaging councillors matter?")
    why, definition = np.zeros(len(INTENTS)), np.zeros(len(INTENTS))
    why[INTENTS.index("why")], definition[INTENTS.index("definition")] = 1.0, 1.0
    _, candidates, as_why = composer.ranked_candidates(turn, why)
    _, _, as_definition = composer.ranked_candidates(turn, definition)
    column = ranker.FEATURES.index("why_x_kind_why")
    is_why = as_why[:, ranker.FEATURES.index("kind_why")] == 1
    assert is_why.any() and (as_why[is_why, column] == 1).all() and (as_definition[:, column] == 0).all()
    assert as_why.shape == (len(candidates), len(ranker.FEATURES))


def test_a_year_is_no_quantity_for_the_ranker(corpus_assistant: Assistant) -> None:
    """ "The National Procurement Strategy ... 2018 focuses on three themes" dates itself and states no figure: for
    "how much do councils spend each year?" it had counted as holding one, like the £60 billion sentence."""
    composer = corpus_assistant.grounded
    turn = prepare(corpus_assistant, "how much do councils spend on procurement each year?")
    _, candidates, x = composer.ranked_candidates(turn)
    quantity, year = ranker.FEATURES.index("has_quantity"), ranker.FEATURES.index("has_year")
    numeric = ranker.FEATURES.index("numeric_x_has_quantity")
    rows = {c.source: row for c, row in zip(candidates, x, strict=True)}
    dated = next(r for s, r in rows.items() if "2018 focuses on three themes" in s)
    spend = next(r for s, r in rows.items() if "£60 billion" in s)
    assert (dated[quantity], dated[year], dated[numeric]) == (0.0, 1.0, 0.0)
    assert spend[quantity] == 1.0 and spend[numeric] > 0


def test_the_ranker_keeps_the_base_rate_as_its_bar() -> None:
    """Fitted without reweighting the classes: its probabilities average the share of right candidates,
    and a further sentence must beat that share (the prior), not 0.5."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, len(ranker.FEATURES)))
    y = (x[:, 0] + rng.normal(scale=0.5, size=2000) > 1.7).astype(int).tolist()  # about 1 in 20 right
    model = ranker.fit_ranker(x, y)
    assert model.prior == pytest.approx(np.mean(y), abs=1e-4)
    probs = model.probabilities(x)
    assert probs.mean() == pytest.approx(np.mean(y), abs=0.01)  # calibrated, not pushed towards one half
    assert model.likely(model.prior) and not model.likely(model.prior / 2)
    saved = model.to_dict()
    assert ranker.Ranker.from_dict(saved).prior == model.prior
    with pytest.raises(ValueError):  # a file fitted before the prior existed is stale, not misread
        ranker.Ranker.from_dict({k: v for k, v in saved.items() if k != "prior"})


def test_boosted_trees_learn_a_condition_a_linear_model_cannot_and_load_as_fitted() -> None:
    """A candidate feature worth much only when another reading is high (a list when a list is asked for):
    the trees learn it, a logistic regression on the same columns cannot; the saved trees give scikit-learn's
    probabilities back, and their number is chosen on held-out groups (few trees for noise)."""
    import json

    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    from assistant.learn.linear import Linear
    from assistant.learn.trees import Trees, _model

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(3000, 4))
    y = ((x[:, 0] > 0.5) != (x[:, 1] > 0.5)).astype(int)  # one feature counts only with the other's reading
    groups = [f"q{i // 10}" for i in range(3000)]
    train, test = next(iter(GroupKFold(5).split(x, groups=groups)))
    trees = Trees.fit(x[train], list(y[train]), [groups[i] for i in train])
    linear = Linear.fit(x[train], [str(v) for v in y[train]], c=None, balanced=False)
    assert roc_auc_score(y[test], trees.predict_proba(x[test])[:, 1]) > 0.95
    assert roc_auc_score(y[test], linear.predict_proba(x[test])[:, 1]) < 0.7
    loaded = Trees.from_dict(json.loads(json.dumps(trees.to_dict())))
    fitted = _model(len(trees.trees)).fit(x[train], y[train])
    assert loaded.predict_proba(x[test])[:, 1] == pytest.approx(fitted.predict_proba(x[test])[:, 1], abs=1e-5)
    noise = Trees.fit(x, list(rng.permutation(y)), groups)
    assert len(noise.trees) < len(trees.trees) / 3


def test_a_ranker_file_without_its_trees_is_refused() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, len(ranker.FEATURES)))
    model = ranker.fit_ranker(x, [int(v > 1.5) for v in x[:, 0]])
    saved = model.to_dict()
    loaded = ranker.Ranker.from_dict(saved)
    # saved to six digits, as the logistic regression: a probability near 1e-3 moves in its seventh
    assert loaded.answer_probabilities(x) == pytest.approx(model.answer_probabilities(x), abs=1e-5)
    # saved to six digits: near 0.5 a sum over 33 features, each read to six digits, moves the chance by about 1e-5
    assert loaded.probabilities(x) == pytest.approx(model.probabilities(x), abs=1e-4)
    with pytest.raises(ValueError):  # a ranker saved before the trees: stale, not misread
        ranker.Ranker.from_dict({k: v for k, v in saved.items() if k != "trees"})


def test_the_probabilities_scope_reads_come_from_a_ranker_that_did_not_see_the_question() -> None:
    from assistant.fit import cross_fitted_probs

    rng = np.random.default_rng(1)
    owners = np.repeat(np.arange(60), 10).tolist()  # 60 questions, 10 candidates each
    x = rng.normal(size=(600, len(ranker.FEATURES)))
    y = [int(i % 10 == 0) for i in range(600)]  # one right candidate per question, its features noise
    groups = [f"q{n}" for n in owners]
    probs = cross_fitted_probs(x, y, owners, groups)
    assert sorted(probs) == list(range(60)) and all(len(p) == 10 for p in probs.values())
    from sklearn.model_selection import GroupKFold

    train, test = next(iter(GroupKFold(5).split(x, groups=groups)))
    refit = ranker.fit_ranker(x[train], [y[i] for i in train], [groups[i] for i in train])
    in_sample = ranker.fit_ranker(x, y, groups).answer_probabilities(x[test])
    n = owners[test[0]]
    rows = [k for k, i in enumerate(test) if owners[i] == n]
    assert probs[n] == pytest.approx(refit.answer_probabilities(x[test])[rows])
    assert probs[n] != pytest.approx(in_sample[rows])


# -- fitted parameters: the right shape, and used ------------------------------------------------
@pytest.mark.parametrize(("name", "module"), [("ranker.json", ranker), ("scope.json", scope), ("fusion.json", fusion)])
def test_fitted_files_match_their_features(corpus_assistant: Assistant, name: str, module) -> None:
    import json

    data = json.loads((corpus_assistant.fitted_dir / name).read_text())
    assert data["features"] == list(module.FEATURES)
    coef = np.asarray(data["model"]["coef"])
    assert coef.shape[-1] == len(module.FEATURES)


def test_fitted_fusion_orders_the_search(corpus_assistant: Assistant) -> None:
    searcher = corpus_assistant.searcher
    assert searcher.fusion is not None
    docs = corpus_assistant.search("How is an SME defined?", k=5)
    assert any("250 employees" in d.page_content for d in docs[:3])
    pool = searcher.pool("How is an SME defined?", 5)
    assert searcher.features("How is an SME defined?", pool).shape == (len(pool), len(fusion.FEATURES))


def test_the_fusion_reads_what_the_query_names_of_the_model(corpus_assistant: Assistant) -> None:
    """Entity linking feeds the fusion: a level synonym and a shortened area name point at that cell's
    descriptor passage, a theme's own word at the passages that hold the theme's name."""
    linker = EntityLinker(MODEL)
    links = linker("what does the top rung look like for working with partners, under the leadership theme?")
    assert links.areas == {"Working with partners"} and links.level == "Innovator"
    assert links.themes == {"Showing leadership"}
    assert links.members == set(MODEL.themes["Showing leadership"])  # what the theme's passages name instead
    assert linker("what is social value?") == Links(frozenset({"Obtaining social value"}), None, frozenset())
    searcher = corpus_assistant.searcher
    query = "top rung for working with partners"
    pool = searcher.pool(query, 5)
    x = searcher.features(query, pool)
    area, level = fusion.FEATURES.index("names_its_key_area"), fusion.FEATURES.index("names_its_level")
    cells = [(e["metadata"].get("key_area"), e["metadata"].get("level")) for e in pool.values()]
    assert ("Working with partners", "Innovator") in cells
    for (key_area, lv), row in zip(cells, x, strict=True):
        assert row[area] == float(key_area == "Working with partners")
        assert row[level] == float(lv == "Innovator")
    # the retrieve stage searches for the level the synonym names as well: the cell's passage is among the first five
    turn = prepare(corpus_assistant, query)
    assert turn is not None and any(d.metadata.get("level") == "Innovator" for d in turn.docs[:5])


def test_a_question_about_another_year_is_not_answered_from_the_2018_model(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("what are the 5 enablers in NPS 2022?")
    assert answer.refused and "four enablers" not in answer.text.split("\n")[0].lower()
    same = corpus_assistant.ask("what are the enablers in the 2018 strategy?")
    assert not same.refused and "developing talent" in same.text.lower()
    # "NPS 2018": the strategy never calls itself NPS, but its title's initials are that
    initials = corpus_assistant.ask("What are the four enablers in the NPS 2018?")
    assert not initials.refused and "embedding change" in initials.text.lower()


@contextmanager
def uploaded(assistant: Assistant, path: Path) -> Iterator[None]:
    """``path`` in the store for the block's questions, and taken out again whatever they find."""
    assert assistant.ingest([path]).count("failed") == 0
    try:
        yield
    finally:
        assistant.remove(path.name)


def test_an_amount_is_answered_by_the_band_that_holds_it(corpus_assistant: Assistant, tmp_path) -> None:
    rules = tmp_path / "contract-rules.txt"
    rules.write_text(
        "Contract procedure rules\n\n"
        "Quotations. For contracts from £5,000 to £25,000, officers must obtain two written quotes. "
        "Above £25,000 and up to £100,000, officers must obtain three written quotes. "
        "Contracts over £100,000 must be advertised and tendered.\n",
        encoding="utf-8",
    )
    with uploaded(corpus_assistant, rules):
        answer = corpus_assistant.ask(
            "How many quotes do I need for a £30,000 contract under our contract procedure rules?"
        )
        first = answer.text.split("\n")[0]
        assert "three written quotes" in first and "two written quotes" not in first, answer.text


def test_an_amount_is_answered_by_its_row_of_a_thresholds_table_in_a_pdf(corpus_assistant: Assistant, tmp_path) -> None:
    rules = make_rules_pdf(tmp_path / "northshire-rules.pdf")
    with uploaded(corpus_assistant, rules):
        for question, row in [
            ("How many quotes do I need for a £12,000 job?", "£5,001 to £30,000 At least three written quotations"),
            ("what do I need for a £3,000 purchase?", "Up to £5,000 One written quotation"),
        ]:
            first = corpus_assistant.ask(question).text.split("\n")[0]
            assert first.startswith(row) and "Contracts Finder" not in first, first


def test_a_list_of_bands_answers_with_the_band_that_holds_the_amount(corpus_assistant: Assistant, tmp_path) -> None:
    rules = tmp_path / "quote-rules.md"
    rules.write_text(
        "# Contract procedure rules\n\n## Thresholds\n\n2.2 The following thresholds apply to goods and services:\n"
        "- Up to £10,000: one written quote, obtained from a local supplier where possible.\n"
        "- £10,001 to £50,000: at least three written quotes, invited through the e-tendering portal.\n"
        "- £50,001 up to the UK procurement threshold: an open tender advertised on Contracts Finder.\n",
        encoding="utf-8",
    )
    with uploaded(corpus_assistant, rules):
        for question, held, left in [
            ("how many quotes do I need for a £30k contract?", "at least three written quotes", "one written quote"),
            ("we want to buy £8,000 of stationery, what do I need?", "one written quote", "Contracts Finder"),
            ("£75,000 of consultancy, can we just get quotes?", "open tender", "one written quote"),
        ]:
            first = corpus_assistant.ask(question).text.split("\n")[0]
            assert "thresholds apply" in first and held in first and left not in first, first


def test_a_table_row_s_rule_is_answered_under_the_band_on_the_line_above(corpus_assistant: Assistant, tmp_path) -> None:
    """A web page's thresholds table read as text: each row's band on a line of its own, its rule on the next;
    and a list whose band is one item and the rule the next. The rule's sentence never states the amount."""
    rules = tmp_path / "buying-rules.txt"
    rules.write_text(
        "Buying goods and services\n\nEstimated value\n\nProcedure\n\n"
        "Up to and including £2,500\n\nOne quote, confirmed by email before the order is placed.\n\n"
        "£2,501 - £20,000\n\nThree written quotations from suppliers on the approved list.\n\n"
        "£20,001 - UK Threshold\n\nAn invitation to tender advertised on the council's portal, with at least four "
        "bidders invited.\n\nAbove UK Threshold\n\nA regulated procedure under the Procurement Act 2023.\n\n"
        "Works\n- Works contracts between £50,000 and £250,000.\n- Four written quotes, one from a local firm.\n"
        "- Works contracts over £250,000.\n- A full tender with a site visit for every bidder.\n",
        encoding="utf-8",
    )
    with uploaded(corpus_assistant, rules):
        for question, row in [
            ("how many quotes do I need for a £12,000 job?", "£2,501 - £20,000: Three written quotations"),
            ("what do we need for a £1,000 purchase?", "Up to and including £2,500: One quote"),
            ("£30k of consultancy - can we just get quotes?", "£20,001 - UK Threshold: An invitation to tender"),
            ("a £90,000 works contract, how many quotes?", "Works contracts between £50,000 and £250,000: Four"),
        ]:
            first = corpus_assistant.ask(question).text.split("\n")[0]
            assert first.startswith(row), first


def test_a_short_line_with_a_band_labels_the_lines_under_it_until_the_next_heading() -> None:
    from domain.amounts import row_bands

    lines = ["Total value", "£2,001 - £25,000", "Three written quotations.", "Above EU Threshold", "EU procedure."]
    assert row_bands(lines) == (["", "", "£2,001 - £25,000", "", ""], {1})
    # a row kept on one line: every sentence of it is under its first cell's band
    row = "£10,001 - £50,000 | Three written quotes. Formal contract conditions apply."
    assert row_bands([row, "Frameworks may be used."]) == (["£10,001 - £50,000", ""], set())
    # a figure that is no band labels nothing, and a sentence that states its own amount is no label
    assert row_bands(["We spent £40,000.", "Most went on care."]) == (["", ""], set())
    long = "Contracts above £25,000 must be advertised on Contracts Finder within a week."
    assert row_bands([long, "Bidders get four weeks."]) == (["", ""], set())


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("£10,001 to £50,000: three quotes", [(10001.0, 50000.0)]),
        ("above £25,000 and up to £100,000", [(25000.0, 100000.0)]),
        ("£50,001 up to the UK procurement threshold: an open tender", [(50001.0, float("inf"))]),
        ("£100,000 and above: tender", [(100000.0, float("inf"))]),
        ("Up to £10,000: one quote", [(0.0, 10000.0)]),
        ("We spent £40,000 last year.", []),
        ("£2,000 or Under", [(0.0, 2000.0)]),
        ("Up to and including £1,000", [(0.0, 1000.0)]),
        ("£25,001 – EU Threshold", [(25001.0, float("inf"))]),
        ("£75,001 to the UK threshold | An open tender", [(75001.0, float("inf"))]),
        ("Contracts over the value of £100k.", [(100000.0, float("inf"))]),
        ("up to £25,000 - minimum of one quote is required", [(0.0, 25000.0)]),
    ],
)
def test_money_bands_a_sentence_states(text: str, found: list) -> None:
    from domain.amounts import bands

    assert bands(text) == found


def test_a_section_heading_does_not_run_into_the_answer() -> None:
    from assistant.ask.compose import _without_heading

    assert _without_heading("Waivers A waiver of these rules needs approval.", "Contract rules › Waivers") == (
        "A waiver of these rules needs approval."
    )
    assert _without_heading("Waivers are rare.", "Contract rules › Waivers") == "Waivers are rare."


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("for the digital tech enabler whats the middle one", "Exploiting digital technology"),
        (
            "what is the difference between a leader and an innovator council on digital?",
            "Exploiting digital technology",
        ),
        ("how are our strategic supp relationships run?", "Engaging strategic suppliers"),
        ("what does the strategy say about social value?", "Obtaining social value"),
        ("we direct our own buying", None),  # one-word names match only whole: "direct" is not "directors"
    ],
)
def test_areas_are_found_by_shortened_names(text: str, area: str | None) -> None:
    from assistant.ask.language import find_areas

    found = find_areas(text, MODEL)
    assert (found[0].name if found else None) == area


def test_fit_reads_the_corpus_as_the_app_will(tmp_path, monkeypatch) -> None:
    """Wiring only (the fit itself is ``make fit``): a store not yet indexed, or indexed before a corpus file
    changed, is brought up to date before any part is fitted on it."""
    from assistant import fit as fitting
    from tests.conftest import make_settings

    fresh = Assistant(make_settings(tmp_path / "store"))
    assert fresh.store.count() == 0
    seen = []
    monkeypatch.setattr(fitting, "fit_all", lambda a, sets, out: seen.append(a.store.count()) or {})
    fresh.fit([tmp_path])
    assert seen and seen[0] > 0


def test_the_ranker_learns_from_the_fitted_composer_s_candidates_before_one_is_fitted(
    corpus_assistant: Assistant,
) -> None:
    # fit and the evaluation read the candidates before a ranker is set (the evaluation's first fold starts
    # from the old composer): they must be those the fitted composer will rate, help passages and all
    composer = corpus_assistant.grounded
    turn = prepare(corpus_assistant, "How does a council get better at engaging strategic suppliers?")
    fitted = composer.ranked_candidates(turn)
    saved = composer.ranker
    composer.ranker = None
    try:
        before = composer.ranked_candidates(turn, composer.intents(turn.asked))
    finally:
        composer.ranker = saved
    assert fitted is not None and before is not None
    assert [c.source for c in before[1]] == [c.source for c in fitted[1]]
    assert any(doc.metadata.get("kind") == "description" for doc in before[0])


def test_the_number_asked_feature_reads_the_sentence_the_ranker_would_answer_with(corpus_assistant: Assistant) -> None:
    from langchain_core.documents import Document

    from assistant.ask.compose import Sentence
    from assistant.learn.intent import INTENTS
    from assistant.learn.scope import FEATURES

    composer = corpus_assistant.grounded
    question = "How many apprentices should a supplier take on?"
    said = ("Councils could ask suppliers to take on apprentices.", "In Spring 2017, 120 councils took part.")
    docs = [Document(" ".join(said), metadata={})]
    candidates = [Sentence(said[1], said[1], 0), Sentence(said[0], said[0], 0)]
    sims = np.array([0.9, 0.5])  # the most similar sentence holds a figure, one that does not answer
    numeric = np.eye(len(INTENTS))[INTENTS.index("numeric")]
    asked = FEATURES.index("number_asked_none_given")
    by_ranker = composer.scope_features(question, docs, candidates, sims, 1, numeric, np.array([0.1, 0.8]))
    by_similarity = composer.scope_features(question, docs, candidates, sims, 1, numeric)
    assert by_ranker[asked] == 1.0 and by_similarity[asked] == 0.0
    assert by_ranker[FEATURES.index("best_candidate_probability")] == pytest.approx(0.8)


def test_a_level_descriptor_is_also_a_candidate_with_the_level_above(corpus_assistant: Assistant) -> None:
    """A practice told in a user's words ("we recruit CIPS-qualified staff ... what level is that?") is placed
    by a level descriptor, and what to do next is the level above: each descriptor among the candidates comes
    again with the next level, citing both passages (the top level has none); the ranker reads that only
    through the question's level intents."""
    question = "We recruit CIPS-qualified staff and answer training requests. Where are we on developing talent?"
    turn = prepare(corpus_assistant, question)
    assert turn.area is not None and turn.area.name == "Developing talent"
    top, candidates, x = corpus_assistant.grounded.ranked_candidates(turn)
    levels = corpus_assistant.maturity_model.levels
    plain = [
        c
        for c in candidates
        if top[c.doc_index].metadata.get("kind") == "level"
        and top[c.doc_index].metadata.get("key_area") == turn.area.name
        and not (c.steps_up or c.is_statement)
    ]
    stepped = [c for c in candidates if c.steps_up]
    assert stepped and len(stepped) == sum(top[c.doc_index].metadata["level"] != levels[-1] for c in plain)
    for cand in stepped:
        here, above = top[cand.doc_index].metadata, top[cand.also[0]].metadata
        assert (above["kind"], above["key_area"], here["key_area"]) == ("level", turn.area.name, turn.area.name)
        assert levels.index(above["level"]) == levels.index(here["level"]) + 1
        assert f"The next level, {above['level']}, is:" in cand.text and cand.text.startswith(f"At the {here['level']}")
    assert "steps_up" not in ranker.FEATURES and "level_x_steps_up" in ranker.FEATURES
    column = ranker.FEATURES.index("level_x_steps_up")
    assert all((row[column] > 0) == c.steps_up for c, row in zip(candidates, x, strict=True))
    unlinked = prepare(corpus_assistant, "what is the level above mature called")
    assert unlinked.area is None  # asks about the ladder: no step in one key area is a candidate
    assert not any(c.steps_up for c in corpus_assistant.grounded.ranked_candidates(unlinked)[1])


def test_a_step_up_is_matched_to_the_question_by_its_own_descriptor(corpus_assistant: Assistant) -> None:
    """A step up shows two descriptors but is placed by its own: read with the next one's words too, the level
    below the practice, stepped up to it, outscored the practice's own level (Minimum + Developing for a
    council at Developing)."""
    question = "We recruit CIPS-qualified staff and answer training requests. What level is that on the talent enabler?"
    turn = prepare(corpus_assistant, question)
    _, candidates, x = corpus_assistant.grounded.ranked_candidates(turn)
    reads = [ranker.FEATURES.index(f) for f in ("similarity", "overlap_asked", "holds_every_asked_word")]
    plain = {c.source: row for c, row in zip(candidates, x, strict=True) if not (c.steps_up or c.is_statement)}
    stepped = [(c, row) for c, row in zip(candidates, x, strict=True) if c.steps_up]
    assert stepped
    for cand, row in stepped:
        assert cand.source != cand.matched and cand.matched in plain
        assert np.allclose(row[reads], plain[cand.matched][reads])


def test_a_rule_naming_its_own_rules_can_answer(corpus_assistant: Assistant, tmp_path) -> None:
    """ "2.1 An exemption from these Rules ..." in a council's Contract Procedure Rules points at the rules
    themselves, not at a sentence before it: it answers who grants an exemption."""
    rules = make_rules_pdf(tmp_path / "northshire-rules.pdf")
    with uploaded(corpus_assistant, rules):
        answer = corpus_assistant.ask("who can grant an exemption from our contract rules?")
    assert "Section 151 Officer" in answer.text.split("\n")[0] and not answer.refused, answer.text
