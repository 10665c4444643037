locals {
  # /24 subnets whatever the VNet prefix (validated to /16../20).
  subnet_newbits = 24 - tonumber(split("/", var.address_space)[1])

  subnet_prefixes = {
    app               = cidrsubnet(var.address_space, local.subnet_newbits, 1)
    postgres          = cidrsubnet(var.address_space, local.subnet_newbits, 2)
    private_endpoints = cidrsubnet(var.address_space, local.subnet_newbits, 3)
  }

  # Private DNS zones of the private endpoints, keyed by the name the service modules look up.
  private_endpoint_dns_zones = {
    blob   = "privatelink.blob.core.windows.net"
    queue  = "privatelink.queue.core.windows.net"
    table  = "privatelink.table.core.windows.net"
    openai = "privatelink.openai.azure.com"
    vault  = "privatelink.vaultcore.azure.net"
    # Every other Cognitive Services kind (Speech); OpenAI accounts resolve through the openai zone.
    cognitiveservices = "privatelink.cognitiveservices.azure.com"
  }
}

resource "azurerm_virtual_network" "main" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  address_space       = [var.address_space]
  tags                = var.tags
}

# App Service / Functions regional VNet integration (outbound traffic of both apps).
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [local.subnet_prefixes.app]

  delegation {
    name = "app-service"

    service_delegation {
      name    = "Microsoft.Web/serverFarms"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

# PostgreSQL Flexible Server VNet integration (private access).
resource "azurerm_subnet" "postgres" {
  name                 = "snet-postgres"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [local.subnet_prefixes.postgres]

  delegation {
    name = "postgres-flexible-server"

    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

# Private endpoints of storage, Key Vault and the Cognitive Services accounts (OpenAI, Speech).
resource "azurerm_subnet" "private_endpoints" {
  name                              = "snet-private-endpoints"
  resource_group_name               = var.resource_group_name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [local.subnet_prefixes.private_endpoints]
  private_endpoint_network_policies = "Disabled"
}

resource "azurerm_network_security_group" "main" {
  name                = "nsg-${var.name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "this" {
  for_each = {
    app               = azurerm_subnet.app.id
    postgres          = azurerm_subnet.postgres.id
    private_endpoints = azurerm_subnet.private_endpoints.id
  }

  subnet_id                 = each.value
  network_security_group_id = azurerm_network_security_group.main.id
}

resource "azurerm_private_dns_zone" "postgres" {
  name                = "privatelink.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  name                  = "${var.name}-postgres"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.postgres.name
  virtual_network_id    = azurerm_virtual_network.main.id
  registration_enabled  = false
  tags                  = var.tags
}

resource "azurerm_private_dns_zone" "private_endpoints" {
  for_each = var.private_endpoints_enabled ? local.private_endpoint_dns_zones : {}

  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "private_endpoints" {
  for_each = var.private_endpoints_enabled ? local.private_endpoint_dns_zones : {}

  name                  = "${var.name}-${each.key}"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.private_endpoints[each.key].name
  virtual_network_id    = azurerm_virtual_network.main.id
  registration_enabled  = false
  tags                  = var.tags
}
