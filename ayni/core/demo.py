"""The demo data set: each app contributes a `demo.seed(ctx)`; `seed_demo` runs them in order.

Everything is deterministic (one seeded random generator) and idempotent: running it
again creates only what is missing.
"""

import random
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps

DEMO_PASSWORD = "Ayni2026demo"  # noqa: S105  (published in the README for the demo accounts)


@dataclass
class DemoContext:
    servants: int
    stdout: object
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def say(self, message: str) -> None:
        self.stdout.write(message)


def seed_all(ctx: DemoContext) -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("ayni."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if module.__name__ != __name__:
            module.seed(ctx)
