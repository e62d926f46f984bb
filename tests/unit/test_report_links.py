"""Signed report links: a token opens one object of one organisation until it expires, and nothing else."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pydantic import SecretStr

from talentmind.devstack.stack import local_report_link_secret
from talentmind.report_links import ReportLinks, sign, verify
from talentmind.settings import Settings

SECRET = b"s3cret-for-tests"
NOW = 1_800_000_000


def test_a_token_opens_its_object_for_its_organisation() -> None:
    token = sign(SECRET, "interview", "int_1", "org_a", NOW + 60)
    assert verify(SECRET, "interview", "int_1", token, NOW) == "org_a"


def test_expired_token_is_refused() -> None:
    token = sign(SECRET, "interview", "int_1", "org_a", NOW + 60)
    assert verify(SECRET, "interview", "int_1", token, NOW + 60) is None
    assert verify(SECRET, "interview", "int_1", token, NOW + 3600) is None


def test_token_for_another_object_or_kind_is_refused() -> None:
    token = sign(SECRET, "interview", "int_1", "org_a", NOW + 60)
    assert verify(SECRET, "interview", "int_2", token, NOW) is None
    assert verify(SECRET, "candidate", "int_1", token, NOW) is None


def test_forged_tokens_are_refused() -> None:
    token = sign(SECRET, "interview", "int_1", "org_a", NOW + 60)
    version, org, expires, mac = token.split(".")
    other_org = sign(SECRET, "interview", "int_1", "org_b", NOW + 60).split(".")[1]
    forged = [
        f"{version}.{other_org}.{expires}.{mac}",  # another organisation with this MAC
        f"{version}.{org}.{int(expires) + 10**6}.{mac}",  # a later expiry
        f"{version}.{org}.{expires}.{mac[:-2]}AA",  # a changed MAC
        sign(b"another secret", "interview", "int_1", "org_a", NOW + 60),
        "v2." + token.split(".", 1)[1],
        "",
        "garbage",
        "v1.!!!.1.!!!",
        "v1.b3Jn.-5.AAAA",
    ]
    for bad in forged:
        assert verify(SECRET, "interview", "int_1", bad, NOW) is None, bad


def test_links_carry_a_fresh_token_and_verify() -> None:
    links = ReportLinks("https://tm.example", SECRET, ttl_s=3600)
    url = urlsplit(links.interview("org_a", "int_1"))
    assert (url.scheme, url.netloc, url.path) == ("https", "tm.example", "/r/int_1")
    token = parse_qs(url.query)["t"][0]
    assert links.org_of("interview", "int_1", token) == "org_a"
    assert links.org_of("interview", "int_1", token, now=time.time() + 3601) is None
    compare = urlsplit(links.comparison("org_a", ["b", "a"], "leadership"))
    query = parse_qs(compare.query)
    assert compare.path == "/r/compare" and query["ids"] == ["b,a"] and query["criteria"] == ["leadership"]
    assert links.org_of("comparison", "leadership:b,a", query["t"][0]) == "org_a"
    assert links.org_of("comparison", "leadership:a,b", query["t"][0]) is None


def test_without_a_secret_links_are_bare_and_nothing_verifies() -> None:
    links = ReportLinks.from_settings(Settings(public_base_url="http://x/", report_link_secret=None))
    assert links.interview("org_a", "int_1") == "http://x/r/int_1"
    assert links.org_of("interview", "int_1", sign(b"", "interview", "int_1", "org_a", NOW * 2)) is None
    signed = ReportLinks.from_settings(Settings(report_link_secret=SecretStr("k"), report_link_ttl_s=120))
    assert signed.enabled and signed.ttl_s == 120


def test_local_stack_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = local_report_link_secret(tmp_path / "local")
    assert len(first) >= 32 and local_report_link_secret(tmp_path / "local") == first
    assert (tmp_path / "local" / "report-link-secret").stat().st_mode & 0o077 == 0
