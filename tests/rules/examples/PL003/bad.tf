variable "api_token" {
  type      = string
  sensitive = true
  default   = "not-a-real-token" # test fixture, not a secret
}
