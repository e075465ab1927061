# The inputs, grouped by what they decide. An input left null is not sent to the API, so the API's
# own default applies (each description says what it is). The helper checks the rules of every
# input at plan and names the input that breaks one (helper/chat_helper/response/inputs.py,
# response/request_rules.py, core/settings.py): one owner for each rule, and no validation block,
# which would cost every module block of a configuration a graph node. input_items and hosted_tools
# are `any`: a list of objects of different shapes cannot be one list(object) type.

################################################################################
# The request
################################################################################

variable "model" {
  type        = string
  description = "Model ID, for example gpt-4o, gpt-4.1-mini, o4-mini or gpt-5 (on Azure OpenAI: the deployment's name)."
  nullable    = false
}

variable "input" {
  type        = string
  description = "The prompt, as one user message. Set input or input_items, not both."
  default     = null
}

variable "input_items" {
  type        = any
  description = "The input as a list of items, oldest first (set input or input_items, not both): messages { role = \"user\", \"assistant\", \"system\" or \"developer\", content = a string or a list of parts { type = \"input_text\", text } / { type = \"input_image\", image_url or file_id, detail } / { type = \"input_file\", file_id, file_url or file_data, filename } } (an assistant's content is a string), function results { type = \"function_call_output\", call_id, output = a string }, and the calls they answer { type = \"function_call\", call_id, name, arguments } when there is no previous_response_id."
  default     = null
}

variable "instructions" {
  type        = string
  description = "A system (developer) message for this request. It is not carried over by previous_response_id: a chained request says its own."
  default     = null
}

################################################################################
# Tools
################################################################################

variable "tools" {
  type = list(object({
    name        = string
    description = optional(string)
    parameters  = optional(string)
    strict      = optional(bool)
  }))
  description = "Function tools the model may call: each { name, description, parameters = jsonencode(<JSON Schema object>), strict }. strict is true unless set to false (the API's default), and the schema must then close every object (additionalProperties = false) and require every property. A tool without parameters takes no arguments."
  default     = null
}

variable "hosted_tools" {
  type        = any
  description = "Built-in tools, each sent exactly as written: { type = \"web_search\" }, { type = \"file_search\", vector_store_ids = [...] }, { type = \"code_interpreter\", container = { type = \"auto\" } }, { type = \"image_generation\" }, { type = \"mcp\", server_label, server_url, ... } and the other tool types of the Responses API; the keys each type requires are checked."
  default     = null
}

variable "tool_choice" {
  type        = string
  description = "\"none\", \"auto\", \"required\", the name of a function tool to force, or the type of a hosted tool to force (file_search, web_search_preview, code_interpreter, image_generation, computer_use_preview). API default: \"auto\" when tools are given."
  default     = null
}

variable "parallel_tool_calls" {
  type        = bool
  description = "Whether the model may call several tools in one answer. API default: true. Needs tools or hosted_tools."
  default     = null
}

variable "max_tool_calls" {
  type        = number
  description = "Most calls to built-in tools in one response (a positive whole number). API default: no limit. Needs tools or hosted_tools."
  default     = null
}

################################################################################
# Format and reasoning
################################################################################

variable "text_format" {
  type = object({
    type        = string
    name        = optional(string)
    description = optional(string)
    schema      = optional(string)
    strict      = optional(bool)
  })
  description = "The answer's format: { type = \"text\" }, { type = \"json_object\" }, or { type = \"json_schema\", name, schema = jsonencode(<JSON Schema object>), strict, description }. With a JSON format the answer is the parsed output, checked against the schema."
  default     = null
}

variable "verbosity" {
  type        = string
  description = "How long the answer should be: low, medium or high (GPT-5 family models). API default: medium."
  default     = null
}

variable "reasoning_effort" {
  type        = string
  description = "Reasoning models only: none, minimal, low, medium, high, xhigh or max. API default: medium."
  default     = null
}

variable "reasoning_summary" {
  type        = string
  description = "Reasoning models only: a summary of the model's reasoning in the reasoning_summary output, auto, concise or detailed. API default: none."
  default     = null
}

################################################################################
# Sampling and limits
################################################################################

variable "max_output_tokens" {
  type        = number
  description = "Most tokens to generate, reasoning tokens included: a whole number, 16 or more. API default: the model's limit."
  default     = null
}

