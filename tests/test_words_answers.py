"""Questions in words: how fully a sentence answers the kind asked, the forms of a question's words a sentence
may use, which of several close sentences is chosen, and where a question's company or segment must be."""

import pytest

from assistant.answer.kinds import asked_verb, asks, holds, named, other_forms, strength
from assistant.answer.select import Candidate, _fullest, _naming_topic, _owned_as_asked, _says_what_is_asked
from assistant.contract.types import Chunk, ScoredChunk
from assistant.finance.entities import Entity, EntityMention
from assistant.query.model import Query
from assistant.text import index_tokens


@pytest.mark.parametrize(
    "question, sentence, full",
    [
        ("At what time of year do members join most?", "Most members join in the fourth quarter.", 1.0),
        ("At what time of year do members join most?", "Most members join from October through March.", 1.0),
        ("At what time of year do members join most?", "Members joined in 2017 and 2016.", 0.3),
        ("In which season is the plant busiest?", "The plant is busiest in winter.", 1.0),
        ("In which season is the plant busiest?", "The plant was busiest in 2019.", 0.3),
    ],
)
def test_a_part_of_the_year_asked_is_answered_by_a_month_quarter_or_season_not_a_year(question, sentence, full):
    assert strength(asks(question)[0], sentence, question) == full


@pytest.mark.parametrize(
    "sentence, held",
    [
        ("Year Ended December 31, 2017 2016 (in thousands): Members added 23,786 19,034", False),
        ("Historically, the first and fourth quarters represent our greatest membership growth.", True),
        ("The plant opened in March 2030.", True),
    ],
)
def test_a_table_rows_years_head_its_columns_and_state_no_time(sentence, held):
    assert holds(asks("When do members join?")[0], sentence) is held


@pytest.mark.parametrize(
    "question, text, found",
    [
        ({"operational", "use"}, {"operationally", "embedd"}, {"operational"}),
        ({"operationally"}, {"operational"}, {"operationally"}),
        ({"operational"}, {"oper", "use"}, set()),
        ({"family"}, {"fami"}, set()),
    ],
)
def test_an_adjective_asked_is_said_as_its_adverb_and_the_other_way_round(question, text, found):
    assert other_forms(question, text) == found


def _cand(text: str, score: float) -> Candidate:
    return Candidate(passage=0, text=text, score=score, holds=(True,))


_WHEN = "When did Zeta announce its plan to sell the Pumps business?"
_MONTH = _cand("In July 2030, Zeta announced its intention to sell the Pumps business to a buyer.", 1.8)
_DAY = _cand("On July 26, 2030, the company announced its intent to sell its Pumps business to a buyer.", 1.6)


@pytest.mark.parametrize(
    "ranked, chosen",
    [
        ([_MONTH, _DAY], _DAY),  # the same statement with the full date answers 'when' best
        ([_MONTH, _cand(_DAY.text, 1.0)], _MONTH),  # too far below the lead to stand for it
        (
            [_MONTH, _cand("On July 26, 2030, the board met in Oslo to review spending.", 1.7)],
            _MONTH,
        ),  # another statement
    ],
)
def test_of_close_sentences_saying_the_same_the_one_answering_most_fully_is_chosen(ranked, chosen):
    assert _fullest(ranked[0], ranked, asks(_WHEN)[0], _WHEN).text == chosen.text


class _Matcher:
    """Names as a registry's matcher finds them: 'cloud' is a segment of Orion, 'Zeta' a company."""

    def mentions(self, text: str) -> list[EntityMention]:
        out = []
        for word, entity in (("cloud", Entity("Orion Corp", "Cloud services")), ("Zeta", Entity("Zeta Inc", ""))):
            at = text.find(word)
            if at >= 0:
                out.append(EntityMention(entity, at, at + len(word), word, "segment" if entity.segment else "company"))
        return out


class _Registry:
    matcher = _Matcher()


@pytest.mark.parametrize(
    "question, entities, owned",
    [
        ("Which uses of AI are both cloud providers building in?", [Entity("Orion Corp", "Cloud services")], True),
        (
            "Which uses of AI is Zeta building into cloud?",
            [Entity("Zeta Inc"), Entity("Orion Corp", "Cloud services")],
            True,
        ),
        ("Which uses of AI is Orion Cloud services building in?", [Entity("Orion Corp", "Cloud services")], False),
    ],
)
def test_a_segment_read_from_a_lowercase_word_of_the_question_is_no_company_asked(question, entities, owned):
    hit = ScoredChunk(Chunk("c1", "zeta-piece", "Zeta is embedding AI.", title="Zeta piece", company="Zeta Inc"), 1.0)
    query = Query(text=question, focus=question, entities=entities)
    assert _owned_as_asked(query, "Zeta is embedding AI.", hit, _Registry()) is owned


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who makes the heater?", "Manufactured by Acme Oy, Tampere, Finland."),
        ("Which organisation paid for the study?", "The study was funded by the Holm Foundation."),
        ("What led Zeta to stop making the coating?", "Zeta will exit all coating manufacturing by 2030."),
        ("Why did Zeta decide to close the plant?", "Zeta's decision is based on lower demand."),
    ],
)
def test_a_questions_everyday_word_is_found_in_the_form_a_document_says_it(question, sentence):
    asked = set(index_tokens(question))
    assert other_forms(asked, set(index_tokens(sentence))) - set(index_tokens(sentence))


