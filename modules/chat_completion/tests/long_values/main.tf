# Test values too long to write out, for validation.tftest.hcl's runs.
output "content_over_limit" {
  value = format("%1048577s", "x")
}

output "functions_over_128" {
  value = [for i in range(129) : { name = "f${i}", parameters = "{\"type\":\"object\"}" }]
}

output "metadata_17_pairs" {
  value = { for i in range(17) : "k${i}" => "v" }
}

output "metadata_key_65_characters" {
  value = { (format("%65s", "k")) = "v" }
}

output "metadata_value_513_characters" {
  value = { k = format("%513s", "v") }
}
