"""Entry point: ``talentmind-transcriber``."""

from __future__ import annotations

import logging
import os
import sys

from talentmind.runtime import run_service
from talentmind_transcriber import threads
from talentmind_transcriber.app import SERVICE, init_app
from talentmind_transcriber.settings import bind_address

log = logging.getLogger(__name__)


def main() -> None:
    run_service(SERVICE, init_app, bind_address)
    abandoned = threads.still_running()
    if abandoned:
        # A recognition thread left behind at shutdown (its job was handed back) is still inside the model's native
        # code, and finalising the interpreter under it can abort the process (SIGABRT, seen under load). Everything
        # that needed closing has closed: leave without finalisation, with a clean status.
        log.info("exiting with abandoned recognition threads", extra={"threads": abandoned})
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
