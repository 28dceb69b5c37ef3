"""Seven attack paths replayed over HTTP against the real server: none may succeed.

The replay is `ops/replay_attacks.py` (also a command of its own); here it runs against the
journeys' server and its mails. Each path prints its attempts and successes.
"""

import importlib.util
import sys

import pytest

from e2e.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def _replay_module():
    spec = importlib.util.spec_from_file_location(
        "replay_attacks", ROOT / "ops" / "replay_attacks.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_no_attack_path_succeeds(platform):
    replay = _replay_module()
    tallies = replay.replay(platform.url, platform.var_dir)
    print("\n" + replay.table(tallies))
    assert len(tallies) == len(replay.PATHS)
    assert all(tally.attempts for tally in tallies)
    succeeded = [tally.number for tally in tallies if tally.successes]
    assert succeeded == [], "paths that succeeded:\n" + replay.table(tallies)
