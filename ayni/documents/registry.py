"""Renderers of official documents, one per kind. Apps register theirs in AppConfig.ready()
by dotted path: a renderer (reportlab, pyhanko) is imported when a document is first made,
not when Django starts (a management command that makes none starts without them)."""

from functools import cache
from typing import Protocol

from django.utils.module_loading import import_string


class Renderer(Protocol):
    def render(self, source, document) -> bytes:
        """The PDF bytes; deterministic for the same source and document record."""

    def summary(self, source) -> dict:
        """What the public verification page may show (already masked)."""

    def filename(self, source, document) -> str:
        """The download name, e.g. `boleta-2022-06-40000001.pdf`."""


_renderers: dict[str, tuple[str, tuple]] = {}


def register(kind: str, path: str, *args) -> None:
    """`path` names the renderer's class, made with `args` at its first use."""
    _renderers[kind] = (path, args)
    _built.cache_clear()


def renderer_for(kind: str) -> Renderer:
    return _built(*_renderers[kind])


@cache
def _built(path: str, args: tuple) -> Renderer:
    return import_string(path)(*args)
