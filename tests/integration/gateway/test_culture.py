"""The culture API end to end through the gateway (real HTTP, real PostgreSQL): the catalogue, profiles in Q-sort
and rating mode, employees' surveys aggregated with their agreement, a candidate's profile from their own Q-sort
or from their interviews, the fit, its error codes, and tenant isolation."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import numpy as np
import pytest

from talentmind import culture
from talentmind.scoring.culture_signals import CultureReader
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.transcript import answers_from_turns
from tests.conftest import ROOT
from tests.integration.conftest import Client, NewClient, Stack

CANDIDATES: dict[str, Any] = json.loads((ROOT / "tests" / "fixtures" / "culture" / "candidates.json").read_text())[
    "candidates"
]
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def qsort(seed: int) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    return {i: int(v) for i, v in culture.forced_sort(dict(zip(culture.ITEM_IDS, rng.random(54), strict=True))).items()}


def noisy(base: dict[str, int], noise: float, seed: int) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    values = {i: base[i] + noise * float(rng.standard_normal()) for i in culture.ITEM_IDS}
    return {i: int(v) for i, v in culture.forced_sort(values).items()}


async def new_candidate(client: Client) -> str:
    candidate = f"cand_{secrets.token_hex(3)}"
    status, _, _ = await client.call("PUT", f"/v1/candidates/{candidate}", json={"name": "Anna"})
    assert status == 200
    return candidate


async def test_the_catalogue_lists_54_items_in_both_languages(client: Client) -> None:
    status, body, _ = await client.call("GET", "/v1/culture/items")
    assert status == 200 and body["success"] is True
    assert [i["id"] for i in body["items"]] == list(culture.ITEM_IDS)
    assert all(i["dimension"] in culture.DIMENSIONS for i in body["items"])
    assert all(CYRILLIC.search(i["text"]["ru"]) and i["text"]["en"].isascii() for i in body["items"])
    assert [d["id"] for d in body["dimensions"]] == list(culture.DIMENSIONS)
    assert body["qsort_distribution"] == [2, 4, 6, 9, 12, 9, 6, 4, 2]


async def test_a_profile_in_either_mode_and_every_validation_error(client: Client) -> None:
    status, body, _ = await client.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": qsort(1)})
    assert status == 200, body
    assert body["source"] == "direct" and body["mode"] == "qsort" and body["respondents"] == 1
    assert body["parameters_count"] == 54 and list(body["dimensions"]) == list(culture.DIMENSIONS)
    assert body["items"]["calm"] == {"mean": float(qsort(1)["calm"]), "spread": None}
    first = body
    mid = next(i for i, v in qsort(1).items() if v == 5)

    bad: list[tuple[dict[str, Any], str, str]] = [
        ({"mode": "qsort", "items": qsort(1) | {mid: 9}}, "items", "category 9 holds 3 items, the Q-sort takes 2"),
        ({"mode": "qsort", "items": qsort(1) | {mid: 4.5}}, f"items.{mid}", "whole category"),
        ({"mode": "qsort", "items": {**qsort(1), "charisma": 5}}, "items", "unknown items: charisma"),
        ({"mode": "qsort", "items": {k: v for k, v in qsort(1).items() if k != "fairness"}}, "items", "fairness"),
        ({"mode": "rating", "items": dict.fromkeys(culture.ITEM_IDS, 3)}, "scale", "needs its scale"),
        ({"mode": "rating", "scale": [5, 1], "items": dict.fromkeys(culture.ITEM_IDS, 3)}, "scale", "low < high"),
        ({"mode": "rating", "scale": [1, 5], "items": dict.fromkeys(culture.ITEM_IDS, 3) | {"calm": 6}},
         "items.calm", "from 1 to 5"),
        ({"mode": "rating", "scale": [1, 5], "items": dict.fromkeys(culture.ITEM_IDS, 3) | {"calm": "4"}},
         "items.calm", "from 1 to 5"),
    ]  # fmt: skip
    for payload, field, message in bad:
        status, body, _ = await client.call("PUT", "/v1/culture/profile", json=payload)
        assert status == 400 and body["error"]["code"] == "validation_error", body
        assert any(d["field"] == field and message in d["message"] for d in body["error"]["details"]), body
    status, body, _ = await client.call("PUT", "/v1/culture/profile", json={"mode": "ranking", "items": qsort(1)})
    assert status == 400 and body["error"]["details"][0]["field"] == "mode"
    # nothing half-written: the profile is the first one still
    assert (await client.call("GET", "/v1/culture/profile"))[1] == first

    ratings = {i: 1 + k % 5 for k, i in enumerate(culture.ITEM_IDS)}
    status, body, _ = await client.call(
        "PUT", "/v1/culture/profile", json={"mode": "rating", "scale": [1, 5], "items": ratings}
    )
    assert status == 200 and body["mode"] == "rating"
    assert body["items"][culture.ITEM_IDS[4]]["mean"] == 9.0  # 5 on [1, 5] is 9 on the Q-sort's scale


async def test_surveys_aggregate_into_the_company_profile_with_their_agreement(new_client: NewClient) -> None:
    client = await new_client(language="ru")
    assert (await client.call("GET", "/v1/culture/profile"))[0] == 404
    shared = qsort(7)
    answers = [noisy(shared, 1.0, seed) for seed in range(3)]
    for n, answer in enumerate(answers, 1):
        status, body, _ = await client.call(
            "POST", "/v1/culture/surveys", json={"mode": "qsort", "items": answer, "respondent": f"emp-{n}"}
        )
        assert status == 200 and body["replaced"] is False and body["survey_id"].startswith("srv_"), body
        assert body["profile"]["respondents"] == n and body["profile"]["source"] == "surveys"
    profile = (await client.call("GET", "/v1/culture/profile"))[1]
    assert profile == body["profile"]
    expected = culture.aggregate(answers)
    assert profile["items"]["calm"] == {"mean": expected.ratings["calm"], "spread": expected.spread["calm"]}
    agreement = profile["agreement"]
    assert agreement["mean_r"] == expected.agreement.mean_r and agreement["compared"] == 3
    assert agreement["shared_culture"] is True and agreement["level"] in ("strong", "moderate")
    assert CYRILLIC.search(agreement["summary"])  # the organisation's language

    # the same respondent again replaces their answers; a rating counts as well
    status, body, _ = await client.call(
        "POST",
        "/v1/culture/surveys",
        json={
            "mode": "rating",
            "scale": [0, 10],
            "items": {i: v + 1 for i, v in answers[0].items()},
            "respondent": "emp-1",
        },
    )
    assert status == 200 and body["replaced"] is True and body["profile"]["respondents"] == 3
    # an Idempotency-Key retry is the same answer, and adds no respondent
    key = {"Idempotency-Key": secrets.token_hex(8)}
    payload = {"mode": "qsort", "items": noisy(shared, 1.0, 9)}
    first = await client.call("POST", "/v1/culture/surveys", json=payload, headers=key)
    again = await client.call("POST", "/v1/culture/surveys", json=payload, headers=key)
    assert first[0] == again[0] == 200 and first[1] == again[1] and first[1]["profile"]["respondents"] == 4
    # a bad answer changes nothing
    status, body, _ = await client.call("POST", "/v1/culture/surveys", json={"mode": "qsort", "items": {}})
    assert status == 400 and (await client.call("GET", "/v1/culture/profile"))[1]["respondents"] == 4

    # people who disagree: no single culture, and the API says so
    other = await new_client(language="en")
    for seed in range(6):
        await other.call("POST", "/v1/culture/surveys", json={"mode": "qsort", "items": qsort(100 + seed)})
    agreement = (await other.call("GET", "/v1/culture/profile"))[1]["agreement"]
    assert agreement["shared_culture"] is False and agreement["level"] in ("none", "weak")
    assert "culture" in agreement["summary"] and not CYRILLIC.search(agreement["summary"])
    # setting the profile outright starts again from one respondent
    status, body, _ = await other.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": qsort(1)})
    assert body["source"] == "direct" and body["respondents"] == 1 and body["agreement"] is None


async def test_fit_from_the_candidate_s_own_qsort(new_client: NewClient) -> None:
    client = await new_client(language="ru")
    candidate = await new_candidate(client)
    status, body, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 409 and body["error"]["code"] == "culture_profile_not_found"
    company = qsort(3)
    await client.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": company})
    status, body, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 409 and body["error"]["code"] == "candidate_culture_unknown"
    assert "no interviews yet" in body["error"]["message"]
    assert (await client.call("POST", "/v1/culture/fit", json={"candidate_id": "ghost"}))[0] == 404

    status, body, _ = await client.call(
        "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"mode": "qsort", "items": company}
    )
    assert status == 200 and body["mode"] == "qsort"
    status, fit, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 200 and fit["fit_score"] == 1.0 and fit["source"] == "qsort" and fit["confidence"] == 1.0
    assert fit["attention"] == [] and all(CYRILLIC.search(p) for p in fit["matches"])
    assert set(fit["dimensions"]) == set(culture.DIMENSIONS)
    assert all(d["difference"] == 0 and d["company"] == d["candidate"] for d in fit["dimensions"].values())

    reversed_ = {i: 10 - v for i, v in company.items()}
    await client.call(
        "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"mode": "qsort", "items": reversed_}
    )
    fit = (await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate}))[1]
    assert fit["fit_score"] == 0.0 and fit["correlation"] == -1.0 and len(fit["attention"]) == 2
    # the report's compatibility is the fit
    report = (await client.call("GET", f"/v1/candidates/{candidate}/report"))[1]
    assert report["compatibility"] == 0.0


@pytest.fixture(scope="module")
def reader() -> CultureReader:
    return CultureReader(SentenceEncoder())


async def interviewed(
    stack: Stack, client: Client, candidate: str, turns: list[list[str]], reader: CultureReader
) -> str:
    """An interview of ``candidate`` completed with the culture signals the scorer computes from ``turns``."""
    status, body, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={
            "candidate_id": candidate,
            "vacancy_id": "engineer",
            "transcript": [{"speaker": s, "text": t} for s, t in turns],
        },
    )
    assert status == 200, body
    signals = reader.signals(answers_from_turns([{"speaker": s, "text": t} for s, t in turns]))
    await stack.pool.execute(
        "UPDATE interviews SET status = 'completed', match = 0.5, performance = 0.5, scores = '{}'::jsonb, "
        "culture_signals = $2, completed_at = now() WHERE id = $1",
        body["id"],
        signals.to_json(),
    )
    return str(body["id"])


async def test_fit_inferred_from_interviews_says_so_with_its_quotes(
    stack: Stack, new_client: NewClient, reader: CultureReader
) -> None:
    client = await new_client(language="en")
    await client.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": CANDIDATES["innovator"]["qsort"]})
    innovator, steady = await new_candidate(client), await new_candidate(client)
    first = await interviewed(stack, client, innovator, CANDIDATES["innovator"]["turns"]["en"], reader)
    await interviewed(stack, client, innovator, CANDIDATES["innovator"]["turns"]["ru"], reader)
    await interviewed(stack, client, steady, CANDIDATES["steady"]["turns"]["ru"], reader)

    fits = {}
    for who in (innovator, steady):
        status, fits[who], _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": who})
        assert status == 200 and fits[who]["source"] == "interviews", fits[who]
        assert 0 < fits[who]["confidence"] <= 0.5
    assert fits[innovator]["interviews_used"] == 2 and fits[steady]["interviews_used"] == 1
    assert fits[innovator]["confidence"] > fits[steady]["confidence"]  # heard twice as much
    # the company wants what the innovator talked about
    assert fits[innovator]["fit_score"] > 0.5 > fits[steady]["fit_score"]
    quotes = fits[innovator]["evidence"]["innovation"]
    assert quotes and all(q["interview_id"] is not None and q["item"] in culture.ITEM_IDS for q in quotes)
    said = " ".join(t for lang in ("en", "ru") for _, t in CANDIDATES["innovator"]["turns"][lang])
    assert all(q["text"] in said for q in quotes)
    assert first in {q["interview_id"] for d in fits[innovator]["evidence"].values() for q in d}
    # the candidate's own Q-sort is preferred when there is one
    await client.call(
        "PUT",
        f"/v1/candidates/{steady}/culture-preferences",
        json={"mode": "qsort", "items": CANDIDATES["innovator"]["qsort"]},
    )
    fit = (await client.call("POST", "/v1/culture/fit", json={"candidate_id": steady}))[1]
    assert fit["source"] == "qsort" and fit["fit_score"] == 1.0 and fit["evidence"] == {}
    # the report page and the report's compatibility use the same fit
    report = (await client.call("GET", f"/v1/candidates/{innovator}/report"))[1]
    assert report["compatibility"] == fits[innovator]["fit_score"]


async def test_too_little_said_is_a_conflict_that_says_why(
    stack: Stack, new_client: NewClient, reader: CultureReader
) -> None:
    client = await new_client()
    await client.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": qsort(2)})
    candidate = await new_candidate(client)
    await interviewed(stack, client, candidate, CANDIDATES["innovator"]["turns"]["en"][:2], reader)
    status, body, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 409 and body["error"]["code"] == "candidate_culture_unknown"
    assert "fewer than" in body["error"]["message"]


async def test_one_organisation_never_sees_another_s_culture(client: Client, other: Client) -> None:
    await client.call("PUT", "/v1/culture/profile", json={"mode": "qsort", "items": qsort(5)})
    await client.call("POST", "/v1/culture/surveys", json={"mode": "qsort", "items": qsort(6), "respondent": "e1"})
    candidate = await new_candidate(client)
    await client.call(
        "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"mode": "qsort", "items": qsort(5)}
    )
    assert (await other.call("GET", "/v1/culture/profile"))[0] == 404
    assert (await other.call("POST", "/v1/culture/fit", json={"candidate_id": candidate}))[0] == 404
    status, _, _ = await other.call(
        "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"mode": "qsort", "items": qsort(5)}
    )
    assert status == 404
    # the same respondent id in another organisation is another person
    status, body, _ = await other.call(
        "POST", "/v1/culture/surveys", json={"mode": "qsort", "items": qsort(6), "respondent": "e1"}
    )
    assert status == 200 and body["replaced"] is False and body["profile"]["respondents"] == 1
    assert (await client.call("GET", "/v1/culture/profile"))[1]["respondents"] == 1
