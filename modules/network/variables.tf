variable "name" {
  description = "Name of the virtual network (subnet, NSG and DNS link names derive from it)."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the network resources."
  type        = string
}

variable "location" {
  description = "Azure region of the virtual network."
  type        = string
}

variable "address_space" {
  description = "IPv4 CIDR of the VNet, /16 to /20. Three /24 subnets are carved from it (indexes 1, 2, 3)."
  type        = string

  validation {
    condition     = can(cidrhost(var.address_space, 0)) && can(regex("/(1[6-9]|20)$", var.address_space))
    error_message = "address_space must be an IPv4 CIDR with a prefix length between /16 and /20."
  }
}

variable "private_endpoints_enabled" {
  description = "Create the privatelink DNS zones (blob, queue, table, openai, vault, cognitiveservices) linked to the VNet, for the services' private endpoints."
  type        = bool
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
