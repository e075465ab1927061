# response at plan, with the provider mocked: what the module sends the helper (the query), and the rules
# HCL keeps because the helper cannot see them (the helper checks every other rule: tests/response/).
# Run with `terraform test` or `tofu test` in modules/response; tests/e2e runs both files on the current
# versions and the floors.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        id                = "\"resp_mock\""
        created_at        = "1700000000"
        status            = "\"completed\""
        model             = "\"gpt-4o\""
        output_text       = "\"mocked\""
        parsed            = "null"
        refusal           = "null"
        function_calls    = "[]"
        reasoning_summary = "null"
        output            = "[]"
        incomplete_reason = "null"
        usage             = "{\"cached_tokens\":0,\"input_tokens\":2,\"output_tokens\":1,\"reasoning_tokens\":0,\"total_tokens\":3}"
        service_tier      = "\"flex\""
        request_sha256    = "\"0000\""
      }
    }
  }
}

variables {
  model = "gpt-4o"
  input = "hi"
}

run "a_valid_request_plans_and_sends_only_what_was_set" {
  command = plan

  variables {
    temperature = 0.7
  }

  assert {
    condition     = join(",", sort(keys(data.external.response.query))) == "cache_mode,flow,input,model,temperature"
    error_message = "the query must hold the inputs that were set and the settings with defaults, nothing else"
  }

  assert {
    condition     = data.external.response.query.flow == "\"response\"" && data.external.response.query.temperature == "0.7"
    error_message = "the flow key names the response flow, and numbers travel JSON-encoded"
  }
}

run "every_request_input_travels_json_encoded_as_written" {
  command = plan

  variables {
    input = null
    input_items = [
      { role = "developer", content = "Answer briefly." },
      { role = "user", content = [{ type = "input_text", text = "hi" }, { type = "input_image", image_url = "https://example.com/a.png" }] },
      { type = "function_call_output", call_id = "call_1", output = "{\"ok\":true}" },
    ]
    instructions         = "Be kind."
    tools                = [{ name = "lookup", parameters = "{\"type\":\"object\"}", strict = false }]
    hosted_tools         = [{ type = "web_search", search_context_size = "low" }]
    tool_choice          = "lookup"
    parallel_tool_calls  = false
    max_tool_calls       = 3
    text_format          = { type = "json_schema", name = "answer", schema = "{\"type\":\"object\"}", strict = true }
    verbosity            = "low"
    reasoning_effort     = "low"
    reasoning_summary    = "auto"
    max_output_tokens    = 64
    top_p                = 0.5
    top_logprobs         = 2
    previous_response_id = "resp_1"
    store                = false
    metadata             = { team = "infra" }
    include              = ["reasoning.encrypted_content"]
    service_tier         = "flex"
    safety_identifier    = "user-1"
    prompt_cache_key     = "docs"
    allow_refusal        = true
  }

  assert {
    condition     = jsondecode(data.external.response.query.input_items)[1].content[1].image_url == "https://example.com/a.png" && jsondecode(data.external.response.query.input_items)[2].call_id == "call_1"
    error_message = "input_items travel as written, each item with its own attributes"
  }
  assert {
    condition     = jsondecode(data.external.response.query.hosted_tools) == [{ type = "web_search", search_context_size = "low" }]
    error_message = "hosted_tools travel exactly as written"
  }
  assert {
    condition     = jsondecode(data.external.response.query.tools)[0] == { name = "lookup", description = null, parameters = "{\"type\":\"object\"}", strict = false }
    error_message = "tools travel as the object type has them (the helper drops the nulls)"
  }
  assert {
    condition     = jsondecode(data.external.response.query.text_format).name == "answer" && data.external.response.query.tool_choice == "\"lookup\"" && data.external.response.query.store == "false"
    error_message = "text_format, tool_choice and store travel JSON-encoded"
  }
  assert {
    condition     = length(keys(data.external.response.query)) == 25
    error_message = "the 22 request inputs that were set are sent, with the flow, the setting with a default (cache_mode) and allow_refusal"
  }
  assert {
    condition     = data.external.response.query.allow_refusal == "true" && !contains(keys(data.external.response.query), "allow_length_cutoff")
    error_message = "guardrail switches travel only when they allow something"
  }
}

run "azure_sends_the_model_as_its_deployment_and_the_version_only_with_azure" {
  command = plan

  variables {
    azure_endpoint = "https://my-resource.openai.azure.com"
  }

  assert {
    condition     = data.external.response.query.azure_deployment == "\"gpt-4o\"" && data.external.response.query.azure_api_version == "\"2025-04-01-preview\""
    error_message = "on Azure the model names the deployment, and the API version has the Responses API's default"
  }
}

run "the_azure_settings_are_not_sent_without_azure" {
  command = plan

  assert {
    condition     = !contains(keys(data.external.response.query), "azure_api_version") && !contains(keys(data.external.response.query), "azure_deployment")
    error_message = "azure_deployment and azure_api_version must not be sent without azure_endpoint"
  }
}

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [data.external.response]
}

run "azure_api_version_bad" {
  command = plan

  variables {
    azure_endpoint    = "https://my-resource.openai.azure.com"
    azure_api_version = "latest"
  }

  expect_failures = [data.external.response]
}

run "flex_fallback_and_prompt_cache_retention_travel_and_timeout_is_left_to_the_helper" {
  command = plan

  variables {
    service_tier           = "flex"
    flex_fallback          = true
    prompt_cache_retention = "24h"
  }

  assert {
    condition     = data.external.response.query.flex_fallback == "true" && data.external.response.query.prompt_cache_retention == "\"24h\""
    error_message = "flex_fallback and prompt_cache_retention travel JSON-encoded"
  }

  assert {
    condition     = !contains(keys(data.external.response.query), "timeout_seconds")
    error_message = "timeout_seconds left null is not sent: the helper's default is 120, or 900 for Flex"
  }
}
