"""Render every template of the differential corpus with real Jinja2.

Reads a JSON array of {"name", "template", "inputs"} on stdin and writes a JSON object
{name: {"text": ...} | {"error": "ExceptionType: message"}} on stdout. The environment is the
one the Python Prompty runtime renders with: jinja2's defaults (Undefined, no autoescape,
trim_blocks and lstrip_blocks off, keep_trailing_newline off).
"""
import json
import sys

import jinja2


def main() -> None:
    cases = json.load(sys.stdin)
    env = jinja2.Environment()
    out = {"jinja2": jinja2.__version__, "results": {}}
    for case in cases:
        try:
            text = env.from_string(case["template"]).render(**case["inputs"])
            out["results"][case["name"]] = {"text": text}
        except Exception as error:  # every failure is a result to compare
            out["results"][case["name"]] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
