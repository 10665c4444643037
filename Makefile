# PULSE keyless infrastructure. `make policy` gates the Terraform; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
CHECKOV_VENV ?= .venv-checkov
LINT_VENV ?= .venv-lint
PY := $(VENV)/bin/python
ENV ?= dev
ENVS := dev staging prod
REPORTS := reports

.PHONY: help venv policy policy-tests review test validate plan-offline terraform-test fmt plan apply verify bench mutation checkov checkov-test lint clean

help:
	@echo "make policy            policy gate over every environment (exit 0 clean, 1 findings, 2 input error)"
	@echo "make policy ENV=prod   the same for one environment (an unknown one is an input error)"
	@echo "make policy PLAN=f     the same rules on a 'terraform show -json' plan"
	@echo "make policy FORMAT=f   output as text, json, sarif, junit or github (docs/output.md)"
	@echo "make review PLANS=...  reviewer summary (Markdown) of what the plans change; OUT=file to write it"
	@echo "make test              unit, engine, rule and gate tests (JUnit XML in $(REPORTS)/)"
	@echo "make validate          terraform fmt + terraform validate (offline azurerm stand-in) + azurerm 4.55 schema check"
	@echo "make plan-offline      terraform plan + show -json per environment through the stand-in ($(REPORTS)/offline/)"
	@echo "make terraform-test    terraform test of tests/terraform/*.tftest.hcl (mock_provider; also part of make test)"
	@echo "make plan ENV=prod     terraform plan for one environment (needs terraform and Azure credentials)"
	@echo "make apply ENV=prod    terraform apply of that plan"
	@echo "make verify ENV=prod   compare live role assignments with the policy data (after apply)"
	@echo "make bench             gate benchmark: this repo and generated 1k/10k-resource trees, cold and repeat, beside checkov"
	@echo "make checkov           checkov 3.3.30 per environment (+SARIF in $(REPORTS)/checkov/); VERBOSE=1 lists skips"
	@echo "make checkov-test      regression tests: checkov must catch shared keys / OpenAI local auth"
	@echo "make lint              YAML validity + zizmor --offline on the workflows + pre-commit run --all-files"
	@echo "make mutation          apply realistic regressions to a copy of the repo and check the gate catches each"

venv: $(VENV)/.installed

# CI jobs that will hold an Azure credential install first, with PIP_INSTALL_ARGS=--only-binary=:all: (wheels only:
# installing runs no package code).
PIP_INSTALL_ARGS ?=

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_INSTALL_ARGS) -r requirements.txt
	@touch $@

# make itself reports any failing recipe as exit 2, so the gate's own code (1 findings, 2 input error) is printed;
# tools that need it directly call `python -m pulse_gate check`.
# `make policy` checks every environment; `make policy ENV=prod` only prod (ENV from the command line only: the
# variable also means something to POSIX shells, and a stray one must not narrow the gate).
POLICY_ENV_ARG = $(if $(filter command line,$(origin ENV)),--env $(ENV))
GATE_ARGS = $(if $(PLAN),$(addprefix --plan ,$(PLAN)) $(if $(POLICY_ENV),--env $(POLICY_ENV)),$(POLICY_ENV_ARG))
policy: venv
	@$(PY) -m pulse_gate check $(GATE_ARGS) $(if $(FORMAT),--format $(FORMAT)); rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "policy gate: exit 1 (findings)"; elif [ $$rc -ne 0 ]; then echo "policy gate: exit $$rc (input error)"; fi; \
	  exit $$rc

review: venv
	$(PY) -m pulse_gate review $(or $(PLANS),$(wildcard *.plan.json)) $(if $(OUT),--out $(OUT))

policy-tests: venv
	@mkdir -p $(REPORTS)
	$(PY) -m pytest policy_tests -q --junitxml=$(REPORTS)/policy-junit.xml

