terraform {
  # 1.7: terraform test with mock_provider/override_data; OpenTofu 1.8 reads this the same way.
  required_version = ">= 1.7"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }
  }
}
