variable "storage_use_managed_identity" {
  type    = bool
  default = false
}
