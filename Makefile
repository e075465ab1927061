# The verbs of this project. `make apply` and `make test` do all set-up themselves.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
VENV := $(TOOLS)/venv/bin
EXAMPLE ?= basic_chat
MODULES := $(patsubst %/,%,$(wildcard modules/*/))
PYTEST_ARGS ?=

.PHONY: setup apply demo-local test lint pytest docs fmt lock lock-gateway clean bench

setup: ## build Terraform, OpenTofu, hashicorp/external and the Python env into .tools/
	@bash scripts/toolchain.sh

apply: setup ## apply examples/$(EXAMPLE) against OPENAI_BASE_URL or the OpenAI API
	@bash scripts/run_example.sh $(EXAMPLE)

demo-local: setup ## apply examples/$(EXAMPLE) against the local OpenAI-compatible test server
	@bash scripts/run_example.sh --local $(EXAMPLE)

test: setup lint pytest ## everything CI runs: lint, then the whole test suite

lint:
	@echo "[lint] ruff, mypy --strict, terraform fmt, module docs"
	@$(VENV)/ruff check helper testing tests scripts bench
	@$(VENV)/ruff format --check --quiet helper testing tests scripts bench
	@$(VENV)/mypy --strict helper testing
	@PATH=$(TOOLS)/bin:$$PATH TF_CLI_CONFIG_FILE=$(TOOLS)/terraformrc terraform fmt -check -recursive modules examples tests
	@$(VENV)/python scripts/module_docs.py --check $(MODULES)

pytest:
	@$(VENV)/python -m pytest $(PYTEST_ARGS)

bench: setup ## measure the helper per call and terraform/tofu plans; BENCH_ARGS=--help for options
	@$(VENV)/python -m bench.run $(BENCH_ARGS)

docs: ## regenerate the module README's Inputs/Outputs tables
	@$(VENV)/python scripts/module_docs.py $(MODULES)

lock: ## pin the helper's packages (helper/requirements.txt) with hashes into helper/requirements.lock
	@$(VENV)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		helper/requirements.txt -o helper/requirements.lock

lock-gateway: ## pin the gateway tests' LiteLLM proxy (testing/gateway/requirements.txt) into its requirements.lock
	@$(VENV)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		testing/gateway/requirements.txt -o testing/gateway/requirements.lock

fmt:
	@$(VENV)/ruff format helper testing tests scripts bench
	@PATH=$(TOOLS)/bin:$$PATH terraform fmt -recursive modules examples tests

clean:
	rm -rf $(TOOLS)
