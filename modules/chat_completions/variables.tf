# The inputs, grouped by what they decide. `requests` is the map of questions; every request input
# below it is the default of each key that leaves it null, and means what it means in
# modules/chat_completion. An input left null everywhere is not sent, so the API's own default
# applies. The helper checks every rule at plan and names the key and the input that break one
# (helper/chat_helper/chat/inputs.py, chat/request_rules.py): no validation block here either.

################################################################################
# The requests
################################################################################

# Not an object type, on purpose: the helper checks every key's inputs, their names and their
# types (chat/inputs.py), and names a misspelt one, which an object type would drop without a word.
# Converting a map of 200 requests to an object type also costs a plan more than the helper's call.
variable "requests" {
  type        = any
  description = "The requests, by a key you pick: each an object of chat_completion's request inputs and regenerate, each optional, written with chat_completion's types (model, messages, tools, tool_choice, parallel_tool_calls, functions, function_call, response_format, temperature, top_p, n, stop, max_tokens, max_completion_tokens, presence_penalty, frequency_penalty, logit_bias, logprobs, top_logprobs, seed, reasoning_effort, verbosity, service_tier, user, safety_identifier, prompt_cache_key, prompt_cache_retention, store, metadata, regenerate); one a key leaves null takes the block's input of the same name. A misspelt or mistyped input fails the plan naming the key. The outputs are keyed alike. Each request is cached exactly as chat_completion caches it."
  nullable    = false
}

variable "max_concurrency" {
  type        = number
  description = "Your ceiling on requests in flight at once when keys need the API (1 to 256). Below it, concurrency adapts to the account's rate limits: it starts at 16, grows while answers report headroom, and halves on a 429 (docs/rate-limits.md). Cached keys cost no request. Default: 256."
  default     = null
}

################################################################################
# The request defaults
################################################################################

variable "model" {
  type        = string
  description = "Model ID, for example gpt-4o, gpt-4 or gpt-3.5-turbo: the default of every key (each key needs one, its own or this)."
  default     = null
}

variable "messages" {
  type = list(object({
    role    = string
    content = optional(string)
    name    = optional(string)
    function_call = optional(object({
      name      = string
      arguments = string
    }))
    tool_calls = optional(list(object({
      id   = string
      type = optional(string, "function")
      function = object({
        name      = string
        arguments = string
      })
    })))
    tool_call_id = optional(string)
  }))
  description = "The default conversation of every key that sets none (each key needs one, its own or this): each { role, content, name, function_call, tool_calls, tool_call_id }, oldest first. role is system, user, assistant, function, developer or tool."
  default     = null
}

################################################################################
# Tools and output format
################################################################################

variable "tools" {
  type = list(object({
    name        = string
    description = optional(string)
    parameters  = optional(string)
    strict      = optional(bool)
  }))
  description = "Tools (functions) the model may call: each { name, description, parameters = jsonencode(<JSON Schema object>), strict }. With strict = true the schema must close every object (additionalProperties = false) and require every property."
  default     = null
}

variable "tool_choice" {
  type        = string
  description = "\"none\", \"auto\", \"required\", or the name of a declared tool to force. API default: \"auto\" when tools are given."
  default     = null
}

variable "parallel_tool_calls" {
  type        = bool
  description = "Whether the model may call several tools in one answer. API default: true. Needs tools."
  default     = null
}

variable "functions" {
  type = list(object({
    name        = string
    description = optional(string)
    parameters  = string
  }))
  description = "Functions the model may call (deprecated by the API in favour of tools): each { name, description, parameters = jsonencode(<JSON Schema object>) }."
  default     = null
}

variable "function_call" {
  type        = string
  description = "\"none\", \"auto\", or the name of a declared function to force. API default: \"auto\" when functions are given."
  default     = null
}

variable "response_format" {
  type = object({
    type        = string
    name        = optional(string)
    description = optional(string)
    schema      = optional(string)
    strict      = optional(bool)
  })
  description = "The answer's format: { type = \"text\" }, { type = \"json_object\" }, or { type = \"json_schema\", name, schema = jsonencode(<JSON Schema object>), strict, description }. With a JSON format the parsed answer is the parsed output, checked against the schema."
  default     = null
}

