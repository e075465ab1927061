# stored_response at plan, with the provider mocked: what the module sends the helper (the query), and the
# rule HCL keeps because the helper cannot see it (the helper checks every other rule: tests/stored_response/).
# Run with `terraform test` or `tofu test` in modules/stored_response; tests/e2e runs both files on the
# current versions and the floors.

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
        usage             = "null"
        service_tier      = "\"flex\""
        metadata          = "{}"
        error             = "null"
        input_items       = "[]"
      }
    }
  }
}

variables {
  response_id = "resp_abc123"
}

run "the_id_and_the_settings_with_defaults_are_sent" {
  command = plan

  assert {
    condition     = join(",", sort(keys(data.external.stored_response.query))) == "flow,response_id,timeout_seconds"
    error_message = "the query must hold the id, the flow and the settings with defaults, nothing else"
  }

  assert {
    condition     = data.external.stored_response.query.response_id == "\"resp_abc123\"" && data.external.stored_response.query.flow == "\"stored_response\""
    error_message = "the id travels JSON-encoded, and the flow key names the stored_response flow"
  }
}

run "the_endpoint_settings_travel_when_set" {
  command = plan

  variables {
    base_url     = "http://127.0.0.1:8787/v1"
    organization = "org-1"
    project      = "proj_1"
  }

  assert {
    condition     = data.external.stored_response.query.base_url == "\"http://127.0.0.1:8787/v1\"" && data.external.stored_response.query.project == "\"proj_1\""
    error_message = "base_url, organization and project travel JSON-encoded"
  }
}

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [data.external.stored_response]
}