@pytest.mark.parametrize(
    "question, sentence, says",
    [
        ("Who wrote the piece on cloud pricing?", "Cloud Pricing: Can Zeta Win the Price War?", False),
        ("Who wrote the piece on cloud pricing?", "The piece was written by Ann Berg of Zeta Research.", True),
        ("Who makes the heater?", "Manufactured by Acme Oy, Tampere, Finland.", True),
        ("Who makes the heater?", "The heater ships with a remote by Nordic Parts.", False),
        ("Who became the finance chief in 2030?", "Mr. Lind has served as Chief Financial Officer since 2030.", True),
        ("Who is the chief executive?", "Ms. Berg leads the company.", True),
        ("Which journal published the study?", "The summary was published by the Nordlys Centre.", False),
        ("Which journal published the study?", "The study appeared in the Journal of Air Quality.", True),
        ("Which other warehouse-club chains compete?", "We compete with other warehouse clubs such as Club One.", True),
        ("Which company makes the heater?", "Acme Oy designs and builds the heater.", True),
    ],
)
def test_a_name_answers_only_where_the_sentence_says_what_the_question_asks_of_it(question, sentence, says):
    assert _says_what_is_asked(asks(question)[0], sentence, sentence) is says


@pytest.mark.parametrize(
    "question, verb",
    [
        ("Who currently runs the plant?", "runs"),
        ("Who else competes with Zeta?", "competes"),
        ("Who wrote the letter?", "wrote"),
        ("Who is the chief executive?", ""),
        ("Who became finance chief in 2030?", ""),
        ("Where is the plant?", ""),
    ],
)
def test_the_verb_a_who_question_asks_the_doer_of(question, verb):
    assert asked_verb(asks(question)[0]) == verb


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who supplies the chips?", "Our main supplier of chips is Zeta Semiconductors."),
        ("Who audits Zeta?", "Zeta's financial statements were audited by Berg & Lind LLP."),
        ("Which law requires the filing?", "The Clean Air Act requires Zeta to file a plan."),
        ("Who owns the brand?", "The brand's owner is Zeta Holdings."),
    ],
)
def test_a_who_or_which_question_is_answered_where_its_words_are_said_in_another_form(question, sentence):
    assert _says_what_is_asked(asks(question)[0], sentence, sentence)


@pytest.mark.parametrize(
    "question, sentence, says",
    [
        (
            "What effect did the fans have on how often staff were off sick?",
            "Staff in fan rooms reported cold feet.",
            False,
        ),
        (
            "What effect did the fans have on how often staff were off sick?",
            "The team found no effect on reading.",
            False,
        ),
        ("What effect did the fans have on how often staff were off sick?", "Staff were off sick less often.", True),
        ("What impact did the strike have on deliveries?", "Deliveries fell by a third during the strike.", True),
        ("What impact did the strike have on deliveries?", "The strike lasted six weeks.", False),
    ],
)
def test_a_question_asking_the_effect_on_something_is_answered_where_that_thing_is_said(question, sentence, says):
    assert _says_what_is_asked(asks(question)[0], sentence, sentence) is says


_COSTS = "What costs is Zeta's first-quarter outlook carrying?"
_OUTLOOK = _cand("Operating income is expected to be between $1.5 billion and $2.1 billion.", 1.37)
_INCLUDES = _cand("This guidance includes about $1 billion of higher launch costs as we scale.", 1.3)


@pytest.mark.parametrize(
    "question, ranked, chosen",
    [
        (_COSTS, [_OUTLOOK, _INCLUDES], _INCLUDES.text),  # the close sentence naming costs answers 'what costs'
        (_COSTS, [_OUTLOOK, _cand(_INCLUDES.text, 1.0)], None),  # too far below the lead
        (_COSTS, [_INCLUDES, _OUTLOOK], None),  # the lead names them
        (
            "Which four areas is Zeta counting on for growth?",
            [
                _cand("We are focused on four elements for growth: programs, services, parts and new awards.", 1.4),
                _cand("The projected growth is driven by increases across all four business areas.", 1.3),
            ],
            None,  # a lead listing things answers a list asked, in its own words
        ),
        ("In which city is the plant?", [_OUTLOOK, _cand("The city council met.", 1.3)], None),  # a kind is asked
    ],
)
def test_a_close_sentence_naming_what_the_question_asks_about_leads_over_one_that_does_not(question, ranked, chosen):
    found = _naming_topic(ranked[0], ranked, question)
    assert (found.text if found else None) == chosen


_WHERE = "Where is Zeta's new plant?"


@pytest.mark.parametrize(
    "sentence, places",
    [
        ("Zeta bought Pumpco, which is headquartered in Monroe, North Carolina, for $2 billion.", []),
        ("In 2030 Zeta acquired Lindfors, headquartered in Kreuzlingen, Switzerland.", []),
        ("The segments are Safety and Industrial, Transportation and Electronics, Health Care, and Consumer.", []),
        ("Zeta's new plant is located in Monroe, North Carolina.", ["Monroe", "North Carolina"]),
        ("Manufactured by Acme Oy, Tampere, Finland.", ["Tampere", "Finland"]),
    ],
)
def test_a_place_given_for_another_name_or_a_list_of_names_is_no_place_asked(sentence, places):
    assert named("place", sentence, _WHERE) == places


@pytest.mark.parametrize(
    "question, kind",
    [
        ("What were Acme's customer deposits at December 31, 2024?", ""),  # a balance, asked after its owner
        ("Which customer accounted for 10% of Acme's sales?", "organisation"),
        ("Who is Acme's largest customer?", "organisation"),
        ("Which country's tax authority refused the claim?", "organisation"),  # no name owns it
    ],
)
def test_a_noun_before_the_head_of_an_owned_phrase_does_not_make_it_a_question_in_words(question, kind):
    assert asks(question)[0].kind == kind