################################################################################
# Sampling and limits
################################################################################

variable "temperature" {
  type        = number
  description = "Sampling temperature, 0 to 2. API default: 1.0."
  default     = null
}

variable "top_p" {
  type        = number
  description = "Nucleus sampling mass, 0 to 1. API default: 1.0."
  default     = null
}

variable "n" {
  type        = number
  description = "How many choices to generate, 1 to 128. API default: 1."
  default     = null
}

variable "stop" {
  type        = list(string)
  description = "Up to 4 sequences where the model stops generating. API default: none."
  default     = null
}

variable "max_tokens" {
  type        = number
  description = "Most tokens to generate (a positive whole number). API default: the model's limit."
  default     = null
}

variable "max_completion_tokens" {
  type        = number
  description = "Most tokens to generate, reasoning tokens included (reasoning models reject max_tokens). A positive whole number."
  default     = null
}

variable "presence_penalty" {
  type        = number
  description = "Penalty for tokens already present, -2.0 to 2.0. API default: 0."
  default     = null
}

variable "frequency_penalty" {
  type        = number
  description = "Penalty for frequent tokens, -2.0 to 2.0. API default: 0."
  default     = null
}

variable "logit_bias" {
  type        = map(number)
  description = "Bias per token ID: { \"<token id>\" = -100..100 }. -100 bans a token, 100 forces it."
  default     = null
}

variable "logprobs" {
  type        = bool
  description = "Return the log probabilities of the answer's tokens, in choices[*].logprobs (see top_logprobs). API default: false."
  default     = null
}

variable "top_logprobs" {
  type        = number
  description = "How many most likely tokens to return at each position, 0 to 20. Needs logprobs = true."
  default     = null
}

variable "seed" {
  type        = number
  description = "Best-effort deterministic sampling: the same seed and request tend to give the same answer (see system_fingerprint)."
  default     = null
}

variable "reasoning_effort" {
  type        = string
  description = "Reasoning models only: none, minimal, low, medium, high, xhigh or max. API default: medium."
  default     = null
}

variable "verbosity" {
  type        = string
  description = "How long the answer should be: low, medium or high (GPT-5 family models only). API default: medium."
  default     = null
}

variable "service_tier" {
  type        = string
  description = "Processing tier: auto, default, flex, scale, priority or fast. API default: auto."
  default     = null
}

################################################################################
# Tracking and storage
################################################################################

variable "user" {
  type        = string
  description = "An identifier of your end user, for abuse monitoring. API default: none."
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

variable "store" {
  type        = bool
  description = "Store the completion for later retrieval (see modules/stored_completion). API default: false."
  default     = null
}

variable "metadata" {
  type        = map(string)
  description = "Tags stored with the completion: at most 16 pairs, keys up to 64 characters, values up to 512."
  default     = null
}

################################################################################
# Endpoint (not sent to the API)
################################################################################

variable "base_url" {
  type        = string
  description = "Base URL of an OpenAI-compatible API, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
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
  description = "Azure OpenAI: the resource's endpoint, for example https://my-resource.openai.azure.com. Set it with azure_deployment; the key comes from AZURE_OPENAI_API_KEY. Cannot be combined with base_url."
  default     = null
}

variable "azure_deployment" {
  type        = string
  description = "Azure OpenAI: the deployment that answers (it decides the model)."
  default     = null
}

variable "azure_api_version" {
  type        = string
  description = "Azure OpenAI: the data-plane API version (used only with azure_endpoint)."
  default     = "2024-10-21"
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
  description = "Change this value to ask for new answers to every key (like keepers in the random provider); a key's own regenerate asks again for that key alone."
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
  description = "Accept an answer cut off by the token limit (finish_reason = \"length\"). Default: such an answer fails the plan. A cut-off JSON answer (response_format) fails anyway: it cannot be parsed."
  default     = false
  nullable    = false
}

variable "allow_content_filter" {
  type        = bool
  description = "Accept an answer withheld by the content filter (finish_reason = \"content_filter\"). Default: it fails the plan. With response_format, a filtered answer that is not complete JSON fails anyway."
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
  description = "Mark the answers (the results and contents outputs) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text."
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
