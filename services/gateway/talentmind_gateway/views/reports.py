"""/r: the report pages behind ``report_url`` (an interview, a candidate, a comparison), opened in a browser.

A browser sends no API key: each page checks the link's signed token (``talentmind.report_links``) and reads its
object scoped to the organisation the token was issued for. No, a forged or an expired token gets a 403 page; a
valid token for an object its organisation does not have gets a 404 page. The pages' contents come from
``talentmind.api.report_pages``, which uses the API's builders, so the page shows the API's numbers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from talentmind.api.report_pages import candidate_page, comparison_page, interview_page
from talentmind.competencies import COMPARE_CRITERIA, COMPETENCIES
from talentmind.db.organizations import org_language
from talentmind.report_links import LinkKind, comparison_id
from talentmind.runtime import POOL
from talentmind_gateway.pages.chart import radar
from talentmind_gateway.pages.render import LANGUAGES, forbidden, not_found, page_language, render
from talentmind_gateway.typedefs import REPORT_LINKS


def _switch_urls(request: web.Request) -> dict[str, str]:
    """The same page in each language (the token and the other parameters kept)."""
    urls = {}
    for code in LANGUAGES:
        query = {k: v for k, v in request.query.items() if k != "lang"}
        query["lang"] = code
        urls[code] = f"{request.path}?{urlencode(query)}"
    return urls


async def _authorised(request: web.Request, kind: LinkKind, object_id: str) -> tuple[str, str] | web.Response:
    """The token's organisation and the page's language, or the 403 page."""
    links = request.app[REPORT_LINKS]
    org_id = links.org_of(kind, object_id, request.query.get("t"))
    if org_id is None:
        return forbidden(request.query.get("lang"), links.enabled)
    language = page_language(request.query.get("lang"), await org_language(request.app[POOL], org_id))
    return org_id, language


async def interview_view(request: web.Request) -> web.Response:
    interview_id = request.match_info["interview_id"]
    granted = await _authorised(request, "interview", interview_id)
    if isinstance(granted, web.Response):
        return granted
    org_id, language = granted
    page = await interview_page(request.app[POOL], request.app[REPORT_LINKS], org_id, interview_id)
    if page is None:
        return not_found(language)
    chart = radar([c.id for c in page.competencies], [c.score for c in page.competencies])
    return render("interview.html", language, page=page, chart=chart, switch_urls=_switch_urls(request))


async def candidate_view(request: web.Request) -> web.Response:
    candidate_id = request.match_info["candidate_id"]
    granted = await _authorised(request, "candidate", candidate_id)
    if isinstance(granted, web.Response):
        return granted
    org_id, language = granted
    page = await candidate_page(request.app[POOL], request.app[REPORT_LINKS], org_id, candidate_id)
    if page is None:
        return not_found(language)
    scores = page.score.scores or {}
    chart = radar(list(scores), list(scores.values())) if scores else None
    return render("candidate.html", language, page=page, chart=chart, switch_urls=_switch_urls(request))


async def comparison_view(request: web.Request) -> web.Response:
    candidate_ids = [c for c in request.query.get("ids", "").split(",") if c]
    criteria = request.query.get("criteria", "match")
    granted = await _authorised(request, "comparison", comparison_id(candidate_ids, criteria))
    if isinstance(granted, web.Response):
        return granted
    org_id, language = granted
    page = (
        await comparison_page(request.app[POOL], org_id, candidate_ids, criteria)
        if criteria in COMPARE_CRITERIA
        else None
    )
    if page is None:
        return not_found(language)
    links = request.app[REPORT_LINKS]
    candidate_urls = {cid: links.candidate(org_id, cid) for cid in candidate_ids}
    return render(
        "comparison.html",
        language,
        page=page,
        competencies=COMPETENCIES,
        candidate_urls=candidate_urls,
        switch_urls=_switch_urls(request),
    )
