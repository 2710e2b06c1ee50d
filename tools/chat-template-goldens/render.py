#!/usr/bin/python3
"""Regenerates the chat-template goldens from Python Jinja2, set up the way Hugging Face
transformers applies chat templates (utils/chat_template_utils.py, _compile_jinja_template):
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with the loopcontrols
extension and the {% generation %} tag, tojson overridden by json.dumps(ensure_ascii=False, ...),
and the raise_exception / strftime_now globals.

Run with Debian's Python (apt-get install -y python3-jinja2):
    /usr/bin/python3 tools/chat-template-goldens/render.py [--templates DIR] [--now ISO] [--out DIR]

Every case of cases.json is rendered with exactly its keys as variables (messages,
add_generation_prompt, bos_token, eos_token, and any extra key such as tools). A golden holds, per
case in order, the rendered string or {"error": message}; a template that does not compile has
that error for every case.
"""
import argparse
import json
import os
import sys
from datetime import datetime

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


class GenerationTag(jinja2.ext.Extension):
    """HF's AssistantTracker with the tracker inactive: {% generation %} renders its body as is."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    def _generation_support(self, caller):
        return caller()


def make_environment(now):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return now.strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render_all(env, source, cases):
    try:
        template = env.from_string(source)
    except Exception as e:  # a compile error is every case's result, as apply_chat_template would raise it
        return [{"error": str(e)} for _ in cases]
    results = []
    for case in cases:
        try:
            results.append(template.render(**case))
        except Exception as e:
            results.append({"error": str(e)})
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", default=os.path.join(ROOT, "..", "shared", "fixtures", "chat-templates"))
    parser.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    parser.add_argument("--now", default="2026-01-02T03:04:05")
    parser.add_argument("--out", default=os.path.join(ROOT, "tests", "AlignLab.Engine.Tests", "Templates", "Goldens"))
    args = parser.parse_args()

    with open(args.cases, encoding="utf-8") as f:
        cases = json.load(f)
    env = make_environment(datetime.fromisoformat(args.now))
    os.makedirs(args.out, exist_ok=True)
    names = sorted(n for n in os.listdir(args.templates) if n.endswith(".jinja"))
    for name in names:
        with open(os.path.join(args.templates, name), encoding="utf-8") as f:
            source = f.read()
        golden = {
            "template": name,
            "jinja2": jinja2.__version__,
            "now": args.now,
            "results": render_all(env, source, cases),
        }
        path = os.path.join(args.out, name[: -len(".jinja")] + ".json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(golden, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(f"{len(names)} goldens written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
