"""An index over one plan: every resource instance with its before/after values, unknown and sensitive marks, and
the configuration the plan carries (module-relative resources, module calls, outputs, variables).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .addresses import AddressError, InstanceAddr, module_prefix, parse_instance, path_str
from .loader import PlanDoc

MIN_MATCH_LEN = 8     # shorter strings ("true", "LRS") are never matched to another resource's attribute by value


def matchable(value) -> bool:
    """Whether a string is distinctive enough to be traced to another resource's attribute by its value: an id, a
    GUID, an endpoint, a key - not a word like "Standard" that many attributes share."""
    return (isinstance(value, str) and len(value) >= MIN_MATCH_LEN and not value.isalpha()
            and (any(c.isdigit() for c in value) or any(c in "/:=." for c in value)))


@dataclass
class Instance:
    address: str
    addr: InstanceAddr
    mode: str
    type: str
    name: str
    module_address: str
    actions: tuple = ("no-op",)
    action_reason: str = ""
    replace_paths: tuple = ()
    before: object = None
    after: object = None
    after_unknown: object = False
    before_sensitive: object = False
    after_sensitive: object = False
    deposed: str = ""

    @property
    def exists_after(self) -> bool:
        return self.after is not None or (self.after_unknown is True)

    @property
    def action(self) -> str:
        """create | update | delete | replace | read | no-op"""
        acts = set(self.actions)
        if {"delete", "create"} <= acts:
            return "replace"
        for a in ("create", "delete", "update", "read"):
            if a in acts:
                return a
        return "no-op"


def _module_resources(module: dict | None):
    if not isinstance(module, dict):
        return
    for r in module.get("resources") or []:
        if isinstance(r, dict) and isinstance(r.get("address"), str):
            yield r
    for child in module.get("child_modules") or []:
        yield from _module_resources(child)


def _addr(address: str, mode: str | None, rtype: str | None, name: str | None) -> InstanceAddr:
    try:
        return parse_instance(address)
    except AddressError:
        return InstanceAddr((), mode or "managed", rtype or "?", name or address)


def leaves(value, prefix=()):
    """(path tokens, leaf) for every scalar in a value; lists index with (i,), dicts by key."""
    if isinstance(value, dict):
        for k in sorted(value):
            yield from leaves(value[k], prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, prefix + ((i,),))
    else:
        yield prefix, value


def mark_at(marks, tokens) -> bool:
    """Whether an after_unknown / *_sensitive structure marks this path (or a parent of it)."""
    cur = marks
    for t in tokens:
        if cur is True:
            return True
        key = t[0] if isinstance(t, tuple) else t
        if isinstance(cur, dict):
            cur = cur.get(key, False)
        elif isinstance(cur, list) and isinstance(key, int) and 0 <= key < len(cur):
            cur = cur[key]
        else:
            return False
    return cur is True


def value_at(value, tokens):
    """(found, value) at a path of tokens."""
    cur = value
    for t in tokens:
        key = t[0] if isinstance(t, tuple) else t
        if isinstance(cur, dict) and key in cur:
            cur = cur[key]
        elif isinstance(cur, list) and isinstance(key, int) and 0 <= key < len(cur):
            cur = cur[key]
        else:
            return False, None
    return True, cur


def is_expression(node) -> bool:
    return isinstance(node, dict) and set(node) <= {"constant_value", "references"}


def _template_constants(node):
    """For a configuration written in JSON syntax (.tf.json), Terraform reports a template string such as
    "${module.app.principal_id}" as `constant_value` *and* lists its references: the string is a template, not the
    value. An expression with references is never a constant, so the constant is dropped (in place)."""
    if isinstance(node, dict):
        if is_expression(node) and node.get("references") and "constant_value" in node:
            del node["constant_value"]
            return
        for value in node.values():
            _template_constants(value)
    elif isinstance(node, list):
        for value in node:
            _template_constants(value)


@dataclass
class Plan:
    doc: PlanDoc
    instances: dict = field(default_factory=dict)       # address -> Instance (current objects)
    deposed: list = field(default_factory=list)         # Instance of deposed objects (create_before_destroy leftovers)
    _computed: dict | None = None

    @classmethod
    def of(cls, doc: PlanDoc) -> "Plan":
        plan = cls(doc)
        data = doc.data
        _template_constants(data.get("configuration"))
        prior = {r["address"]: r for r in _module_resources((data.get("prior_state") or {}).get("values", {})
                                                              .get("root_module"))}
        planned = {r["address"]: r for r in _module_resources((data.get("planned_values") or {}).get("root_module"))}
        for rc in data.get("resource_changes") or []:
            if not isinstance(rc, dict) or not isinstance(rc.get("address"), str):
                continue
            change = rc.get("change") or {}
            inst = Instance(
                address=rc["address"], addr=_addr(rc["address"], rc.get("mode"), rc.get("type"), rc.get("name")),
                mode=rc.get("mode") or "managed", type=rc.get("type") or "?", name=rc.get("name") or "?",
                module_address=rc.get("module_address") or "",
                actions=tuple(change.get("actions") or ("no-op",)), action_reason=rc.get("action_reason") or "",
                replace_paths=tuple(tuple(p) for p in change.get("replace_paths") or () if isinstance(p, list)),
                before=change.get("before"), after=change.get("after"),
                after_unknown=change.get("after_unknown", False),
                before_sensitive=change.get("before_sensitive", False),
                after_sensitive=change.get("after_sensitive", False), deposed=rc.get("deposed") or "")
            if inst.deposed:
                plan.deposed.append(inst)
            else:
                plan.instances[inst.address] = inst
        for source in (planned, prior):
            for address, r in sorted(source.items()):
                if address in plan.instances:
                    continue
                values = r.get("values")
                plan.instances[address] = Instance(
                    address=address, addr=_addr(address, r.get("mode"), r.get("type"), r.get("name")),
                    mode=r.get("mode") or "managed", type=r.get("type") or "?", name=r.get("name") or "?",
                    module_address=r.get("module_address") or "",
                    before=values if source is prior else None, after=values,
                    before_sensitive=r.get("sensitive_values", False), after_sensitive=r.get("sensitive_values", False))
        for inst in plan.instances.values():
            if not inst.module_address:
                inst.module_address = module_prefix(inst.addr.module)
        return plan

    # -- configuration
    @property
    def configuration(self) -> dict:
        return self.doc.data.get("configuration") or {}

    def config_module(self, names: tuple) -> dict | None:
        module = self.configuration.get("root_module")
        for name in names:
            if not isinstance(module, dict):
                return None
            call = (module.get("module_calls") or {}).get(name)
            module = call.get("module") if isinstance(call, dict) else None
        return module if isinstance(module, dict) else None

    def module_call(self, names: tuple) -> dict | None:
        """The module call block of the module at names (names[:-1] is its caller)."""
        if not names:
            return None
        parent = self.config_module(names[:-1])
        call = (parent or {}).get("module_calls", {}).get(names[-1]) if parent else None
        return call if isinstance(call, dict) else None

    def resource_config(self, module_names: tuple, config_address: str) -> dict | None:
        module = self.config_module(module_names)
        for r in (module or {}).get("resources") or []:
            if isinstance(r, dict) and r.get("address") == config_address:
                return r
        return None

    def config_of(self, inst: Instance) -> dict | None:
        return self.resource_config(inst.addr.config_module, inst.addr.config_address)

    def root_variable(self, name: str):
        var = (self.doc.data.get("variables") or {}).get(name)
        return var.get("value") if isinstance(var, dict) else None

    def root_variable_sensitive(self, name: str) -> bool:
        decl = ((self.configuration.get("root_module") or {}).get("variables") or {}).get(name)
        return isinstance(decl, dict) and decl.get("sensitive") is True

    # -- values
    def value(self, address: str, tokens, which: str = "after"):
        """(found, value) of an instance attribute, after the plan (or before it); unknown values are not found."""
        inst = self.instances.get(address)
        if inst is None:
            return False, None
        if which == "after":
            if mark_at(inst.after_unknown, tokens):
                return False, None
            return value_at(inst.after, tokens)
        return value_at(inst.before, tokens)

    def computed_values(self) -> dict:
        """str value -> {(address, path)} for attributes the configuration does not set (ids, principal ids, keys,
        endpoints) after the plan: what a known value can be traced back to. Values of objects the plan destroys or
        replaces are not in it: a value equal to one of those belongs to the old object, not to the new one."""
        if self._computed is not None:
            return self._computed
        index: dict[str, set] = {}
        for inst in self.instances.values():
            cfg = self.config_of(inst)
            exprs = (cfg or {}).get("expressions") or {}
            for side in (inst.after,):
                for tokens, leaf in leaves(side):
                    if not matchable(leaf) or not tokens:
                        continue
                    if mark_at(inst.after_unknown, tokens):
                        continue
                    if cfg is not None and written(exprs, tokens):
                        continue
                    if cfg is None and not _well_known_computed(tokens):
                        continue
                    index.setdefault(leaf, set()).add((inst.address, path_str(tokens)))
        self._computed = index
        return index


def _configuration_at(exprs, tokens) -> tuple[object, bool]:
    """(the configuration's expression for this attribute, or None; whether an enclosing expression - a whole block
    or object given by one - covers it instead)."""
    node = exprs
    for i, t in enumerate(tokens or ()):
        if i and is_expression(node):
            return None, True
        if isinstance(t, tuple):
            if not (isinstance(node, list) and isinstance(t[0], int)):
                return None, is_expression(node)
            node = node[t[0]] if t[0] < len(node) else None
        elif isinstance(node, dict):
            node = node.get(t)
        else:
            return None, False
        if node is None:
            return None, False
    return node, False


def written(exprs, tokens) -> bool:
    """Whether the configuration writes this attribute (or a block/attribute containing it)."""
    node, covered = _configuration_at(exprs, tokens)
    return covered or node is not None


def writes_empty_string(exprs, tokens) -> bool:
    """Whether the configuration writes the literal `""` at this attribute (a constant, no references)."""
    node, covered = _configuration_at(exprs, tokens)
    return not covered and is_expression(node) and node.get("constant_value") == "" and not node.get("references")


def unset_by_provider(value, configured: bool) -> bool:
    """Whether a planned value is the provider's zero value for a string the configuration leaves out: "not set".

    azurerm writes `""`, not null, for many unset strings, per attribute:
    - typed-SDK resources (the web and function apps, service plan, cognitive deployment, ...) write every field of
      their model: `metadata.Encode` sets a Go `string` field as is, so an unset one is `""`
      (terraform-provider-azurerm internal/sdk/resource_encode.go; e.g. LinuxFunctionAppModel.StorageAccountKey and
      StorageKeyVaultSecretID, internal/services/appservice/linux_function_app_resource.go);
    - untyped resources write `""` where Read sets `pointer.From(p)` (storage account `allowed_copy_scope`,
      `edge_zone`; resource group `managed_by`; virtual network `bgp_community`, both seen in the real plans of
      ../shared/plans) and null where it sets the pointer itself (public IP `domain_name_label`), or never sets the
      attribute (PostgreSQL `administrator_password`: the API does not return it).
    A create plan shows null (nothing in state yet); once applied, state holds `""`, and an update plan repeats it in
    `before` and `after`: the SDK counts null and `""` as the same value and plans the prior state unchanged
    (terraform-plugin-sdk helper/schema/grpc_provider.go PlanResourceChange, hcl2shim.ValuesSDKEquivalent).
    So `""` for an argument the configuration does not write is exactly what the HCL front-end models as absent.
    It never stands for a value Azure reported: an argument with a schema default that is left out is planned with
    that default in `after` (the SDK diffs `""` against it), so only arguments without one can show `""` there.
    A `""` the configuration writes as a literal stays `""` (the HCL model has it too; `configured` says so), and so
    does any other value: only the empty string counts, never a key, an id or `false`. Where an expression writes
    the attribute, a plan cannot tell whether it gave `""` or null (`var.kind == "OpenAI" ? "AzureServices" : null`:
    the SDK stores both as `""`): with the HCL at hand its value decides (the caller passes `configured` when the
    HCL has `""`), without it the `""` is "not set", as the SDK treats it. Map entries (app_settings, tags) are data, not attributes:
    the caller never asks about them.
    """
    return value == "" and not configured


def _well_known_computed(tokens) -> bool:
    names = [t for t in tokens if not isinstance(t, tuple)]
    return bool(names) and (names == ["id"] or names[-1] in ("principal_id", "object_id", "tenant_id", "client_id"))
