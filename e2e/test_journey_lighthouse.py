"""Google's Lighthouse (the npm package pinned in e2e/package.json) in Debian's Chromium:
accessibility and SEO score 100 on the key pages, public and signed in.

Only those two categories are audited, to keep the run short; no browser is downloaded.
"""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
CHROMIUM_PATH = "/usr/bin/chromium"  # Debian's, as the other browser tests use
LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / "lighthouse" / "cli" / "index.js"
DEMO_PASSWORD = "Ayni2026demo"
PUBLIC = ["/cuenta/ingresar/", "/acceso/solicitar/"]
SIGNED_IN = ["/", "/legajo/mi-legajo/"]


def lighthouse(url: str, report: Path, headers: dict | None = None) -> dict:
    command = [
        "node", str(LIGHTHOUSE), url,
        "--only-categories=accessibility,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--output=json", f"--output-path={report}", "--quiet",
    ]  # fmt: skip
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM_PATH}
    subprocess.run(command, env=env, check=True, timeout=180)
    return json.loads(report.read_text(encoding="utf-8"))


def failures(result: dict) -> dict:
    """Category → score, with the failed audits, for every category under 100."""
    scores = {key: category["score"] for key, category in result["categories"].items()}
    failed = [
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    return {"scores": scores, "failed": failed} if min(scores.values()) < 1 else {}


def test_lighthouse_accessibility_and_seo_are_100(web, platform, tmp_path):
    log_in(web, platform, "40000001", DEMO_PASSWORD)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in web.context.cookies())
    jobs = [(path, None) for path in PUBLIC] + [(path, {"Cookie": cookies}) for path in SIGNED_IN]

    def audit(job):
        path, headers = job
        report = tmp_path / (path.strip("/").replace("/", "-") or "inicio")
        result = lighthouse(platform.url + path, report.with_suffix(".json"), headers)
        assert result["finalDisplayedUrl"] == platform.url + path, "redirected (signed out?)"
        return path, failures(result)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(audit, jobs))
    assert {path: found for path, found in results.items() if found} == {}
