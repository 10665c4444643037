"""HCL front-end: parse Terraform once, evaluate it per environment into a Model."""
