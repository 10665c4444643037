"""The plan front-end: `terraform show -json` output -> the same Model the rules use, and the reviewer summary.

loader     read and validate a plan file (one clear InputError for anything that is not a 1.x plan)
addresses  parse Terraform addresses and reference strings
plandata   an index over one plan: instances, before/after values, unknown and sensitive marks, configuration
refs       resolve configuration references (module outputs, module variables, each.value) to resource attributes
build      PlanDoc -> Model (values, Refs for "known after apply", HCL cross-check for what the plan cannot show)
review     what a plan does to identities and access, per environment
render     Markdown and JSON for a pull-request comment (deterministic, size-capped, sensitive values hidden)
cli        check_main / review_main
"""
