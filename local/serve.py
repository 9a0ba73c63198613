"""`python -m local.serve`: the embedded stack, until Ctrl-C or SIGTERM.

PORT (default 8000) is the API's port and MOTO_PORT (default 4566) the embedded AWS's; 0 picks a
free one. The running stack is described in .local/stack.json (CONCORD_LOCAL_DIR moves .local/).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

from local.environment import apply_environment, quiet_environment
from local.paths import DEFAULT_MOTO_PORT, api_port_from_env, stack_file
from local.stack import LocalStack


def configure_logging() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    for chatty in ("botocore.credentials", "pynamodb.settings"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


def stop_on_signals() -> threading.Event:
    """An event set by SIGINT (Ctrl-C) or SIGTERM: the main thread waits on it, then stops cleanly."""
    stopping = threading.Event()

    def stop(number: int, frame: object) -> None:
        stopping.set()
        for again in (signal.SIGINT, signal.SIGTERM):
            signal.signal(again, signal.SIG_DFL)  # a second Ctrl-C ends the process at once

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    return stopping


def run_stack(quiet: bool, while_running: Callable[[LocalStack, threading.Event], None]) -> int:
    """Start the stack, call `while_running` (which returns when it is time to stop), stop everything.

    quiet: no access log, and only warnings from the API and the functions (the demo's own output reads better).
    """
    configure_logging()
    if quiet:
        apply_environment(quiet_environment())
    stopping = stop_on_signals()
    stack = LocalStack(
        api_port=api_port_from_env(),
        moto_port=int(os.environ.get("MOTO_PORT") or DEFAULT_MOTO_PORT),
        access_log=not quiet,
    )
    try:
        stack.start()
        while_running(stack, stopping)
    except OSError as error:
        print(f"could not start the local stack: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    return 0


def print_urls(stack: LocalStack) -> None:
    print(f"Concord API      {stack.api_url}", flush=True)
    print(f"GraphQL          {stack.api_url}/graphql  (GraphiQL in a browser)")
    print(f"Embedded AWS     {stack.aws.endpoint_url}  (moto; region eu-west-2)")
    print(f"Stack described  {stack_file()}")
    print("Dev token        python -m local.cli token --role operator --agency environment")
    print("Stop             Ctrl-C", flush=True)


def main() -> int:
    def wait(stack: LocalStack, stopping: threading.Event) -> None:
        print_urls(stack)
        stopping.wait()
        print("stopping…", flush=True)

    return run_stack(quiet=False, while_running=wait)


if __name__ == "__main__":
    sys.exit(main())
