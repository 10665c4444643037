"""The HCL front-end: a Terraform root plus one environment's tfvars and backend config -> Model."""
from __future__ import annotations

import os

from ..errors import InputError
from ..model import Model, Resource, VarAssignment, Variable
from ..values import Unknown
from . import nodes as S
from . import varvalues as V
from .evaluator import EvalError, Evaluator, Instance, Scope, key_suffix
from .functions import FunctionError
from .loader import Loader, config_extension

ENVS_DIR = "envs"
ENV_VARS_FILE = "terraform.tfvars"        # make plan ENV=<env>: -var-file=envs/<env>/terraform.tfvars
ENV_BACKEND_FILE = "backend.hcl"          # make plan ENV=<env>: -backend-config=envs/<env>/backend.hcl
# Files that look like Terraform input: in an environment directory only the two above are read by make plan.
_INPUT_SUFFIXES = (".tfvars", ".tfvars.json", ".hcl", ".tfbackend")


class Project:
    """One Terraform root; parsed once, evaluated per environment."""

    def __init__(self, root: str, environ: dict | None = None):
        self.root = os.path.abspath(root)
        self.environ = os.environ if environ is None else environ     # where TF_VAR_* are read from
        if not os.path.isdir(self.root):
            raise InputError("Terraform root directory does not exist", root)
        self.loader = Loader(self.root)
        self.rootdef = self.loader.load(self.root)

    def rel(self, path: str) -> str:
        return self.loader.rel(path)

    def environments(self) -> list[str]:
        """Every directory under envs/ is an environment, checked to hold what `make plan ENV=<env>` reads."""
        envs = os.path.join(self.root, ENVS_DIR)
        if not os.path.isdir(envs):
            return []
        out = []
        for name in sorted(os.listdir(envs)):
            path = os.path.join(envs, name)
            if name.startswith("."):
                continue
            if os.path.isdir(path):
                self._check_environment(name, path)
                out.append(name)
            elif _looks_like_input(name):
                raise InputError("no environment reads this file", f"{ENVS_DIR}/{name}",
                                 hint=f"move it to {ENVS_DIR}/<env>/{ENV_VARS_FILE} (or {ENV_BACKEND_FILE}) or remove it")
        return out

    def _check_environment(self, env: str, path: str):
        where = f"{ENVS_DIR}/{env}/"
        needed = [ENV_VARS_FILE] + ([ENV_BACKEND_FILE] if self.rootdef.backends else [])
        for name in needed:
            if not os.path.isfile(os.path.join(path, name)):
                raise InputError(f'environment "{env}" has no {name}', where,
                                 hint=f"make plan ENV={env} reads {where}{name}: restore it, or remove {where} if the "
                                 "environment is gone")
        for name in sorted(os.listdir(path)):
            if name not in (ENV_VARS_FILE, ENV_BACKEND_FILE) and _looks_like_input(name):
                raise InputError(f"make plan ENV={env} does not read this file", f"{where}{name}",
                                 hint=f"move its settings into {where}{ENV_VARS_FILE} (or {ENV_BACKEND_FILE}) and "
                                 "remove it, so that what the gate checks is what Terraform plans")

    def env_var_files(self, env: str) -> list[str]:
        """The var files `make plan ENV=<env>` makes Terraform read: the auto-loaded ones, then the env's file."""
        return self.auto_var_files() + [os.path.join(self.root, ENVS_DIR, env, ENV_VARS_FILE)]

    def env_model(self, env: str) -> Model:
        known = self.environments()
        if env not in known:
            raise InputError(f'unknown environment "{env}"', f"{ENVS_DIR}/",
                             hint=f"choose one of: {', '.join(known) or '(none: add envs/<env>/terraform.tfvars)'}")
        backend = os.path.join(self.root, ENVS_DIR, env, ENV_BACKEND_FILE)
        return self.model(env, self.env_var_files(env), backend if os.path.isfile(backend) else None)

    def auto_var_files(self) -> list[str]:
        """terraform.tfvars(.json) and *.auto.tfvars(.json) in the root, which Terraform reads without being asked."""
        return V.auto_var_files(self.root)

    def model(self, env: str, var_files: list[str], backend_file: str | None = None) -> Model:
        tfvars = V.assignments(var_files, self._display, self.rootdef.variables,
                               self.rootdef.file("variables.tf"))
        from_environment = V.environment_values(self.rootdef.variables, self.environ)
        given = from_environment + tfvars          # precedence order: a later value wins
        hint = self.rel(var_files[-1]) if var_files else "a tfvars file (--var-file)"
        ev = Evaluator(self.loader, hint)
        inputs = {a.name: _fixed(a.value, [a.source]) for a in given}
        root = ev.root_instance(inputs)
        model = Model(env=env, root=self.root, tfvars=tfvars, environment_values=from_environment)
        self._walk(root, model)
        model.providers = [self._provider(root, b, ev) for b in self.rootdef.providers]
        model.backend = self._backend(backend_file)
        model.variables = self._variables()
        for name in self.rootdef.variables:
            value = root.var(name, None)
            source = next((a.source for a in reversed(given) if a.name == name), None)
            if source is None:
                block = self.rootdef.variables[name]
                default = block.body.attributes.get("default")
                source = f"{default.file or block.file}:{default.line}" if default else f"{block.file}:{block.line}"
            model.root_values[name] = (value, source)
        model.unevaluated = list(ev.unevaluated)
        return model

    # -- pieces
    def _display(self, path: str) -> str:
        return self.rel(path) if os.path.abspath(path).startswith(self.root + os.sep) else path

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
            for child in inst.child_modules(call).values():
                if isinstance(child, Instance):
                    self._walk(child, model)

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
        kind = block.labels[0] if block.labels else block.type     # backend "azurerm" {}, or cloud {}
        values, lines = {}, {}
        for name, attr in block.body.attributes.items():
            values[name] = V.constant(attr.expr, block.file, name, attr.line)
            lines[name] = (block.file, attr.line)
        file, line = block.file, block.line
        if backend_file:
            file, line = self.rel(backend_file), 1
            for name, value, at in V.read_var_file(backend_file, file):
                values[name], lines[name] = value, (file, at)
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
                    try:
                        value = V.constant(default.expr, default.file or block.file, name, default.line)
                    except InputError:
                        value = Unknown("default refers to other values")
                file, line = (default.file or block.file, default.line) if default is not None \
                    else (block.file, block.line)
                out.append(Variable(name, mdef.rel, sensitive, default is not None, value, file, line))
        return out


def _fixed(value, sources):
    return lambda: (value, sources)


def _looks_like_input(name: str) -> bool:
    return bool(config_extension(name)) or name.endswith(_INPUT_SUFFIXES)
