# Two turns of one conversation. The second continues the first by its ID: the API brings the first's
# input and answer, so the second sends only its own question (and its own instructions: those of the
# first are not carried over).
module "first" {
  source       = "../../modules/response"
  model        = "gpt-4o-mini"
  instructions = "You are a terse SRE."
  input        = "Name one cause of a rising p99 latency."
}

module "follow_up" {
  source               = "../../modules/response"
  model                = "gpt-4o-mini"
  previous_response_id = module.first.id
  instructions         = "You are a terse SRE. Answer with one command."
  input                = "How would I confirm it on a Linux host?"
}
