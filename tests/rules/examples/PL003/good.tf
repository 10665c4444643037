variable "api_token" {
  type      = string
  sensitive = true # supplied as TF_VAR_api_token by the pipeline
}

variable "tags_secret_map" {
  type      = map(string)
  sensitive = true
  default   = {} # empty: holds nothing
}
