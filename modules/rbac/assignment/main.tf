resource "azurerm_role_assignment" "this" {
  for_each = var.assignments

  scope                = var.scope_id
  role_definition_name = each.value.role_definition_name
  principal_id         = each.value.principal_id
  principal_type       = each.value.principal_type
  description          = each.value.description != null ? each.value.description : "${each.value.role_definition_name} for ${each.key} (${var.caller})"
}
