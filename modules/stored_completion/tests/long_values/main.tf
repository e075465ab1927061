# Test values too long to write out, for validation.tftest.hcl's runs.
output "completion_id_257_characters" {
  value = "chatcmpl-${join("", [for i in range(248) : "a"])}"
}

output "metadata_17_pairs" {
  value = { for i in range(17) : "key${i}" => "value" }
}

output "metadata_key_65_characters" {
  value = { (join("", [for i in range(65) : "k"])) = "value" }
}

output "metadata_value_513_characters" {
  value = { category = join("", [for i in range(513) : "v"]) }
}
