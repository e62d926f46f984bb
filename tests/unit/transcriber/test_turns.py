from talentmind_transcriber.asr import Segment, Word, dominant_language
from talentmind_transcriber.turns import (
    Unit,
    assign_roles,
    build_turns,
    is_question,
    text_language,
    units_from_regions,
)


def words(*spec: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(start, end, f" {text}", 0.9) for text, start, end in spec)


def test_units_follow_voice_activity_regions_and_sentence_pauses() -> None:
    seg = Segment(0, 10, "", "en", words(
        ("Why", 0.0, 0.3), ("here?", 0.3, 0.7),        # question, then a 0.5 s pause inside one region
        ("I", 1.2, 1.3), ("like", 1.3, 1.5), ("it,", 1.5, 1.8),
        ("really.", 2.4, 2.9),                         # a comma pause is not a hand-over
        ("Good.", 5.0, 5.5),                           # next region
    ))  # fmt: skip
    units = units_from_regions([(0.0, 3.0), (4.8, 5.6)], [seg])
    assert [u.text for u in units] == ["Why here?", "I like it, really.", "Good."]
    assert (units[1].start, units[1].end) == (1.2, 2.9)


def test_roles_interviewer_asks_candidate_talks_most() -> None:
    units = [
        Unit(0, 2, "Tell me about your last project?"),
        Unit(2.5, 20, "I led a team of five and we shipped the platform in six months."),
        Unit(21, 22, "What was hard?"),
        Unit(23, 40, "Migrating the data without downtime was the hardest part."),
    ]
    labels = [1, 0, 1, 0]
    roles = assign_roles(units, labels)
    assert roles == {1: "interviewer", 0: "candidate"}
    turns = build_turns(units, labels, roles)
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer", "candidate"]
    # Merging keeps consecutive units of one speaker together.
    merged = build_turns(units, [1, 0, 0, 0], {1: "interviewer", 0: "candidate"})
    assert [t.speaker for t in merged] == ["interviewer", "candidate"] and merged[1].start == 2.5


def test_a_single_voice_is_the_candidate() -> None:
    assert assign_roles([Unit(0, 5, "Hello.")], [0]) == {0: "candidate"}


def test_language_and_questions_in_both_languages() -> None:
    assert text_language("Расскажите о проекте") == "ru"
    assert text_language("I led the team") == "en"
    assert text_language("42 !") is None
    assert is_question("Почему вы ушли?") and is_question("Расскажите о себе") and is_question("How did it go")
    assert not is_question("I led the team.")


def test_dominant_language_needs_a_clear_majority() -> None:
    assert dominant_language(["ru", "ru", "ru", "ru"]) == "ru"
    assert dominant_language(["en", "en", "en", "nn"]) == "en"
    assert dominant_language(["ru", "en", "ru", "en"]) is None
    assert dominant_language([]) is None
