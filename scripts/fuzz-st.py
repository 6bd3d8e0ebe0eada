"""schemathesis's `st`, with hypothesis's lambda-source parsing serialised across its workers.

With `--workers 2`, two threads can both reach hypothesis's first description of a lambda from
the same large module and both run `ast.parse` on it at once. CPython 3.11 keeps the AST
constructor's recursion counter in interpreter-wide state, so the two parses can corrupt each
other's count and one fails with "SystemError: AST constructor recursion depth mismatch" (see
CPython issue 106905): an error of the tool, reported as a failed operation. One lock around
that parse (its result is cached, so each module is parsed once) removes the race.
"""

import sys
import threading

from hypothesis.internal import lambda_sources

_lock = threading.Lock()
_describe = lambda_sources._lambda_description


def _serialised(f, *args, **kwargs):
    with _lock:
        return _describe(f, *args, **kwargs)


lambda_sources._lambda_description = _serialised

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch, on purpose)

if __name__ == "__main__":
    sys.argv[0] = "st"
    sys.exit(schemathesis())
