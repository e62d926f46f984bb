"""The report pages in a real browser: Debian's Chromium, headless, driven by Playwright, against the gateway on a
real socket, with interviews scored by the real transcriber and scorer on the session's PostgreSQL and Kafka.

Screenshots land in the test's tmp dir (kept by pytest as artefacts); with ``TM_REPORT_SCREENSHOTS=DIR`` the Russian
and English reports are also saved there (how ``docs/images/`` is made).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from playwright.async_api import BrowserContext, Page, async_playwright

from talentmind.culture import ITEM_IDS
from talentmind.db.interviews import insert_interview
from talentmind.report_links import ReportLinks, sign
from talentmind_gateway.app import init_app as init_gateway
from talentmind_scorer.app import init_app as init_scorer
from talentmind_transcriber.app import init_app as init_transcriber
from tests.conftest import ROOT, Infra, free_port, serve
from tests.integration.conftest import Client, Stack, isolated_stack
from tests.integration.scorer.test_service import completed, submit
from tests.unit.scoring.test_interview import EN, RU

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INJECTED = "<script>window.__pwned=1</script>"
COMPETENCY_NAMES = {
    "ru": ["Лидерство", "Коммуникация", "Эмпатия", "Логика", "Планирование", "Стрессоустойчивость"],
    "en": ["Leadership", "Communication", "Empathy", "Logic", "Planning", "Stress tolerance"],
}
SALARY = {
    "ru": [
        {"speaker": "interviewer", "text": "Какие у вас зарплатные ожидания?", "start": 80, "end": 83},
        {"speaker": "candidate", "text": "Я рассчитываю на 350 тысяч рублей в месяц.", "start": 83, "end": 87},
    ],
    "en": [
        {"speaker": "interviewer", "text": "What are your salary expectations?", "start": 80, "end": 83},
        {"speaker": "candidate", "text": "I expect at least 9000 dollars a month.", "start": 83, "end": 87},
    ],
}
COMPANY = {item: float(1 + i % 9) for i, item in enumerate(ITEM_IDS)}
PERSON = {item: float(1 + (i * 4) % 9) for i, item in enumerate(ITEM_IDS)}


@pytest_asyncio.fixture(scope="module")
async def pages_stack(
    infra: Infra, http: aiohttp.ClientSession, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path_factory.mktemp("uploads")) as stack:
        # Links must point at the gateway the browser opens: one on a port chosen first, named in public_base_url
        # for it and for the scorer (whose report.ready carries the link too).
        public = f"http://127.0.0.1:{free_port()}"
        settings = stack.settings.model_copy(
            update={"public_base_url": public, "model_cache_dir": ROOT / ".local" / "models"}
        )
        gateway = web.AppRunner(await init_gateway(settings))
        await gateway.setup()
        await web.TCPSite(gateway, "127.0.0.1", urlsplit(public).port).start()
        runners = [gateway]
        for init in (init_transcriber, init_scorer):
            runners.append((await serve(await init(settings)))[0])
        try:
            yield Stack(settings, stack.pool, stack.http, public)
        finally:
            for runner in runners:
                await runner.cleanup()


@pytest_asyncio.fixture(scope="module")
async def browser(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BrowserContext]:
    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user data dir
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 900},
        )
        try:
            yield context
        finally:
            await context.close()


@pytest_asyncio.fixture
async def page(browser: BrowserContext) -> AsyncIterator[Page]:
    opened = await browser.new_page()
    try:
        yield opened
    finally:
        await opened.close()


async def scored(stack: Stack, language: str, candidate: str, name: str) -> tuple[Client, dict[str, Any]]:
    """An organisation in ``language`` with a candidate, a vacancy and both culture profiles, and one interview of
    the candidate scored by the real pipeline (a salary red flag, and an injected script in the transcript)."""
    client = await stack.client(language=language)
    await client.call("PUT", f"/v1/candidates/{candidate}", json={"name": name, "position": "Team lead"})
    await client.call(
        "PUT",
        "/v1/vacancies/lead",
        json={
            "title": "Тимлид" if language == "ru" else "Team lead",
            "salary_max": 200000 if language == "ru" else 5000,
        },
    )
    await client.call("PUT", "/v1/culture/profile", json={"items": COMPANY})
    await client.call("PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"items": PERSON})
    turns = [*(RU if language == "ru" else EN), *SALARY[language]]
    turns.append({"speaker": "candidate", "text": f"Also {INJECTED} done.", "start": 87, "end": 89})
    interview_id = await submit(client, candidate, turns, vacancy="lead")
    body = await completed(client, interview_id, timeout_s=120)
    assert body["status"] == "completed", body
    return client, body


def shots_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("TM_REPORT_SCREENSHOTS") or tmp_path)


async def check_report(page: Page, body: dict[str, Any], language: str, name: str, tmp_path: Path) -> None:
    response = await page.goto(body["report_url"])
    assert response is not None and response.status == 200
    headers = response.headers
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none': no script at all
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"].startswith("private")
    assert await page.locator("html").get_attribute("lang") == language
    assert name in await page.locator("#candidate").inner_text()
    text = await page.locator("main").inner_text()
    for competency in COMPETENCY_NAMES[language]:
        assert competency in text
    # The chart: an inline SVG with one axis per competency and the scores' shape.
    assert await page.locator("svg.radar polygon.shape").count() == 1
    assert await page.locator("svg.radar text").count() == 6
    # The API's numbers on the page: match and every score, as percentages of the same values.
    assert await page.locator("#match").inner_text() == f"{round(body['match'] * 100)}%"
    for competency, score in body["scores"].items():
        assert f"{round(score * 100)}%" in await page.locator(f"#competency-{competency} h3").inner_text()
    # Evidence quotes as the API gives them, each linking to its turn of the transcript.
    quote = body["evidence"]["leadership"]["quotes"][0]["text"]
    assert quote in text
    link = page.locator("#competency-leadership a.when").first
    target = await link.get_attribute("href")
    assert target is not None and target.startswith("#turn-")
    assert await page.locator(target).count() == 1
    assert quote in " ".join((await page.locator(target).inner_text()).split())
    red_flag = "Высокие зарплатные ожидания" if language == "ru" else "High salary expectations"
    assert red_flag in await page.locator("section.flags").inner_text()
    assert await page.locator("section.culture tbody tr").count() == 7
    interviewer = "Интервьюер" if language == "ru" else "Interviewer"
    # text_content: the DOM's text (the stylesheet shows speaker roles in capitals)
    assert interviewer in (await page.locator("section.transcript").text_content() or "")
    await page.screenshot(path=str(shots_dir(tmp_path) / f"report-{language}.png"), full_page=True)


async def test_russian_report_in_the_browser(pages_stack: Stack, page: Page, tmp_path: Path) -> None:
    _, body = await scored(pages_stack, "ru", "cand_ru", "Дмитрий Соколов")
    await check_report(page, body, "ru", "Дмитрий Соколов", tmp_path)
    # The same page in English through the language switch, its token kept.
    await page.click("nav.langs a[hreflang=en]")
    assert await page.locator("html").get_attribute("lang") == "en"
    assert "Stress tolerance" in await page.locator("main").inner_text()


async def test_english_report_in_the_browser(pages_stack: Stack, page: Page, tmp_path: Path) -> None:
    _, body = await scored(pages_stack, "en", "cand_en", "Anna Smith")
    await check_report(page, body, "en", "Anna Smith", tmp_path)


async def test_print_to_pdf_gives_two_pages(pages_stack: Stack, page: Page, tmp_path: Path) -> None:
    _, body = await scored(pages_stack, "ru", "cand_pdf", "Иван Печатников")
    await page.goto(body["report_url"])
    pdf = await page.pdf(format="A4", print_background=True)
    (tmp_path / "report-ru.pdf").write_bytes(pdf)
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    await page.screenshot(path=str(tmp_path / "report-print.png"), full_page=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 2, pages


async def test_injected_script_shows_as_text_and_does_not_run(pages_stack: Stack, page: Page) -> None:
    _, body = await scored(pages_stack, "en", "cand_x", "Eve <b>Bold</b>")
    await page.goto(body["report_url"])
    assert await page.evaluate("typeof window.__pwned") == "undefined"
    assert INJECTED in await page.locator("section.transcript").inner_text()
    assert "Eve <b>Bold</b>" in await page.locator("#candidate").inner_text()
    assert await page.locator("main script, main b").count() == 0


async def test_forged_expired_missing_and_other_org_tokens(pages_stack: Stack, page: Page, tmp_path: Path) -> None:
    client, body = await scored(pages_stack, "ru", "cand_tok", "Ольга")
    url = urlsplit(body["report_url"])
    token = parse_qs(url.query)["t"][0]
    base = f"{url.scheme}://{url.netloc}{url.path}"
    secret = pages_stack.settings.report_link_secret
    assert secret is not None
    key = secret.get_secret_value().encode()
    expired = sign(key, "interview", body["id"], client.org_id, int(time.time()) - 1)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, expired, "", "v1.x.1.y"):
        response = await page.goto(f"{base}?t={bad}")
        assert response is not None and response.status == 403, bad
        assert response.headers["content-type"].startswith("text/html")
        assert await page.locator("h1").all_inner_texts() == ["Ссылка недействительна", "Link not valid"]
    response = await page.goto(base + "?lang=en")
    assert response is not None and response.status == 403
    assert await page.locator("h1").all_inner_texts() == ["Link not valid"]
    await page.screenshot(path=str(tmp_path / "forbidden.png"))
    # A valid token of another organisation never opens this one's interview.
    other = await pages_stack.client(language="en")
    theirs = sign(key, "interview", body["id"], other.org_id, int(time.time()) + 60)
    response = await page.goto(f"{base}?t={theirs}")
    assert response is not None and response.status == 404


async def test_processing_interview_page_says_so(pages_stack: Stack, page: Page) -> None:
    client = await pages_stack.client(language="en")
    async with pages_stack.pool.acquire() as conn:
        interview = await insert_interview(
            conn, interview_id="int_wait01", org_id=client.org_id, candidate_id="c", vacancy_id="v", source="url"
        )
    url = ReportLinks.from_settings(pages_stack.settings).interview(client.org_id, interview.id)
    response = await page.goto(url)
    assert response is not None and response.status == 200
    assert "still being processed" in await page.locator("#status").inner_text()


async def test_candidate_and_comparison_pages(pages_stack: Stack, page: Page, tmp_path: Path) -> None:
    client, first = await scored(pages_stack, "en", "cand_a", "Alex A")
    await client.call("PUT", "/v1/candidates/cand_b", json={"name": "Bea B"})
    second = await completed(client, await submit(client, "cand_b", EN, vacancy="lead"))
    assert second["status"] == "completed"

    status, ranked, _ = await client.call(
        "POST", "/v1/candidates/compare", json={"candidate_ids": ["cand_a", "cand_b"], "criteria": "leadership"}
    )
    assert status == 200
    response = await page.goto(ranked["report_url"])
    assert response is not None and response.status == 200
    rows = page.locator("tr.ranked")
    assert await rows.count() == 2
    order = [await rows.nth(i).get_attribute("data-candidate") for i in range(2)]
    assert order == [r["candidate_id"] for r in ranked["ranking"]]
    for i, r in enumerate(ranked["ranking"]):
        assert f"{round(r['score'] * 100)}%" in await rows.nth(i).inner_text()
    await page.screenshot(path=str(tmp_path / "comparison.png"), full_page=True)

    # Each name links to the candidate's page (a link of its own), which shows the API's candidate score.
    await page.click("tr.ranked[data-candidate=cand_a] a")
    _, score, _ = await client.call("GET", "/v1/candidates/cand_a/score")
    assert "Alex A" in await page.locator("#candidate").inner_text()
    assert await page.locator("#match").inner_text() == f"{round(score['match'] * 100)}%"
    assert await page.locator("svg.radar").count() == 1
    assert first["id"] in await page.locator("section.interviews").inner_text()
    await page.screenshot(path=str(tmp_path / "candidate.png"), full_page=True)
