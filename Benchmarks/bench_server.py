"""The request loop the Python sides of the benchmark share (modelspec-bench's
ScriptServer.swift speaks to it): one JSON request a line on stdin, one JSON
answer a line on stdout; a failure is answered as {"error": ...}."""

import json
import sys


def serve(handlers):
    """Answers requests until stdin closes; `handlers` maps a request's "cmd" to a
    function of the request that returns the answer."""
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            handler = handlers.get(request.get("cmd"))
            answer = handler(request) if handler else {"error": f"unknown request {request!r}"}
        except Exception as error:  # reported to the Swift side, which stops
            answer = {"error": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()
