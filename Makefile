# AYNI — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
UV := .tools/bin/uv
UV_VERSION := 0.13.9
PYTEST_ARGS ?= -n auto --dist loadgroup
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint format prod-check screenshots prod-local test-system-packages

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# Mailed links and the PDFs' QR codes point at the port served, unless the variable is set.
run: export AYNI_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.synced
	@ops/ensure-system-packages flite
	$(VENV)/bin/python manage.py migrate --noinput
	$(VENV)/bin/python manage.py seed_demo --servidores 200
	DEBUG=true $(VENV)/bin/python manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the suite needs (installed as root, otherwise named): ops/ensure-system-packages.
test-system-packages:
	@ops/ensure-system-packages chromium pdftoppm flite npm

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json | test-system-packages
	npm ci --prefix e2e --no-audit --no-fund --silent
	touch $@

test: test-system-packages $(VENV)/.synced e2e/node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Refreshes docs/screenshots/ (every journey page at 1280 and 360 px wide).
screenshots: test-system-packages $(VENV)/.synced e2e/node_modules/.installed
	AYNI_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -n 1 e2e

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.synced
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# `check --deploy` with production-like settings must report nothing. Some checks read the
# database (no account may open with the demo password): by default they read a fresh,
# migrated SQLite file without demo data, never var/ayni.sqlite3 (which `make run` seeds);
# PROD_CHECK_DATABASE_URL=postgres://... checks a real database instead.
PROD_CHECK_DATABASE_URL ?=
prod-check: $(VENV)/.synced
	@set -e; scratch="$$(mktemp -d)"; trap 'rm -rf "$$scratch"' EXIT; \
	export DATABASE_URL="$(or $(PROD_CHECK_DATABASE_URL),sqlite:///$$scratch/prod-check.sqlite3)"; \
	if [ -z "$(PROD_CHECK_DATABASE_URL)" ]; then $(VENV)/bin/python manage.py migrate --noinput -v 0; fi; \
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=prod-check" \
		-keyout "$$scratch/firma.key" -out "$$scratch/firma.pem" 2>/dev/null; \
	openssl pkcs12 -export -inkey "$$scratch/firma.key" -in "$$scratch/firma.pem" \
		-passout pass:prod-check -out "$$scratch/firma.p12"; \
	export AYNI_SIGNING_PKCS12="$$scratch/firma.p12" AYNI_SIGNING_PASSPHRASE=prod-check \
		AYNI_SIGNING_TRUST_ROOTS="$$scratch/firma.pem"; \
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$$scratch/oidc.pem" 2>/dev/null; \
	export AYNI_OIDC_RSA_PRIVATE_KEY_FILE="$$scratch/oidc.pem"; \
	DEBUG=false SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" SECURE_SSL_REDIRECT=true \
	SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_PRELOAD=true ALLOWED_HOSTS=ayni.example.pe \
	AYNI_WEBAUTHN_RP_ID=ayni.example.pe AYNI_WEBAUTHN_ORIGINS=https://ayni.example.pe \
	$(VENV)/bin/python manage.py check --deploy --fail-level WARNING

# The production topology on this machine: nginx + granian + a Celery worker on the local
# PostgreSQL (ayni_payday), Redis and RabbitMQ; Ctrl-C stops them all (docs/operations.md).
prod-local: $(VENV)/.synced
	ops/prod-local
