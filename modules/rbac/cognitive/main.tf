# The data-plane role of each service only: every management role (and Cognitive Services User) can list keys.
locals {
  data_plane_role = {
    openai = ["Cognitive Services OpenAI User"]
    speech = ["Cognitive Services Speech User"]
  }
}

module "assignment" {
  source = "../assignment"

  caller        = "modules/rbac/cognitive"
  scope_kind    = "Cognitive Services account"
  allowed_roles = local.data_plane_role[var.service]
  scope_id      = var.scope_id
  assignments   = var.assignments
}

# State written before the core module existed: move each assignment instead of destroying and recreating it.
moved {
  from = azurerm_role_assignment.this
  to   = module.assignment.azurerm_role_assignment.this
}
