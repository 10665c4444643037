locals {
  # One diagnostic setting per (target, setting) pair. Keys are static (target and setting names), so for_each works
  # while the target ids are still unknown at plan time.
  settings = {
    for pair in setproduct(sort(keys(var.target_resource_ids)), sort(keys(var.diagnostic_settings))) :
    "${pair[0]}-${pair[1]}" => merge(var.diagnostic_settings[pair[1]], {
      target_resource_id = var.target_resource_ids[pair[0]]
      name               = coalesce(var.diagnostic_settings[pair[1]].name, "diag-${pair[1]}")
    })
  }
}

# The only diagnostic setting resource of the configuration: every service module passes its AVM-style
# diagnostic_settings map and its target ids here.
resource "azurerm_monitor_diagnostic_setting" "this" {
  for_each = local.settings

  name                           = each.value.name
  target_resource_id             = each.value.target_resource_id
  log_analytics_workspace_id     = each.value.workspace_resource_id
  log_analytics_destination_type = each.value.log_analytics_destination_type

  dynamic "enabled_log" {
    for_each = each.value.log_categories
    content {
      category = enabled_log.value
    }
  }

  dynamic "enabled_log" {
    for_each = each.value.log_groups
    content {
      category_group = enabled_log.value
    }
  }

  # enabled_metric: azurerm 4.x's replacement of the deprecated metric block (removed in 5.0).
  dynamic "enabled_metric" {
    for_each = each.value.metric_categories
    content {
      category = enabled_metric.value
    }
  }
}
