"""The HCL front-end: a Terraform root plus one environment's tfvars and backend config -> Model."""
from __future__ import annotations

import os

from ..errors import InputError
from ..model import Model, Resource, VarAssignment, Variable
from ..values import Unknown
from . import syntax as S
from .evaluator import EvalError, Evaluator, Instance, Scope, key_suffix
from .functions import FunctionError
from .loader import Loader

ENVS_DIR = "envs"


class _Constants(Evaluator):
    """Evaluates tfvars and backend.hcl, where Terraform allows only constant expressions."""

    def _e_Name(self, node, scope):
        if node.name in scope.names:
            return scope.names[node.name]
        raise InputError(f'"{node.name}" is not allowed here: only constant values', self.current_file, node.line,
                         "write the value itself")


def _constants(path: str, display: str) -> list[tuple[str, object, int]]:
    body = S.parse_file(path, display)
    ev = _Constants(None)
    ev.current_file = display
    out = []
    for name, attr in body.attributes.items():
        try:
            out.append((name, ev.eval(attr.expr, Scope(None)), attr.line))
        except (EvalError, FunctionError) as exc:
            raise InputError(f'invalid value for "{name}": {exc}', display, attr.line) from None
    for block in body.blocks:
        raise InputError(f'unexpected block "{block.type}" in a values file', display, block.line,
                         "a tfvars or backend file holds only name = value lines")
    return out


