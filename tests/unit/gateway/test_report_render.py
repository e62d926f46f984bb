"""The report pages' pure parts: strings in both languages, the language choice, the chart, escaping, headers."""

from __future__ import annotations

from talentmind.scoring.transcript import answers_with_turns
from talentmind_gateway.pages.chart import CENTER, RADIUS, radar
from talentmind_gateway.pages.render import HEADERS, environment, page_language, strings


def test_every_string_exists_in_russian_and_english() -> None:
    ru, en = strings("ru"), strings("en")
    assert set(ru) == set(en)
    assert all(ru[k].strip() and en[k].strip() for k in ru)


def test_page_language_prefers_the_query_then_the_organisation() -> None:
    assert page_language("en", "ru") == "en"
    assert page_language("xx", "ru-RU") == "ru"
    assert page_language(None, None) == "en"


def test_radar_puts_each_score_on_its_axis() -> None:
    chart = radar(["a", "b", "c", "d"], [1.0, 0.5, 0.0, 2.0])
    assert [a.key for a in chart.axes] == ["a", "b", "c", "d"]
    first, second, third, fourth = chart.dots
    assert first == (CENTER, CENTER - RADIUS)  # score 1 at the top, at full radius
    assert second == (CENTER + RADIUS / 2, CENTER)  # clockwise: half a radius to the right
    assert third == (CENTER, CENTER)
    assert fourth == (CENTER - RADIUS, CENTER)  # clamped to 1
    assert len(chart.rings) == 4


def test_templates_escape_what_people_said() -> None:
    html = environment().from_string("<p>{{ text }}</p>").render(text="<script>x()</script>")
    assert html == "<p>&lt;script&gt;x()&lt;/script&gt;</p>"


def test_pages_allow_no_script_and_no_other_host() -> None:
    csp = HEADERS["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp and "script" not in csp
    assert HEADERS["Referrer-Policy"] == "no-referrer" and HEADERS["Cache-Control"].startswith("private")


def test_answers_know_the_turns_they_are_made_of() -> None:
    turns = [
        {"speaker": "interviewer", "text": "Why us?"},
        {"speaker": "candidate", "text": "Because."},
        {"speaker": "interviewer", "text": "ok"},  # a backchannel: the answer goes on
        {"speaker": "candidate", "text": "And more."},
        {"speaker": "interviewer", "text": "What else?"},
        {"speaker": "candidate", "text": "Nothing."},
    ]
    assert [indices for _, indices in answers_with_turns(turns)] == [(1, 3), (5,)]


def test_the_culture_section_says_where_the_candidate_s_side_came_from() -> None:
    from markupsafe import escape

    from talentmind import culture
    from talentmind.api.report_pages import CultureView, DimensionView

    company = culture.forced_sort({i: float(k) for k, i in enumerate(culture.ITEM_IDS)})
    fit = culture.person_organization_fit(company, company)
    rows = [DimensionView(d, fit.company[d], fit.person[d]) for d in culture.DIMENSIONS]
    template = environment().from_string(
        '{% from "_macros.html" import culture_table %}{{ culture_table(view, t, name) }}'
    )
    for language in ("ru", "en"):
        t = strings(language)
        own = template.render(view=CultureView(fit, rows), t=t, name=lambda d: d)
        inferred = template.render(view=CultureView(fit, rows, "interviews", 0.3), t=t, name=lambda d: d)
        assert str(escape(t["culture_source_own"])) in own
        assert str(escape(t["culture_source_interviews"].split("{")[0])) in inferred
        assert "30%" in inferred and "{confidence}" not in inferred