variable "temperature" {
  type        = number
  description = "Sampling temperature, 0 to 2 (reasoning models reject it). API default: 1.0."
  default     = null
}

variable "top_p" {
  type        = number
  description = "Nucleus sampling mass, 0 to 1. API default: 1.0."
  default     = null
}

variable "top_logprobs" {
  type        = number
  description = "How many most likely tokens to return at each position, 0 to 20 (with include = [\"message.output_text.logprobs\"], they are in the output items' json)."
  default     = null
}

################################################################################
# State and tracking
################################################################################

variable "previous_response_id" {
  type        = string
  description = "Continue the conversation of a stored response (for example module.first.id): the API brings its input and output, not its instructions. Changing it asks again."
  default     = null
}

variable "store" {
  type        = bool
  description = "Store the response for later retrieval (previous_response_id, modules/stored_response). API default: true."
  default     = null
}

variable "metadata" {
  type        = map(string)
  description = "Tags stored with the response: at most 16 pairs, keys up to 64 characters, values up to 512."
  default     = null
}

variable "include" {
  type        = list(string)
  description = "Extra output data, for example web_search_call.action.sources, file_search_call.results, code_interpreter_call.outputs, reasoning.encrypted_content or message.output_text.logprobs (read them from the output items' json)."
  default     = null
}

variable "service_tier" {
  type        = string
  description = "Processing tier: auto, default, flex, scale, priority, fast or ultrafast. API default: auto."
  default     = null
}

variable "safety_identifier" {
  type        = string
  description = "A stable identifier of your end user for abuse detection, at most 64 characters (hash it; the API asks for no personal data)."
  default     = null
}

variable "prompt_cache_key" {
  type        = string
  description = "Groups similar requests for the API's prompt caching (a cost and latency hint). It is part of the request: changing it asks again."
  default     = null
}

variable "prompt_cache_retention" {
  type        = string
  description = "How long the API may keep this request's cached prompt prefix: in_memory, or 24h (extended prompt caching, for plans hours apart; cached input tokens cost less). It is part of the request: changing it asks again. API default: depends on the model and the organization."
  default     = null
}

################################################################################
# Endpoint (not sent to the API)
################################################################################

variable "base_url" {
  type        = string
  description = "Base URL of an OpenAI-compatible API that serves POST /responses, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
  default     = null
}

variable "organization" {
  type        = string
  description = "OpenAI organization ID sent as OpenAI-Organization. Default: OPENAI_ORG_ID from the environment."
  default     = null
}

variable "project" {
  type        = string
  description = "OpenAI project ID sent as OpenAI-Project. Default: OPENAI_PROJECT_ID from the environment."
  default     = null
}

variable "azure_endpoint" {
  type        = string
  description = "Azure OpenAI: the resource's endpoint, for example https://my-resource.openai.azure.com; model then names the deployment, and the key comes from AZURE_OPENAI_API_KEY. Cannot be combined with base_url."
  default     = null
}

variable "azure_api_version" {
  type        = string
  description = "Azure OpenAI: the data-plane API version (used only with azure_endpoint; the Responses API needs 2025-03-01-preview or later)."
  default     = "2025-04-01-preview"
  nullable    = false
}

variable "timeout_seconds" {
  type        = number
  description = "Bound on the exchanges with the API for one request, retries of a failing server included, and on a server that stops answering; waiting for a turn under the account's rate limits is bounded by rate_limit_wait_seconds instead (the external provider has no timeout of its own). Default: 120, or 900 with service_tier = \"flex\" (Flex answers slowly; OpenAI's Flex guide allows 15 minutes)."
  default     = null
}

variable "requests_per_minute" {
  type        = number
  description = "Your own cap on API requests per minute (at most this many in any 60 s), on top of the limits the API reports, in the same view shared by every helper process of the machine for the endpoint, key and model (retries included). Default: no cap of your own."
  default     = null
}

variable "rate_limit_wait_seconds" {
  type        = number
  description = "Bound on waiting for turns under the account's rate limits (the x-ratelimit-* headers and 429s of the API), apart from timeout_seconds. A block whose requests cannot all be sent within it fails at once, before sending more, and says what to raise (0 to 86400). Default: 600, enough for 400 requests of 400 tokens under 24,000 tokens per minute."
  default     = null
}

