# chat_completions at plan, with the provider mocked: what the module sends the helper (the query), and the
# rules HCL keeps because the helper cannot see them (the helper checks every other rule:
# tests/chat_completions/). Run with `terraform test` or `tofu test` in modules/chat_completions; tests/e2e
# runs both files on the current versions and the floors.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        results = "{}"
        usage   = "{\"completion_tokens\":0,\"prompt_tokens\":0,\"total_tokens\":0}"
      }
    }
  }
}

variables {
  model = "gpt-4o"
  requests = {
    a = { messages = [{ role = "user", content = "first" }] }
    b = { messages = [{ role = "user", content = "second" }], temperature = 0.5, regenerate = "2" }
  }
}

run "each_key_sends_only_what_it_sets_and_the_block_its_defaults" {
  command = plan

  variables {
    max_concurrency = 4
  }

  assert {
    condition     = join(",", sort(keys(data.external.chat_completions.query))) == "cache_mode,flow,max_concurrency,model,requests"
    error_message = "the query must hold the block's inputs that were set, the settings with defaults and the requests"
  }

  assert {
    condition     = keys(jsondecode(data.external.chat_completions.query.requests).a) == ["messages"] && keys(jsondecode(data.external.chat_completions.query.requests).b) == ["messages", "regenerate", "temperature"]
    error_message = "a key's inputs left null must not be sent"
  }
}

run "an_empty_map_plans" {
  command = plan

  variables {
    requests = {}
  }

  assert {
    condition     = data.external.chat_completions.query.requests == "{}" && length(output.results) == 0 && length(output.contents) == 0
    error_message = "an empty map sends an empty map and gives empty outputs"
  }
}

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [data.external.chat_completions]
}

run "flex_fallback_and_prompt_cache_retention_travel_and_timeout_is_left_to_the_helper" {
  command = plan

  variables {
    service_tier           = "flex"
    flex_fallback          = true
    prompt_cache_retention = "24h"
  }

  assert {
    condition     = data.external.chat_completions.query.flex_fallback == "true" && data.external.chat_completions.query.prompt_cache_retention == "\"24h\""
    error_message = "flex_fallback and prompt_cache_retention travel JSON-encoded"
  }

  assert {
    condition     = !contains(keys(data.external.chat_completions.query), "timeout_seconds")
    error_message = "timeout_seconds left null is not sent: the helper's default is 120, or 900 for Flex"
  }
}
