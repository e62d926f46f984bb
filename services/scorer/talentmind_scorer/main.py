"""Entry point: ``talentmind-scorer``."""

from __future__ import annotations

from talentmind.runtime import run_service
from talentmind_scorer.app import SERVICE, init_app
from talentmind_scorer.settings import bind_address


def main() -> None:
    run_service(SERVICE, init_app, bind_address)


if __name__ == "__main__":
    main()
