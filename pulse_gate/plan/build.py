"""Plan -> Model: what will exist after apply, in the form the HCL front-end gives the rules.

- Values: `resource_changes[].change.after` (planned_values / prior_state for instances without a change entry).
  null means "not set", as in HCL, so the rules apply the azurerm 4.x default; so does the `""` the provider writes
  for a string the configuration leaves out (plandata.unset_by_provider).
- Unknown (`after_unknown`): a computed attribute the configuration does not write is left out (as in HCL); one it
  does write is traced through the configuration (refs.py) to a Ref(address, path) when exactly one resource
  attribute can be its origin, else taken from the HCL cross-check when that agrees, else Unknown with the reason.
- Known values that are another resource's computed attribute (a principal id, a resource id, an endpoint) become the
  same Ref the HCL front-end yields, when the configuration's references and the plan's values agree.
- Sensitive values stay usable by the rules; a sensitive scalar set from references (not a literal in the code)
  becomes Unknown, as a TF_VAR input does in HCL. Printing is the renderers' business: they never show them.
"""
from __future__ import annotations

from ..model import Model, Resource, Variable
from ..values import Ref, Unknown
from .addresses import AddressError, group_references, tokenize
from .crosscheck import CrossCheck
from .plandata import Instance, Plan, is_expression, matchable, unset_by_provider, writes_empty_string
from .refs import Resolution, Resolver

OMIT = object()
NOT_FROM_A_PLAN = ("PL002",)    # the backend block is not part of a plan's JSON; the HCL front-end checks it

# Names older azurerm versions used for what the rules read under the 4.x name (filled in only when the 4.x name is
# absent), so that a plan written by an older provider is judged on its values.
LEGACY_NAMES = {
    "azurerm_storage_account": {"enable_https_traffic_only": "https_traffic_only_enabled",
                                "allow_blob_public_access": "allow_nested_items_to_be_public"},
}


def _sub(marks, key):
    if marks is True:
        return True
    if isinstance(marks, dict):
        return marks.get(key, False)
    if isinstance(marks, list) and isinstance(key, int) and 0 <= key < len(marks):
        return marks[key]
    return False


def _descend(cfg, inherited, key, top: bool):
    if inherited is not None:
        return None, inherited
    if top:
        return (cfg.get(key) if isinstance(cfg, dict) else None), None
    if is_expression(cfg):
        return None, cfg
    if isinstance(cfg, dict):
        return cfg.get(key), None
    if isinstance(cfg, list) and isinstance(key, int):
        return (cfg[key] if key < len(cfg) else None), None
    return None, None


def _tokens(path: str):
    try:
        return tokenize(path) if path else []
    except AddressError:
        return None


def _among(ref: Ref, cands) -> bool:
    """Whether a reference is one of the plan's candidates, or an attribute of one: a module output that passes a
    whole for_each resource (`azurerm_private_dns_zone.private_endpoints`) makes the object the candidate, and the
    HCL's `...private_endpoints["vault"].id` is an attribute of it."""
    for address, path in cands:
        if address == ref.address and (not path or ref.path == path or ref.path.startswith((f"{path}.", f"{path}["))):
            return True
    return False


def _describe_candidates(cands) -> str:
    names = [f"{a}.{p}" if p else a for a, p in sorted(cands)]
    return " or ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")


