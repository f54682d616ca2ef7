"""Request bodies held against Discord's own OpenAPI description (vendored openapi.json, MIT).

Why: the schema knows hundreds of lengths, item counts and component shapes that discord.py never
checks and that a hand-written list would miss. It is read by its conventions: an integer may come
as a numeric string, a snowflake as a string or a number, and `oneOf` means "one of these shapes"
(validated as `anyOf`, because Discord's unions overlap). Validators are built on first use and
cached per (method, path template), so a burst of requests costs one build.

Most bodies are valid, so each is first checked by jsonschema-rs (compiled, in Rust): the pure-Python
validator, which words the problems well, runs only for a body that fails. Validating every body in
Python cost the fake about 60 % of its event loop during a burst, which made the bench's no-op
reference (`/help`) measure the fake rather than the bot.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("openapi.json")
SPEC_URI = "urn:discord:openapi"
_NUMERIC = re.compile(r"^-?[0-9]+$")


def _relax(node: Any) -> Any:
    """Rewrite the spec once: oneOf becomes anyOf, snowflakes may be numbers."""
    if isinstance(node, dict):
        out = {("anyOf" if k == "oneOf" else k): _relax(v) for k, v in node.items()}
        if out.get("format") == "snowflake" and out.get("type") == "string":
            out = {"anyOf": [out, {"type": "integer", "minimum": 0}]}
        return out
    if isinstance(node, list):
        return [_relax(v) for v in node]
    return node


def _is_integer(checker: Any, instance: Any) -> bool:
    if isinstance(instance, str):
        return bool(_NUMERIC.match(instance))
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer"))


_Validator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped in its stubs
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def _spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = _relax(json.load(fh))
        return spec


def _integers_as_strings(node: Any) -> Any:
    """For the compiled validator, which has no custom types: an integer may also be a numeric string."""
    if isinstance(node, dict):
        out = {k: _integers_as_strings(v) for k, v in node.items()}
        kinds = out.get("type")
        integer = kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds and "string" not in kinds)
        # With `enum` or `const` a string never matches (4 != "4"), as in the Python validator.
        if integer and "enum" not in out and "const" not in out:
            return {"anyOf": [out, {"type": "string", "pattern": _NUMERIC.pattern}]}
        return out
    if isinstance(node, list):
        return [_integers_as_strings(v) for v in node]
    return node


@cache
def _compiled_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(SPEC_URI, _integers_as_strings(_spec()))])


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def paths() -> list[str]:
    """Every path template the spec describes (for spotting routes the fake lacks)."""
    return list(_spec()["paths"])


def _pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


class BodyValidator:
    """Validates JSON bodies per route; thread-safe, caches one validator per route."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}
        self._fast: dict[tuple[str, str], Any] = {}

    def _validator(self, method: str, template: str) -> Any:
        key = (method, template)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            op = _spec()["paths"].get(template, {}).get(method.lower())
            content = ((op or {}).get("requestBody") or {}).get("content") or {}
            validator = None
            if "application/json" in content:
                pointer = "/".join(
                    [
                        "#",
                        "paths",
                        _pointer_part(template),
                        method.lower(),
                        "requestBody",
                        "content",
                        "application~1json",
                        "schema",
                    ]
                )
                validator = _Validator({"$ref": SPEC_URI + pointer}, registry=_registry())
                # A URI fragment may not hold `{` or `}` (path templates do): percent-encode it.
                fragment = quote(pointer, safe="#/~")
                self._fast[key] = jsonschema_rs.Draft202012Validator(
                    {"$ref": SPEC_URI + fragment}, registry=_compiled_registry(), validate_formats=False
                )
            self._cache[key] = validator
            return validator

    def problems(self, method: str, template: str, body: Any) -> list[str]:
        """Each schema error as 'JSON pointer: message' (the best match first)."""
        validator = self._validator(method, template)
        if validator is None:
            return []
        fast = self._fast.get((method, template))
        if fast is not None and fast.is_valid(body):
            return []
        errors = list(validator.iter_errors(body))
        if not errors:
            return []
        best = jsonschema.exceptions.best_match(errors)
        ordered = [best] + [e for e in errors if e is not best]
        out: list[str] = []
        for err in ordered[:5]:
            deepest = _deepest(err)
            pointer = "/" + "/".join(_pointer_part(str(p)) for p in deepest.absolute_path)
            line = f"{pointer}: {_short(deepest.message)}"
            if line not in out:
                out.append(line)
        # A shape mismatch of a union tag is usually a symptom; the real limit broken reads better first.
        out.sort(key=lambda line: "/type: " in line and "is not one of" in line)
        return out


def _misses_discriminator(errors: list[Any]) -> bool:
    """A union branch whose `type` tag does not match is the wrong shape, not a near miss."""
    return any(e.validator in ("enum", "const") and list(e.relative_path) == ["type"] for e in errors)


def _deepest(err: Any) -> Any:
    """Inside an anyOf, the branch of the right shape that got furthest says what is wrong."""
    while err.context:
        branches: dict[Any, list[Any]] = {}
        for e in err.context:
            branches.setdefault(e.relative_schema_path[0], []).append(e)
        good = [es for es in branches.values() if not _misses_discriminator(es)] or list(branches.values())
        branch = min(good, key=lambda es: (len(es), -max(len(e.absolute_path) for e in es)))
        err = max(branch, key=lambda e: (len(e.absolute_path), -len(e.message)))
    return err


def _short(text: str, limit: int = 200) -> str:
    """Long instance dumps cut in the middle, so the verdict at the end stays readable."""
    return text if len(text) <= limit else text[: limit - 60] + " ... " + text[-55:]


def body_schema(method: str, template: str) -> dict[str, Any] | None:
    """The raw (relaxed) request schema of a route, for tests that want to look at it."""
    op = _spec()["paths"].get(template, {}).get(method.lower()) or {}
    content = (op.get("requestBody") or {}).get("content") or {}
    schema = content.get("application/json", {}).get("schema")
    return copy.deepcopy(schema) if schema is not None else None
