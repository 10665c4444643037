module "assignment" {
  source = "../assignment"

  caller        = "modules/rbac/monitoring"
  scope_kind    = "Application Insights component"
  allowed_roles = ["Monitoring Metrics Publisher"]
  scope_id      = var.scope_id
  assignments   = var.assignments
}

# State written before the core module existed: move each assignment instead of destroying and recreating it.
moved {
  from = azurerm_role_assignment.this
  to   = module.assignment.azurerm_role_assignment.this
}
