"""README's settings table is the one `talentmind settings` prints: a new or changed setting updates both."""

from __future__ import annotations

from talentmind.cli import settings_table
from tests.conftest import ROOT


def test_the_readme_lists_every_setting_as_the_code_defines_it() -> None:
    readme = (ROOT / "README.md").read_text()
    assert settings_table() in readme, "README.md is stale: paste the output of `talentmind settings`"
