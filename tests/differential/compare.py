"""The gate's HCL model of an environment held against Terraform's own plan of it (`terraform show -json`).

Three comparisons, each returning the disagreements as readable strings (an empty list is agreement):
- instances: the resource instances Terraform plans (managed in resource_changes, data sources read during the
  plan in prior_state) and the ones the HCL front-end evaluates are the same set of addresses;
- values: every argument the gate evaluates to a known value equals Terraform's planned value (converted to the
  provider schema's types: Terraform turns 1 into "1" for a string argument); where Terraform plans an unknown, the
  gate holds a reference or an unknown, never a known value;
- findings: the rules give the same (rule id, address) pairs from the plan front-end as from the HCL.
"""
from __future__ import annotations

from pulse_gate.model import Model
from pulse_gate.values import Ref, Unknown


def _walk(module: dict):
    for res in module.get("resources", []):
        yield res
    for child in module.get("child_modules", []):
        yield from _walk(child)


def planned_instances(plan: dict) -> dict[str, str]:
    """address -> mode of every instance the plan knows: managed changes, data sources read at plan time."""
    out = {rc["address"]: rc["mode"] for rc in plan.get("resource_changes", [])}
    prior = plan.get("prior_state", {}).get("values", {}).get("root_module", {})
    out.update({r["address"]: r["mode"] for r in _walk(prior)})
    return out


def compare_instances(model: Model, plan: dict) -> list[str]:
    planned = set(planned_instances(plan))
    evaluated = {r.address for r in model.resources}
    return ([f"Terraform plans {a}; the gate does not evaluate it" for a in sorted(planned - evaluated)]
            + [f"the gate evaluates {a}; Terraform plans no such instance" for a in sorted(evaluated - planned)])


def _same(gate, planned) -> bool:
    """Equality after Terraform's conversion to the schema type (the plan holds converted values)."""
    if isinstance(planned, bool) or isinstance(gate, bool):
        return gate == planned or (isinstance(gate, str) and gate == str(planned).lower())
    if isinstance(planned, str) and isinstance(gate, (int, float)):
        return _number_text(gate) == planned
    if isinstance(planned, (int, float)) and isinstance(gate, (int, float)):
        return float(gate) == float(planned)
    return gate == planned


def _number_text(n) -> str:
    return str(int(n)) if float(n).is_integer() else repr(n)


def compare_values(model: Model, plan: dict) -> tuple[list[str], int]:
    """(disagreements, number of known leaf values compared)."""
    changes = {rc["address"]: rc["change"] for rc in plan.get("resource_changes", []) if rc["mode"] == "managed"}
    problems: list[str] = []
    compared = 0
    for res in model.resources:
        change = changes.get(res.address)
        if change is None:
            continue
        for path, gate, planned, unknown in _leaves(res.values, change.get("after") or {},
                                                    change.get("after_unknown") or {}, ""):
            if not _known(gate):
                continue                              # the gate claims nothing (or not all) here
            compared += 1
            where = f"{res.address}.{path}"
            if unknown:
                problems.append(f"{where}: the gate claims {gate!r}; Terraform plans it as unknown (known after apply)")
            elif not _same(gate, planned):
                problems.append(f"{where}: the gate has {gate!r}; Terraform plans {planned!r}")
    return problems, compared


def _leaves(gate, planned, unknown, path):
    """(path, gate value, planned value, planned-unknown) for every leaf of the gate's value."""
    if unknown is True:
        yield path, gate, None, True
        return
    if isinstance(gate, dict) and not isinstance(gate, (Ref, Unknown)):
        planned = planned if isinstance(planned, dict) else {}
        unknown = unknown if isinstance(unknown, dict) else {}
        for key, value in gate.items():
            yield from _leaves(value, planned.get(key), unknown.get(key, False), f"{path}.{key}" if path else key)
        return
    if isinstance(gate, list) and all(isinstance(x, dict) for x in gate) and gate:
        # Nested blocks (and lists of objects): compare element by element, in the order written.
        planned = planned if isinstance(planned, list) else []
        unknown = unknown if isinstance(unknown, list) else []
        if len(planned) != len(gate) and not unknown:
            yield path, gate, planned, False
            return
        for i, value in enumerate(gate):
            yield from _leaves(value, planned[i] if i < len(planned) else None,
                               unknown[i] if i < len(unknown) else False, f"{path}[{i}]")
        return
    if isinstance(gate, list) and isinstance(planned, list) and not _has_unknown(unknown):
        # Sets come back from Terraform in its own order.
        if _sortable(gate) and _sortable(planned):
            yield path, sorted(gate, key=repr), sorted(planned, key=repr), False
            return
    if _has_unknown(unknown):
        yield path, gate, None, True
        return
    yield path, gate, planned, False


def _known(value) -> bool:
    if isinstance(value, (Ref, Unknown)):
        return False
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    if isinstance(value, list):
        return all(_known(v) for v in value)
    return True


def _has_unknown(unknown) -> bool:
    if unknown is True:
        return True
    if isinstance(unknown, dict):
        return any(_has_unknown(v) for v in unknown.values())
    if isinstance(unknown, list):
        return any(_has_unknown(v) for v in unknown)
    return False


def _sortable(values) -> bool:
    return all(not isinstance(v, (dict, list, Ref, Unknown)) for v in values)


def finding_keys(findings) -> set[tuple[str, str]]:
    return {(f.rule_id, f.address) for f in findings}


def attribute_empty_strings(values: dict, path: str = ""):
    """Paths of "" at attribute level, nested blocks included (map entries such as tags and app_settings are data,
    not attributes): what a model built from a plan must not keep of the provider's zero values."""
    for key, value in values.items():
        here = f"{path}.{key}" if path else key
        if value == "":
            yield here
        elif isinstance(value, list):
            for block in value:
                if isinstance(block, dict):
                    yield from attribute_empty_strings(block, here)
