output "runbook" {
  description = "The answer. Sensitive: read it with terraform output -raw runbook."
  value       = module.runbook.content
  sensitive   = true
}

output "provenance" {
  description = "What answered, and the request's stable fingerprint."
  value = {
    model              = module.runbook.model
    service_tier       = module.runbook.service_tier
    system_fingerprint = module.runbook.system_fingerprint
    request_sha256     = module.runbook.request_sha256
    finish_reason      = module.runbook.finish_reason
  }
}