test: venv
	@mkdir -p $(REPORTS)
	$(PY) -m pytest tests policy_tests -q -m "not checkov" --junitxml=$(REPORTS)/junit.xml

# terraform validate and plan-offline run real Terraform against the offline azurerm stand-in (tools/tfprovider,
# docs/offline-terraform.md) in a temporary copy, with their own generated TF_CLI_CONFIG_FILE; plan/apply/verify
# below never use it.
validate: venv
	@if command -v terraform >/dev/null 2>&1; then \
	  echo "terraform fmt -check -recursive"; TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive . || exit 1; \
	else \
	  echo "validate: terraform fmt not run: terraform is not on PATH"; \
	fi
	$(PY) -m tools.tfprovider.offline validate .
	$(PY) tools/schema/validate.py .

# Every environment, or only ENV=... when given on the command line; writes $(REPORTS)/offline/<env>.plan.json.
plan-offline: venv
	$(PY) -m tools.tfprovider.offline plan $(if $(filter command line,$(origin ENV)),--env $(ENV)) --out $(REPORTS)/offline

terraform-test: venv
	$(PY) -m tools.tfprovider.offline test

fmt:
	terraform fmt -recursive .

define need_terraform
	@command -v terraform >/dev/null 2>&1 || { echo "error: terraform is not on PATH: install terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)"; exit 2; }
	@test -f envs/$(ENV)/terraform.tfvars || { echo "error: unknown environment '$(ENV)': choose one of $(ENVS)"; exit 2; }
	@test -n "$${ARM_SUBSCRIPTION_ID:-}" || { echo "error: ARM_SUBSCRIPTION_ID is not set: az login (or OIDC in CI) and export ARM_SUBSCRIPTION_ID"; exit 2; }
endef

plan:
	$(need_terraform)
	terraform init -input=false -reconfigure -backend-config=envs/$(ENV)/backend.hcl
	terraform plan -input=false -var-file=envs/$(ENV)/terraform.tfvars -out=$(ENV).tfplan
	terraform show -json $(ENV).tfplan > $(ENV).plan.json

apply:
	$(need_terraform)
	@test -f $(ENV).tfplan || { echo "error: no $(ENV).tfplan: run 'make plan ENV=$(ENV)' first"; exit 2; }
	terraform apply -input=false $(ENV).tfplan

verify: venv
	$(PY) -m pulse_gate verify --env $(ENV) $(if $(OUTPUTS),--outputs $(OUTPUTS))

# End to end, min and median of 3 runs each: this repository (cold and repeat) and generated 1,000 and 10,000-block
# trees, beside checkov (same var file, --skip-download). BENCH_ARGS passes options (tools/bench.py --help).
bench: venv $(CHECKOV_VENV)/.installed
	$(PY) tools/bench.py $(BENCH_ARGS)

mutation: venv
	$(PY) tools/mutation_test.py


$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

checkov: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/python tools/checkov_gate.py $(if $(CHECKOV_ENV),--env $(CHECKOV_ENV)) $(if $(VERBOSE),--verbose)

checkov-test: venv $(CHECKOV_VENV)/.installed
	@mkdir -p $(REPORTS)
	$(PY) -m pytest tests/ci -m checkov -q --junitxml=$(REPORTS)/checkov-junit.xml

$(LINT_VENV)/.installed: requirements-lint.txt
	@test -x $(LINT_VENV)/bin/python || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lint.txt
	@touch $@

# pre-commit's gate hooks run .venv's Python, hence venv.
lint: venv $(LINT_VENV)/.installed
	$(VENV)/bin/python tools/module_docs.py --check
	$(LINT_VENV)/bin/python tools/ci/yaml_check.py .
	$(LINT_VENV)/bin/zizmor --offline .github/workflows .pre-commit-config.yaml
	$(LINT_VENV)/bin/pre-commit run --all-files --show-diff-on-failure

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(LINT_VENV) $(REPORTS) .pytest_cache *.tfplan *.plan.json
