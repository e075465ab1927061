module "answer" {
  source       = "../../modules/response"
  model        = "gpt-4o-mini"
  instructions = "Answer in two sentences, for an engineer new to AWS."
  input        = "What does a NAT gateway do?"
  metadata     = { example = "response_basic" }
}
