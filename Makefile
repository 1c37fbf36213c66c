# Taxi licensing case management. `make run` serves the app; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
LETTER_FONTS := licensing/letters/fonts
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test setup setup-dev assets lint audit lock clean bench bench-growth

# The demo: migrate, load the demo council, run every job once (so the compliance queue and the
# outbox are as a live council's), then the scheduler beside the development server. Ctrl-C stops both.
run: setup-dev
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask scheduler run --run-now & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' EXIT; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# One pytest worker per core (pytest-xdist); each starts its own PostgreSQL, servers and browser.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# `setup` is the production install (requirements.lock: no test tools, no demo data generator);
# `setup-dev` adds the development lock (test tools and Faker for `flask demo-data`). Both install
# exactly the pinned versions and refuse any file whose hash is not in the lock.
setup: $(VENV)/.installed assets
setup-dev: $(VENV)/.installed-dev assets

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

# Regenerate the locks from the human-edited inputs (requirements.txt, requirements-demo.txt,
# requirements-dev.txt) after adding or bumping a package. The development lock is constrained by
# the application lock, so both always pin the same versions. Existing pins are kept unless an
# input asks for another; `make lock UPGRADE=1` moves every package to its newest release.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock \
		requirements.txt requirements-demo.txt requirements-dev.txt

# GOV.UK Frontend comes from the npm registry, pinned in package-lock.json. The council's stylesheet
# is compiled from its Sass (assets/council.scss, with the pinned `sass`) into static/govuk/; its
# script is copied. No GOV.UK fonts or images (crown, crest, icons) are copied: they are GOV.UK's. The DejaVu Sans
# TrueType fonts that every PDF embeds (npm package dejavu-fonts-ttf) go to $(LETTER_FONTS).
assets: static/govuk/.built

static/govuk/.built: package.json package-lock.json assets/council.scss
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/govuk && mkdir -p static/govuk
	node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map --quiet-deps \
		assets/council.scss static/govuk/govuk-frontend.min.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js* static/govuk/
	rm -rf $(LETTER_FONTS) && mkdir -p $(LETTER_FONTS)
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans{,-Bold,-Oblique,-BoldOblique}.ttf $(LETTER_FONTS)/
	cp node_modules/dejavu-fonts-ttf/LICENSE $(LETTER_FONTS)/LICENSE
	cp node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf $(LETTER_FONTS)/NotoSansSC-Regular.ttf
	cp node_modules/@embedpdf/fonts-arabic/fonts/NotoNaskhArabic-Regular.ttf $(LETTER_FONTS)/
	cp node_modules/@embedpdf/fonts-arabic/LICENSE $(LETTER_FONTS)/LICENSE-NotoNaskhArabic
	cp node_modules/@expo-google-fonts/noto-sans-sc/LICENSE_FONT $(LETTER_FONTS)/LICENSE-NotoSansSC
	touch $@

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive licensing config.py wsgi.py --severity-level medium
	$(BIN)/lint-imports --no-cache
	$(MAKE) --no-print-directory audit

# Known vulnerabilities in the locked Python and npm packages; accepted ones are in audit-ignore.txt.
audit: setup-dev
	$(BIN)/python tools/audit.py requirements-dev.lock

# Benchmarks (not part of `make test`): start their own PostgreSQL, generate the London population
# (150,000 drivers, 3,000 operators, about 2 million checks) and print one table of figures and floors.
bench: setup-dev
	$(BIN)/python -m bench.run

# The main figures at 1,500, 15,000 and 150,000 holders, and how each grows.
bench-growth: setup-dev
	$(BIN)/python -m bench.run --growth

clean:
	rm -rf $(VENV) node_modules static/govuk $(LETTER_FONTS)