class Builder:
    def __init__(self, plan: Plan, env: str, cross: CrossCheck | None = None):
        self.plan, self.env, self.cross = plan, env, cross
        self.resolver = Resolver(plan)
        self.attributions: dict = {}      # (address, path) -> how an unknown value was attributed (for the review)

    # -- the model
    def model(self) -> Model:
        plan = self.plan
        model = Model(env=self.env, root=plan.doc.path)
        for address in sorted(plan.instances):
            inst = plan.instances[address]
            if inst.after is None:
                continue
            model.resources.append(self.resource(inst))
        model.providers = self._providers()
        model.variables = self._variables()
        model.root_values = self._root_values()
        return model

    def resource(self, inst: Instance) -> Resource:
        config = self.plan.config_of(inst)
        ctx = self.resolver.resource_ctx(inst.addr.module, config)
        exprs = (config or {}).get("expressions") or {}
        state = (inst, config, ctx)
        values = self._convert(state, inst.after, inst.after_unknown, inst.after_sensitive, exprs, None, (), True)
        values = values if isinstance(values, dict) else {}
        for old, new in LEGACY_NAMES.get(inst.type, {}).items():
            if old in values and new not in values:
                values[new] = values[old]
        # Provisioners are configuration, not state: the plan's `configuration` lists them in order, with their
        # kind, as the HCL front-end keeps them (PL006 judges the kind only).
        provisioners = (config or {}).get("provisioners") or []
        if provisioners:
            values["provisioner"] = [{"type": p.get("type", "")} for p in provisioners]
        file, line, lines, origins = self.plan.doc.name, 0, {}, {}
        hcl = self.cross.resource(inst.address) if self.cross else None
        if hcl is not None:
            file, line, lines = hcl.file, hcl.line, dict(hcl.lines)
            probe = Resource(inst.address, inst.type, inst.name, "", inst.mode, values, file, line)
            origins = {path: srcs for path, srcs in hcl.origins.items() if probe.lookup(path) == hcl.lookup(path)}
        return Resource(address=inst.address, type=inst.type, name=inst.name, module=inst.module_address,
                        mode=inst.mode, values=values, file=file, line=line, lines=lines, origins=origins)

    def _convert(self, state, value, unknown, sensitive, cfg, inherited, tokens, top=False):
        if unknown is True:
            return self._unknown(state, tokens, inherited if inherited is not None else cfg)
        if isinstance(value, dict) or (value is None and isinstance(unknown, dict)):
            value = value or {}
            out = {}
            keys = set(value) | (set(unknown) if isinstance(unknown, dict) else set())
            # the resource itself or a nested block (a list element): its keys are schema attributes; any other
            # object is a map argument (app_settings, tags) whose entries are data
            attributes = top or (bool(tokens) and isinstance(tokens[-1], tuple))
            for k in sorted(keys):
                child_cfg, child_inh = _descend(cfg, inherited, k, top)
                written = writes_empty_string(child_cfg, ()) or self._hcl_has_empty(state[0], tokens + (k,))
                if attributes and unset_by_provider(value.get(k), written):
                    continue          # the provider's "" for a string left out: absent, as in HCL
                v = self._convert(state, value.get(k), _sub(unknown, k), _sub(sensitive, k), child_cfg, child_inh,
                                  tokens + (k,))
                if v is OMIT or v is None:
                    continue
                out[k] = v
            return out
        if isinstance(value, list):
            out = []
            for i, item in enumerate(value):
                child_cfg, child_inh = _descend(cfg, inherited, i, False)
                v = self._convert(state, item, _sub(unknown, i), _sub(sensitive, i), child_cfg, child_inh,
                                  tokens + ((i,),))
                out.append(Unknown("known after apply") if v is OMIT else v)
            return out
        if value is None:
            return None
        return self._known(state, tokens, value, inherited if inherited is not None else cfg, sensitive is True,
                           own=inherited is None)

    def _hcl_has_empty(self, inst: Instance, tokens) -> bool:
        """With the HCL at hand: whether it gives this attribute the value `""` (an expression that evaluates to it,
        e.g. a local), so the plan's `""` is that value and not the provider's zero for a null."""
        hcl = self.cross.resource(inst.address) if self.cross else None
        return hcl is not None and hcl.lookup(".".join(t for t in tokens if not isinstance(t, tuple))) == ""

    def _resolve(self, state, expr) -> tuple[Resolution, set]:
        _, _, ctx = state
        res = self.resolver.expression(expr, ctx)
        return res, self.resolver.instances(res)

    def _unknown(self, state, tokens, expr):
        inst, config, _ = state
        if expr is None:
            if config is not None:
                return OMIT        # computed, not written in the configuration: absent, as in HCL
            return Unknown("known after apply (the plan has no configuration for this resource)")
        if not is_expression(expr):
            return Unknown("known after apply")
        res, cands = self._resolve(state, expr)
        if len(cands) == 1 and res.complete:
            address, path = next(iter(cands))
            self.attributions[(inst.address, tokens)] = "configuration"
            return Ref(address, path)
        if self.cross is not None:
            found, hv = self.cross.value(inst.address, tokens)
            if found and isinstance(hv, (Ref, Unknown)):
                refs = [hv] if isinstance(hv, Ref) else list(hv.refs)
                if not res.complete or (refs and all(_among(r, cands) for r in refs)):
                    self.attributions[(inst.address, tokens)] = "hcl"
                    return hv
        reason = "known after apply"
        if cands:
            reason += f"; from {_describe_candidates(cands)}"
        if res.gaps:
            reason += f"; the plan cannot show {res.gaps[0]}" if cands else f": the plan cannot show {res.gaps[0]}"
        return Unknown(reason, refs=tuple(Ref(a, p) for a, p in sorted(cands)))

    def _known(self, state, tokens, value, expr, sensitive: bool, own: bool = True):
        inst, config, _ = state
        has_refs = is_expression(expr) and bool(expr.get("references"))
        if matchable(value):
            ref = None
            if has_refs:
                res, cands = self._resolve(state, expr)
                matched = sorted(c for c in cands if self._equals(c, value))
                if len(matched) == 1:
                    ref = matched[0]
                elif not matched and not res.complete:
                    ref = self._global_match(inst, value)
            elif expr is not None and is_expression(expr) and "constant_value" not in expr:
                ref = self._global_match(inst, value)        # `{}`: a function of nothing the plan shows
            elif config is None:
                ref = self._global_match(inst, value)
            if ref is not None:
                return Ref(*ref)
        if sensitive and own and has_refs:
            heads = ", ".join(group_references(expr["references"])[:2])
            return Unknown(f"sensitive value from {heads}: the plan does not show whether it is a literal")
        return value

    def _equals(self, cand, value) -> bool:
        address, path = cand
        tokens = _tokens(path)
        if tokens is None or not tokens:
            return False
        found, v = self.plan.value(address, tokens, "after")     # what exists after apply, never the old object
        return found and v == value

    def _global_match(self, inst: Instance, value: str):
        found = {c for c in self.plan.computed_values().get(value, ()) if c[0] != inst.address}
        return next(iter(found)) if len(found) == 1 else None

    # -- the rest of the model
    def _expr_value(self, expr):
        if not is_expression(expr):
            return None
        if "constant_value" in expr:
            return expr["constant_value"]
        heads = group_references(expr.get("references") or [])
        if len(heads) == 1 and heads[0].startswith("var.") and heads[0].count(".") == 1:
            name = heads[0][4:]
            if self.plan.root_variable_sensitive(name):
                return Unknown(f"sensitive variable {name!r}")
            return self.plan.root_variable(name)
        return Unknown(f"from {', '.join(heads) or 'an expression'} (a provider argument the plan does not resolve)")

    def _block_values(self, exprs):
        out = {}
        for name, node in sorted((exprs or {}).items()):
            if isinstance(node, list):
                out[name] = [self._block_values(b) for b in node if isinstance(b, dict)]
            elif is_expression(node):
                v = self._expr_value(node)
                if v is not None:
                    out[name] = v
            elif isinstance(node, dict):
                out[name] = [self._block_values(node)]
        return out

    def _providers(self) -> list[Resource]:
        out = []
        for key, p in sorted((self.plan.configuration.get("provider_config") or {}).items()):
            if not isinstance(p, dict) or p.get("module_address") or ":" in key:
                continue
            name = p.get("name") or key.split(".")[0]
            alias = p.get("alias")
            address = f"provider.{name}" + (f".{alias}" if alias else "")
            values = self._block_values(p.get("expressions"))
            hcl = self.cross.provider(address) if self.cross else None
            file, line, lines = (hcl.file, hcl.line, dict(hcl.lines)) if hcl else (self.plan.doc.name, 0, {})
            out.append(Resource(address, f"provider.{name}", name, "", "provider", values, file, line, lines))
        return out

    def _variables(self) -> list[Variable]:
        out = []

        def walk(module, label):
            for name, decl in sorted(((module or {}).get("variables") or {}).items()):
                if not isinstance(decl, dict):
                    continue
                out.append(Variable(name, label, decl.get("sensitive") is True, "default" in decl, decl.get("default"),
                                    self.plan.doc.name, 0))
            for call_name, call in sorted(((module or {}).get("module_calls") or {}).items()):
                child = f"{label}.module.{call_name}" if label != "." else f"module.{call_name}"
                walk((call or {}).get("module"), child)

        walk(self.plan.configuration.get("root_module"), ".")
        return out

    def _root_values(self) -> dict:
        out = {}
        declared = (self.plan.configuration.get("root_module") or {}).get("variables") or {}
        given = self.plan.doc.data.get("variables") or {}
        hcl_values = self.cross.model.root_values if self.cross else {}
        for name in sorted(set(declared) | set(given)):
            if name in given and isinstance(given[name], dict):
                value = given[name].get("value")
                if self.plan.root_variable_sensitive(name):
                    value = Unknown(f"sensitive variable {name!r}: its value is not shown")
            else:
                value = Unknown(f"variable {name!r} is not recorded in the plan (ephemeral)")
            source = f"{self.plan.doc.name}:0"
            if name in hcl_values and hcl_values[name][0] == value:
                source = hcl_values[name][1]
            out[name] = (value, source)
        return out


def build(plan: Plan, env: str, cross: CrossCheck | None = None) -> tuple[Model, Builder]:
    builder = Builder(plan, env, cross)
    return builder.model(), builder
