# Taxi licensing case management. `make run` serves the app; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
LETTER_FONTS := licensing/letters/fonts
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test setup setup-dev assets lint clean bench bench-growth

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive licensing config.py wsgi.py --severity-level medium
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

setup: $(VENV)/.installed assets
setup-dev: $(VENV)/.installed-dev assets

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# GOV.UK Frontend comes from the npm registry, pinned in package-lock.json; its compiled
# stylesheet, script, fonts and images are copied into static/govuk/. The DejaVu Sans
# TrueType fonts that every PDF embeds (npm package dejavu-fonts-ttf) go to $(LETTER_FONTS).
assets: static/govuk/.built

static/govuk/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/govuk && mkdir -p static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css* static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js* static/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets
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

# Benchmarks (not part of `make test`): start their own PostgreSQL, generate the London population
# (150,000 drivers, 3,000 operators, about 2 million checks) and print one table of figures and floors.
bench: setup-dev
	$(BIN)/python -m bench.run

# The main figures at 1,500, 15,000 and 150,000 holders, and how each grows.
bench-growth: setup-dev
	$(BIN)/python -m bench.run --growth

clean:
	rm -rf $(VENV) node_modules static/govuk $(LETTER_FONTS)
