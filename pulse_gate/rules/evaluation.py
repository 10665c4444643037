"""The gate's own limits as findings: what it could not read is not silently passed."""
from ..model import Resource
from .base import finding, rule


@rule("EV001", "everything_evaluated", "Every module the configuration calls is evaluated")
def unevaluated(model, policy):
    out = []
    for address, file, line, why in model.unevaluated:
        anchor = Resource(address, "module", address, "", "module", {}, file, line)
        out.append(finding("EV001", model, anchor, "", f"not evaluated: {why}",
                           "vendor the module into the repository (a local source) so the gate can read it"))
    return out


@rule("EV002", "variable_validations_pass", "Every variable value passes its validation (Terraform would refuse it)")
def validations(model, policy):
    out = []
    for address, file, line, message in model.rejected_inputs:
        anchor = Resource(address, "variable", address, "", "variable", {}, file, line)
        out.append(finding("EV002", model, anchor, "", f"Terraform would reject this value: {message}",
                           "give a value the validation accepts (and see why it was written)"))
    return out