class Project:
    """One Terraform root; parsed once, evaluated per environment."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            raise InputError("Terraform root directory does not exist", root)
        self.loader = Loader(self.root)
        self.rootdef = self.loader.load(self.root)

    def rel(self, path: str) -> str:
        return self.loader.rel(path)

    def environments(self) -> list[str]:
        envs = os.path.join(self.root, ENVS_DIR)
        if not os.path.isdir(envs):
            return []
        return sorted(d for d in os.listdir(envs) if os.path.isfile(os.path.join(envs, d, "terraform.tfvars")))

    def env_model(self, env: str) -> Model:
        known = self.environments()
        if env not in known:
            raise InputError(f'unknown environment "{env}"', f"{ENVS_DIR}/",
                             hint=f"choose one of: {', '.join(known) or '(none: add envs/<env>/terraform.tfvars)'}")
        env_dir = os.path.join(self.root, ENVS_DIR, env)
        backend = os.path.join(env_dir, "backend.hcl")
        return self.model(env, [os.path.join(env_dir, "terraform.tfvars")],
                          backend if os.path.isfile(backend) else None)

    def auto_var_files(self) -> list[str]:
        """terraform.tfvars and *.auto.tfvars in the root, which Terraform reads without being asked."""
        names = sorted(os.listdir(self.root))
        files = [n for n in names if n == "terraform.tfvars"] + [n for n in names if n.endswith(".auto.tfvars")]
        return [os.path.join(self.root, n) for n in files]

    def model(self, env: str, var_files: list[str], backend_file: str | None = None) -> Model:
        tfvars = self._read_tfvars(var_files)
        hint = self.rel(var_files[-1]) if var_files else "a tfvars file (--var-file)"
        ev = Evaluator(self.loader, hint)
        inputs = {a.name: _fixed(a.value, [f"{a.file}:{a.line}"]) for a in tfvars}
        root = ev.root_instance(inputs)
        model = Model(env=env, root=self.root, tfvars=tfvars)
        self._walk(root, model)
        model.providers = [self._provider(root, b, ev) for b in self.rootdef.providers]
        model.backend = self._backend(backend_file)
        model.variables = self._variables()
        for name in self.rootdef.variables:
            value = root.var(name, None)
            source = next((f"{a.file}:{a.line}" for a in reversed(tfvars) if a.name == name), None)
            if source is None:
                block = self.rootdef.variables[name]
                default = block.body.attributes.get("default")
                source = f"{block.file}:{default.line if default else block.line}"
            model.root_values[name] = (value, source)
        model.unevaluated = list(ev.unevaluated)
        return model

    # -- pieces
    def _read_tfvars(self, var_files: list[str]) -> list[VarAssignment]:
        out = []
        for path in var_files:
            display = self.rel(path) if os.path.abspath(path).startswith(self.root) else path
            if not os.path.isfile(path):
                raise InputError("variables file not found", display, hint="check the --var-file path")
            for name, value, line in _constants(path, display):
                if name not in self.rootdef.variables:
                    raise InputError(f'"{name}" is set here but no variable "{name}" is declared', display, line,
                                     f"declare it in {self.rootdef.file('variables.tf')} or remove the line")
                out.append(VarAssignment(name, value, display, line))
        return out

    def _walk(self, inst: Instance, model: Model):
        mdef = inst.mdef
        for (mode, rtype, name), block in sorted(mdef.resources.items()):
            for key, (values, lines, origins) in inst.expand_resource(mode, rtype, name).items():
                suffix = "[?]" if key == "?" else key_suffix(key)
                model.resources.append(Resource(
                    address=inst.address(mode, rtype, name) + suffix, type=rtype, name=name, module=inst.prefix,
                    mode=mode, values=values, file=block.file, line=block.line, lines=lines, origins=origins))
        # Terraform evaluates every variable, local and output, used or not: a cycle, an undeclared name or a
        # missing module argument there is an error even when nothing reads the value.
        for kind, names in (("var", mdef.variables), ("local", mdef.locals), ("output", mdef.outputs)):
            for name in sorted(names):
                try:
                    getattr(inst, kind)(name, None)
                except (EvalError, FunctionError):
                    pass   # a plan-time error in an unused value: an Unknown wherever it is read
        model.rejected_inputs.extend(self._failed_validations(inst))
        for call in sorted(mdef.module_calls):
            children = inst.child_modules(call)
            if isinstance(children, dict):
                for key in children:
                    self._walk(children[key], model)

    @staticmethod
    def _failed_validations(inst: Instance) -> list[tuple[str, str, int, str]]:
        """Variable validations that fail for the value this instance got: Terraform would refuse to plan.

        A condition the gate cannot decide (unknown until apply, or beyond the evaluator) is left to Terraform."""
        failed = []
        for name, block in sorted(inst.mdef.variables.items()):
            for check in block.body.blocks_of("validation"):
                cond_attr = check.body.attributes.get("condition")
                if cond_attr is None:
                    continue
                if inst.ev.eval_attr(cond_attr, Scope(inst), block.file) is not False:
                    continue
                msg_attr = check.body.attributes.get("error_message")
                message = inst.ev.eval_attr(msg_attr, Scope(inst), block.file) if msg_attr else None
                address = f"{inst.prefix}.var.{name}" if inst.prefix else f"var.{name}"
                failed.append((address, block.file, check.line,
                               message if isinstance(message, str) else "the validation condition is false"))
        return failed

    def _provider(self, root: Instance, block: S.Block, ev: Evaluator) -> Resource:
        name = block.labels[0] if block.labels else "?"
        lines, origins = {}, {}
        values = ev.eval_body(block.body, Scope(root), "", lines, origins, top=True, file=block.file)
        alias = values.get("alias")
        address = f"provider.{name}" + (f".{alias}" if isinstance(alias, str) else "")
        return Resource(address, f"provider.{name}", name, "", "provider", values, block.file, block.line,
                        lines, origins)

    def _backend(self, backend_file: str | None) -> Resource | None:
        blocks = self.rootdef.backends
        if not blocks:
            return None
        block = blocks[0]
        kind = block.labels[0] if block.labels else "?"
        ev = _Constants(None)
        ev.current_file = block.file
        values, lines = {}, {}
        for name, attr in block.body.attributes.items():
            values[name], lines[name] = ev.eval(attr.expr, Scope(None)), attr.line
        file, line = block.file, block.line
        if backend_file:
            file, line = self.rel(backend_file), 1
            for name, value, at in _constants(backend_file, file):
                values[name], lines[name] = value, at
        return Resource(f"terraform.backend.{kind}", f"backend.{kind}", kind, "", "backend", values, file, line,
                        lines)

    def _variables(self) -> list[Variable]:
        out = []
        for mdef in self.loader.loaded():
            for name, block in sorted(mdef.variables.items()):
                attrs = block.body.attributes
                sensitive = Instance._sensitive(block)
                default = attrs.get("default")
                value = None
                if default is not None:
                    ev = _Constants(None)
                    ev.current_file = block.file
                    try:
                        value = ev.eval(default.expr, Scope(None))
                    except InputError:
                        value = Unknown("default refers to other values")
                out.append(Variable(name, mdef.rel, sensitive, default is not None, value, block.file,
                                    default.line if default is not None else block.line))
        return out


def _fixed(value, sources):
    return lambda: (value, sources)
