# The verbs of this project. `make apply` and `make test` do all set-up themselves.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
VENV := $(TOOLS)/venv/bin
TERRAFORM_DOCS := $(TOOLS)/bin/terraform-docs
EXAMPLE ?= basic_chat
MODULES := $(patsubst %/,%,$(wildcard modules/*/))
PYTEST_ARGS ?=

.PHONY: setup apply demo-local test lint pytest docs fmt lock clean bench

setup: ## build Terraform, OpenTofu, hashicorp/external and the Python env into .tools/
	@bash scripts/toolchain.sh

apply: setup ## apply examples/$(EXAMPLE) against OPENAI_BASE_URL or the OpenAI API
	@bash scripts/run_example.sh $(EXAMPLE)

demo-local: setup ## apply examples/$(EXAMPLE) against the local OpenAI-compatible test server
	@bash scripts/run_example.sh --local $(EXAMPLE)

test: setup lint pytest ## everything CI runs: lint, then the whole test suite

lint:
	@echo "[lint] ruff, mypy --strict, terraform fmt, module README tables (terraform-docs)"
	@$(VENV)/ruff check helper testing tests scripts bench
	@$(VENV)/ruff format --check --quiet helper testing tests scripts bench
	@$(VENV)/mypy --strict helper testing
	@PATH=$(TOOLS)/bin:$$PATH TF_CLI_CONFIG_FILE=$(TOOLS)/terraformrc terraform fmt -check -recursive modules examples tests
	@if [ -x $(TERRAFORM_DOCS) ]; then for module in $(MODULES); do \
		$(TERRAFORM_DOCS) --output-check $$module >/dev/null || \
			{ echo "[lint] $$module/README.md: its tables do not match the code: run make docs" >&2; exit 1; }; \
	done; else \
		echo "[lint] module README tables not checked: terraform-docs is not built (make setup; .tools/toolchain.tsv says why)" >&2; \
		[ -z "$$CI" ] || [ "$$CI" = false ]; \
	fi

pytest:
	@$(VENV)/python -m pytest $(PYTEST_ARGS)

bench: setup ## measure the helper per call and terraform/tofu plans; BENCH_ARGS=--help for options
	@$(VENV)/python -m bench.run $(BENCH_ARGS)

docs: ## write the module READMEs' Inputs/Outputs tables from the code (terraform-docs)
	@test -x $(TERRAFORM_DOCS) || { echo "[docs] terraform-docs is not built: run make setup" >&2; exit 1; }
	@for module in $(MODULES); do $(TERRAFORM_DOCS) $$module || exit 1; done

lock: ## pin the helper's packages (helper/requirements.txt) with hashes into helper/requirements.lock
	@$(VENV)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		helper/requirements.txt -o helper/requirements.lock

fmt:
	@$(VENV)/ruff format helper testing tests scripts bench
	@PATH=$(TOOLS)/bin:$$PATH terraform fmt -recursive modules examples tests

clean:
	rm -rf $(TOOLS)
