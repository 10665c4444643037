"""Offline azurerm stand-in: a schema-only provider that lets real Terraform validate, plan and test this
repository without the registry. See docs/offline-terraform.md."""
