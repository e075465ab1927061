locals {
  services = {
    billing  = "Charges customers and sends invoices."
    search   = "Indexes the catalogue and answers queries."
    payments = "Talks to the card networks."
  }
}

# One block, one helper call: every service's description is asked for at once (at most
# max_concurrency at a time), and each is cached as chat_completion would cache it.
module "descriptions" {
  source = "../../modules/chat_completions"

  model       = "gpt-4o-mini"
  temperature = 0.2
  max_tokens  = 60

  requests = {
    for name, purpose in local.services : name => {
      messages = [
        { role = "system", content = "You write one-sentence service descriptions for a service catalogue." },
        { role = "user", content = "Describe the ${name} service. What it does: ${purpose}" },
      ]
    }
  }
}