################################################################################
# Cache
################################################################################

variable "cache_mode" {
  type        = string
  description = "read-write: answer from the cache, call the API on a miss and store the answer. replay: never call the API; fail on a miss (for CI). off: always call."
  default     = "read-write"
  nullable    = false
}

variable "cache_dir" {
  type        = string
  description = "Folder of stored answers, relative to the root module. Commit one to share answers with your team and CI. Default: .terraform/openai-chat-cache."
  default     = null
}

variable "cache_url" {
  type        = string
  description = "A team's answer store on S3-compatible object storage, behind cache_dir: s3://bucket/prefix, with ?endpoint=https://host:port&region=...&path_style=true for stores other than AWS S3. Credentials come from the AWS chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, roles), never from here. Default: CHAT_HELPER_CACHE_URL from the environment, else none."
  default     = null
}

variable "regenerate" {
  type        = string
  description = "Change this value to ask for a new answer to the same request (like keepers in the random provider)."
  default     = null
}

################################################################################
# Spend guard
################################################################################

variable "max_requests_per_run" {
  type        = number
  description = "Most requests one run may send to the API: a terraform plan or apply, or every plan sharing CHAT_HELPER_RUN_ID. Every request of the run counts, whichever block sent it (cache and store hits do not; a request's retries count once); this block sends none past it. Default: CHAT_HELPER_MAX_REQUESTS_PER_RUN from the environment, else no cap."
  default     = null
}

variable "max_tokens_per_run" {
  type        = number
  description = "Most tokens (usage.total_tokens) one run's answers may use, counted like max_requests_per_run. Each request reserves its estimate (characters / 4 plus its output limit) before it is sent, so requests in flight do not pass it; one that does not fit waits for them, and fails once nothing in flight could make room. Default: CHAT_HELPER_MAX_TOKENS_PER_RUN from the environment, else no cap."
  default     = null
}

variable "flex_fallback" {
  type        = bool
  description = "With service_tier = \"flex\": when Flex has no capacity (429 Resource Unavailable, not charged), ask again at once at the standard tier (service_tier = \"auto\", standard prices) instead of retrying Flex with backoff until timeout_seconds. The service_tier output says which tier answered."
  default     = false
  nullable    = false
}

################################################################################
# Guardrails and display
################################################################################

variable "allow_length_cutoff" {
  type        = bool
  description = "Accept an answer cut off by max_output_tokens (status = \"incomplete\", reason max_output_tokens). Default: such an answer fails the plan. A cut-off JSON answer (text_format) fails anyway: it cannot be parsed."
  default     = false
  nullable    = false
}

variable "allow_content_filter" {
  type        = bool
  description = "Accept an answer withheld by the content filter (status = \"incomplete\", reason content_filter). Default: it fails the plan. With a JSON text_format, a filtered answer that is not complete JSON fails anyway."
  default     = false
  nullable    = false
}

variable "allow_refusal" {
  type        = bool
  description = "Accept a refusal (read it from the refusal output). Default: a refusal fails the plan."
  default     = false
  nullable    = false
}

variable "sensitive" {
  type        = bool
  description = "Mark the answer outputs (output_text, parsed, refusal, function_calls, reasoning_summary, output) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text."
  default     = false
  nullable    = false
}

################################################################################
# The helper's Python
################################################################################

variable "python" {
  type        = string
  description = "Python interpreter (3.10 or newer) that runs the helper; it needs no packages of its own unless python_packages = \"interpreter\". Default: python3, or python on Windows."
  default     = null
}

variable "python_packages" {
  type        = string
  description = "Where the helper's packages come from. \"provision\": a private virtual environment that the helper makes on first use (uv, else venv and pip, honouring pip's configuration) with the versions pinned in helper/requirements.lock, and reuses afterwards. \"interpreter\": the python interpreter's own packages, installed by you. Default: CHAT_HELPER_PYTHON_PACKAGES from the environment, else \"provision\"."
  default     = null
}

variable "python_env_dir" {
  type        = string
  description = "Folder that holds the private environments (one per Python version and helper/requirements.lock). Default: CHAT_HELPER_PYTHON_ENV_DIR from the environment, else ~/.cache/terraform-openai-chat/python (XDG_CACHE_HOME is honoured)."
  default     = null
}
