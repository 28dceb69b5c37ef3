"""Renderers of official documents, one per kind. Apps register theirs in AppConfig.ready()."""

from typing import Protocol


class Renderer(Protocol):
    def render(self, source, document) -> bytes:
        """The PDF bytes; deterministic for the same source and document record."""

    def summary(self, source) -> dict:
        """What the public verification page may show (already masked)."""

    def filename(self, source, document) -> str:
        """The download name, e.g. `boleta-2022-06-40000001.pdf`."""


_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def renderer_for(kind: str) -> Renderer:
    return _renderers[kind]
