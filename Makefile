# The verbs of this project (`make` lists them). Each does its own set-up: `make apply` and `make demo-local`
# build only Terraform and hashicorp/external; `make test` and `make setup` build everything.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
VENV := $(TOOLS)/venv/bin
TERRAFORM_DOCS := $(TOOLS)/bin/terraform-docs
EXAMPLE ?= basic_chat
MODULES := $(patsubst %/,%,$(wildcard modules/*/))
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup apply demo-local test lint pytest matrix bench spend docs fmt lock lock-gateway clean

help: ## list these verbs
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  make %-11s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))

setup: ## build everything into .tools/: Terraform, OpenTofu, the floors, hashicorp/external, terraform-docs, the test envs
	@bash scripts/toolchain.sh

apply: ## apply an example (EXAMPLE=basic_chat, from examples/) against OPENAI_BASE_URL or the OpenAI API
	@bash scripts/run_example.sh $(EXAMPLE)

demo-local: ## no key yet: apply an example (EXAMPLE=basic_chat) against the local OpenAI-compatible test server
	@bash scripts/run_example.sh --local $(EXAMPLE)

test: setup lint pytest ## everything CI runs: lint, the whole test suite, then the bench once at tiny sizes
	@echo "[bench] make bench BENCH_ARGS=--smoke: every section once at tiny sizes (does the bench still work; no figures)"
	@$(MAKE) --no-print-directory bench BENCH_ARGS=--smoke >/dev/null

lint: ## ruff, mypy --strict, terraform fmt -check, the generated module files and the module READMEs' tables against their sources
	@echo "[lint] ruff, mypy --strict, terraform fmt, generated module files, find_helper.py copies, module README tables (terraform-docs)"
	@$(VENV)/ruff check helper testing tests scripts bench
	@$(VENV)/ruff format --check --quiet helper testing tests scripts bench
	@$(VENV)/mypy --strict helper testing
	@PATH=$(TOOLS)/bin:$$PATH TF_CLI_CONFIG_FILE=$(TOOLS)/terraformrc terraform fmt -check -recursive modules examples tests
	@$(VENV)/python -m scripts.generate_modules --check
	@for module in $(MODULES); do cmp -s helper/find_helper.py $$module/find_helper.py || \
		{ echo "[lint] $$module/find_helper.py is not a copy of helper/find_helper.py: run make docs" >&2; exit 1; }; done
	@if [ -x $(TERRAFORM_DOCS) ]; then for module in $(MODULES); do \
		$(TERRAFORM_DOCS) --output-check $$module >/dev/null || \
			{ echo "[lint] $$module/README.md: its tables do not match the code: run make docs" >&2; exit 1; }; \
	done; else \
		echo "[lint] module README tables not checked: terraform-docs is not built (make setup; .tools/toolchain.tsv says why)" >&2; \
		[ -z "$$CI" ] || [ "$$CI" = false ]; \
	fi

pytest: ## the test suite alone (PYTEST_ARGS="-k cache" passes options)
	@$(VENV)/python -m pytest $(PYTEST_ARGS)

matrix: setup ## the generated end-to-end matrix, long (MATRIX_EXAMPLES=100; MATRIX_SEED=a failure's seed replays it)
	$(eval MATRIX_SEED ?= $(shell date +%s))
	@echo "[matrix] MATRIX_SEED=$(MATRIX_SEED) MATRIX_EXAMPLES=$(or $(MATRIX_EXAMPLES),100): a failure prints its case, its steps and its replay line"
	@MATRIX_SEED=$(MATRIX_SEED) MATRIX_EXAMPLES=$(or $(MATRIX_EXAMPLES),100) $(VENV)/python -m pytest tests/e2e/test_matrix.py \
		-k test_a_generated_case -p no:cacheprovider -rf $(PYTEST_ARGS)

bench: setup ## measure the helper per call and terraform/tofu plans; BENCH_ARGS=--help for options
	@$(VENV)/python -m bench.run $(BENCH_ARGS)

spend: ## what the answers cost, by day, model and tier (SPEND_ARGS="--cache-dir DIR --cache-url s3://... --since DAY --prices FILE")
	@CHAT_HELPER_PYTHON_PACKAGES=interpreter $(VENV)/python helper/main.py spend $(SPEND_ARGS)

docs: ## write each module's variables.tf, outputs.tf and main.tf (scripts/module_interface.py), README tables and find_helper.py
	@$(VENV)/python -m scripts.generate_modules
	@for module in $(MODULES); do cp helper/find_helper.py $$module/find_helper.py; done
	@test -x $(TERRAFORM_DOCS) || { echo "[docs] terraform-docs is not built: run make setup" >&2; exit 1; }
	@for module in $(MODULES); do $(TERRAFORM_DOCS) $$module || exit 1; done

fmt: ## format the Python (ruff) and the Terraform (terraform fmt)
	@$(VENV)/ruff format helper testing tests scripts bench
	@PATH=$(TOOLS)/bin:$$PATH TF_CLI_CONFIG_FILE=$(TOOLS)/terraformrc terraform fmt -recursive modules examples tests

lock: ## pin the helper's packages (helper/requirements.txt) with hashes into helper/requirements.lock
	@$(VENV)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		helper/requirements.txt -o helper/requirements.lock

lock-gateway: ## pin the gateway tests' LiteLLM proxy (testing/gateway/requirements.txt) into its requirements.lock
	@$(VENV)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		testing/gateway/requirements.txt -o testing/gateway/requirements.lock

clean: ## remove .tools/ (the tool cache outside the clone stays)
	rm -rf $(TOOLS)
