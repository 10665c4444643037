variable "name" {
  description = "Name of the target resource: the endpoints are named pe-<name>-<key>, their connections psc-<name>-<key>."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the private endpoints."
  type        = string
}

variable "location" {
  description = "Azure region of the private endpoints (the VNet's)."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the private endpoints; required when endpoints is not empty."
  type        = string
  default     = null

  validation {
    condition     = length(var.endpoints) == 0 || var.subnet_id != null
    error_message = "subnet_id is required when endpoints is not empty."
  }
}

variable "target_resource_id" {
  description = "Resource id of the one resource the endpoints connect to."
  type        = string
}

variable "endpoints" {
  description = "One private endpoint per key (e.g. blob, vault, account): the target's sub-resource (group id) and the key in private_dns_zone_ids of the privatelink zone its record goes to. Empty: no endpoint (public access stays governed by the target)."
  type = map(object({
    subresource_name = string
    private_dns_zone = string
  }))
  default  = {}
  nullable = false
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone ids keyed by zone purpose (modules/network's private_endpoint_dns_zone_ids)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for e in values(var.endpoints) : contains(keys(var.private_dns_zone_ids), e.private_dns_zone)])
    error_message = "private_dns_zone_ids must have an entry for each endpoint's private_dns_zone (${join(", ", distinct([for e in values(var.endpoints) : e.private_dns_zone]))})."
  }
}

variable "tags" {
  description = "Tags of the private endpoints."
  type        = map(string)
  default     = {}
  nullable    = false
}
