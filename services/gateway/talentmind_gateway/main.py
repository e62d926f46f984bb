"""Entry point: ``talentmind-gateway``."""

from __future__ import annotations

from talentmind.runtime import run_service
from talentmind_gateway.app import SERVICE, init_app
from talentmind_gateway.settings import bind_address


def main() -> None:
    run_service(SERVICE, init_app, bind_address)


if __name__ == "__main__":
    main()
