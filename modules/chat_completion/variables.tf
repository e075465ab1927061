################################################################################
# The request (MISSION.md section 1). An input left null is not sent: the API's
# own default applies, and the description says what that default is.
################################################################################

variable "model" {
  type        = string
  description = "Model ID, for example gpt-4o, gpt-4 or gpt-3.5-turbo."
  nullable    = false

  validation {
    condition     = length(trimspace(var.model)) > 0
    error_message = "model must not be empty: name a model such as \"gpt-4o\"."
  }
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
  description = "The whole conversation, oldest first: each { role, content, name, function_call, tool_calls, tool_call_id }. role is system, user, assistant, function, developer or tool."
  nullable    = false

  validation {
    condition     = length(var.messages) >= 1
    error_message = "messages must hold at least one message."
  }
  validation {
    condition     = alltrue([for m in var.messages : contains(["system", "user", "assistant", "function", "developer", "tool"], m.role)])
    error_message = "messages: every role must be one of system, user, assistant, function, developer, tool."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.role != "function" || m.name != null])
    error_message = "messages: a message with role \"function\" needs name (the function whose result it carries)."
  }
  validation {
    condition     = alltrue([for m in var.messages : contains(["assistant"], m.role) || m.content != null])
    error_message = "messages: content is required for system, user, developer, function and tool messages."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.role != "assistant" || m.content != null || m.function_call != null || m.tool_calls != null])
    error_message = "messages: an assistant message needs content, function_call or tool_calls."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.name == null || m.role != "function" ? true : can(regex("^[a-zA-Z0-9_-]{1,64}$", m.name))])
    error_message = "messages: the name of a function message must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -)."
  }
  validation {
    condition     = alltrue([for m in var.messages : (m.function_call == null && m.tool_calls == null) || m.role == "assistant"])
    error_message = "messages: function_call and tool_calls are only allowed on assistant messages."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.function_call == null ? true : can(jsondecode(m.function_call.arguments))])
    error_message = "messages: function_call.arguments must be a JSON string (use jsonencode)."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.tool_calls == null ? true : alltrue([for c in m.tool_calls : c.type == "function" && can(regex("^[a-zA-Z0-9_-]{1,64}$", c.function.name)) && can(jsondecode(c.function.arguments))])])
    error_message = "messages: every tool call needs type \"function\", a function name matching ^[a-zA-Z0-9_-]{1,64}$ and arguments as a JSON string (use jsonencode)."
  }
  validation {
    condition     = alltrue([for m in var.messages : (m.role == "tool") == (m.tool_call_id != null)])
    error_message = "messages: a message with role \"tool\" needs tool_call_id, and only tool messages may have it."
  }
  validation {
    condition     = alltrue([for m in var.messages : m.content == null ? true : length(m.content) <= 1048576])
    error_message = "messages: content may be at most 1,048,576 characters (the API's limit)."
  }
}

variable "functions" {
  type = list(object({
    name        = string
    description = optional(string)
    parameters  = string
  }))
  description = "Functions the model may call (deprecated by the API in favour of tools): each { name, description, parameters = jsonencode(<JSON Schema object>) }."
  default     = null

  validation {
    condition     = var.functions == null ? true : length(var.functions) >= 1 && length(var.functions) <= 128
    error_message = "functions must hold 1 to 128 definitions (or be null)."
  }
  validation {
    condition     = var.functions == null ? true : alltrue([for f in var.functions : can(regex("^[a-zA-Z0-9_-]{1,64}$", f.name))])
    error_message = "functions: every name must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -, at most 64)."
  }
  validation {
    condition     = var.functions == null ? true : length(distinct([for f in var.functions : f.name])) == length(var.functions)
    error_message = "functions: names must be unique."
  }
  validation {
    condition     = var.functions == null ? true : alltrue([for f in var.functions : can(jsondecode(f.parameters))])
    error_message = "functions: parameters must be a JSON string: write parameters = jsonencode({ type = \"object\", ... })."
  }
  validation {
    condition     = var.functions == null ? true : alltrue([for f in var.functions : try(jsondecode(f.parameters).type == "object", false)])
    error_message = "functions: parameters must be a JSON Schema whose top-level type is \"object\"."
  }
}

variable "function_call" {
  type        = string
  description = "\"none\", \"auto\", or the name of a declared function to force. API default: \"auto\" when functions are given."
  default     = null

  validation {
    condition     = var.function_call == null ? true : contains(["none", "auto"], var.function_call) || can(regex("^[a-zA-Z0-9_-]{1,64}$", var.function_call))
    error_message = "function_call must be \"none\", \"auto\" or a function name (^[a-zA-Z0-9_-]{1,64}$)."
  }
}

variable "temperature" {
  type        = number
  description = "Sampling temperature, 0 to 2. API default: 1.0."
  default     = null

  validation {
    condition     = var.temperature == null ? true : var.temperature >= 0 && var.temperature <= 2
    error_message = "temperature must be between 0 and 2."
  }
}

variable "max_tokens" {
  type        = number
  description = "Most tokens to generate (a positive whole number). API default: the model's limit."
  default     = null

  validation {
    condition     = var.max_tokens == null ? true : var.max_tokens >= 1 && floor(var.max_tokens) == var.max_tokens
    error_message = "max_tokens must be a positive whole number."
  }
}

variable "top_p" {
  type        = number
  description = "Nucleus sampling mass, 0 to 1. API default: 1.0."
  default     = null

  validation {
    condition     = var.top_p == null ? true : var.top_p >= 0 && var.top_p <= 1
    error_message = "top_p must be between 0 and 1."
  }
}

variable "n" {
  type        = number
  description = "How many choices to generate, 1 to 128. API default: 1."
  default     = null

  validation {
    condition     = var.n == null ? true : var.n >= 1 && var.n <= 128 && floor(var.n) == var.n
    error_message = "n must be a whole number from 1 to 128."
  }
}

variable "stop" {
  type        = list(string)
  description = "Up to 4 sequences where the model stops generating. API default: none."
  default     = null

  validation {
    condition     = var.stop == null ? true : length(var.stop) >= 1 && length(var.stop) <= 4
    error_message = "stop must hold 1 to 4 sequences (or be null)."
  }
}

variable "presence_penalty" {
  type        = number
  description = "Penalty for tokens already present, -2.0 to 2.0. API default: 0."
  default     = null

  validation {
    condition     = var.presence_penalty == null ? true : var.presence_penalty >= -2 && var.presence_penalty <= 2
    error_message = "presence_penalty must be between -2.0 and 2.0."
  }
}

variable "frequency_penalty" {
  type        = number
  description = "Penalty for frequent tokens, -2.0 to 2.0. API default: 0."
  default     = null

  validation {
    condition     = var.frequency_penalty == null ? true : var.frequency_penalty >= -2 && var.frequency_penalty <= 2
    error_message = "frequency_penalty must be between -2.0 and 2.0."
  }
}

variable "user" {
  type        = string
  description = "An identifier of your end user, for abuse monitoring. API default: none."
  default     = null

  validation {
    condition     = var.user == null ? true : length(var.user) > 0
    error_message = "user must not be empty (leave it null instead)."
  }
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

  validation {
    condition     = var.metadata == null ? true : length(var.metadata) <= 16
    error_message = "metadata may hold at most 16 pairs."
  }
  validation {
    condition     = var.metadata == null ? true : alltrue([for k, v in var.metadata : length(k) >= 1 && length(k) <= 64])
    error_message = "metadata keys must be 1 to 64 characters long."
  }
  validation {
    condition     = var.metadata == null ? true : alltrue([for k, v in var.metadata : length(v) <= 512])
    error_message = "metadata values may be at most 512 characters long."
  }
}

################################################################################
# Current API parameters (MISSION.md section 3). Also not sent when null.
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

  validation {
    condition     = var.tools == null ? true : length(var.tools) >= 1 && length(var.tools) <= 128
    error_message = "tools must hold 1 to 128 definitions (or be null)."
  }
  validation {
    condition     = var.tools == null ? true : alltrue([for t in var.tools : can(regex("^[a-zA-Z0-9_-]{1,64}$", t.name))])
    error_message = "tools: every name must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -, at most 64)."
  }
  validation {
    condition     = var.tools == null ? true : length(distinct([for t in var.tools : t.name])) == length(var.tools)
    error_message = "tools: names must be unique."
  }
  validation {
    condition     = var.tools == null ? true : alltrue([for t in var.tools : t.parameters == null ? true : try(jsondecode(t.parameters).type == "object", false)])
    error_message = "tools: parameters must be a JSON string of a JSON Schema whose top-level type is \"object\": write parameters = jsonencode({ type = \"object\", ... })."
  }
}

variable "tool_choice" {
  type        = string
  description = "\"none\", \"auto\", \"required\", or the name of a declared tool to force. API default: \"auto\" when tools are given."
  default     = null

  validation {
    condition     = var.tool_choice == null ? true : contains(["none", "auto", "required"], var.tool_choice) || can(regex("^[a-zA-Z0-9_-]{1,64}$", var.tool_choice))
    error_message = "tool_choice must be \"none\", \"auto\", \"required\" or a tool name (^[a-zA-Z0-9_-]{1,64}$)."
  }
}

variable "parallel_tool_calls" {
  type        = bool
  description = "Whether the model may call several tools in one answer. API default: true. Needs tools."
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

  validation {
    condition     = var.response_format == null ? true : contains(["text", "json_object", "json_schema"], var.response_format.type)
    error_message = "response_format.type must be \"text\", \"json_object\" or \"json_schema\"."
  }
  validation {
    condition     = var.response_format == null ? true : var.response_format.type != "json_schema" || (var.response_format.name != null && var.response_format.schema != null)
    error_message = "response_format: type \"json_schema\" needs name and schema."
  }
  validation {
    condition     = var.response_format == null ? true : var.response_format.type == "json_schema" || (var.response_format.name == null && var.response_format.schema == null && var.response_format.strict == null && var.response_format.description == null)
    error_message = "response_format: name, schema, strict and description belong to type \"json_schema\" only."
  }
  validation {
    condition     = try(var.response_format.name, null) == null ? true : can(regex("^[a-zA-Z0-9_-]{1,64}$", var.response_format.name))
    error_message = "response_format.name must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -, at most 64)."
  }
  validation {
    condition     = try(var.response_format.schema, null) == null ? true : try(jsondecode(var.response_format.schema).type == "object", false)
    error_message = "response_format.schema must be a JSON string of a JSON Schema whose top-level type is \"object\" (use jsonencode)."
  }
}

variable "max_completion_tokens" {
  type        = number
  description = "Most tokens to generate, reasoning tokens included (reasoning models reject max_tokens). A positive whole number."
  default     = null

  validation {
    condition     = var.max_completion_tokens == null ? true : var.max_completion_tokens >= 1 && floor(var.max_completion_tokens) == var.max_completion_tokens
    error_message = "max_completion_tokens must be a positive whole number."
  }
}

variable "reasoning_effort" {
  type        = string
  description = "Reasoning models only: none, minimal, low, medium, high, xhigh or max. API default: medium."
  default     = null

  validation {
    condition     = var.reasoning_effort == null ? true : contains(["none", "minimal", "low", "medium", "high", "xhigh", "max"], var.reasoning_effort)
    error_message = "reasoning_effort must be one of none, minimal, low, medium, high, xhigh, max."
  }
}

variable "verbosity" {
  type        = string
  description = "How long the answer should be: low, medium or high (GPT-5 family models only). API default: medium."
  default     = null

  validation {
    condition     = var.verbosity == null ? true : contains(["low", "medium", "high"], var.verbosity)
    error_message = "verbosity must be one of low, medium, high."
  }
}

variable "seed" {
  type        = number
  description = "Best-effort deterministic sampling: the same seed and request tend to give the same answer (see system_fingerprint)."
  default     = null

  validation {
    condition     = var.seed == null ? true : floor(var.seed) == var.seed && abs(var.seed) <= 9223372036854775807
    error_message = "seed must be a whole number that fits in 64 bits."
  }
}

variable "service_tier" {
  type        = string
  description = "Processing tier: auto, default, flex, scale, priority or fast. API default: auto."
  default     = null

  validation {
    condition     = var.service_tier == null ? true : contains(["auto", "default", "flex", "scale", "priority", "fast"], var.service_tier)
    error_message = "service_tier must be one of auto, default, flex, scale, priority, fast."
  }
}

variable "safety_identifier" {
  type        = string
  description = "A stable identifier of your end user for abuse detection, at most 64 characters (hash it; the API asks for no personal data)."
  default     = null

  validation {
    condition     = var.safety_identifier == null ? true : length(var.safety_identifier) >= 1 && length(var.safety_identifier) <= 64
    error_message = "safety_identifier must be 1 to 64 characters long."
  }
}

variable "prompt_cache_key" {
  type        = string
  description = "Groups similar requests for the API's prompt caching (a cost and latency hint). It is part of the request: changing it asks again."
  default     = null

  validation {
    condition     = var.prompt_cache_key == null ? true : length(var.prompt_cache_key) >= 1
    error_message = "prompt_cache_key must not be empty (leave it null instead)."
  }
}

variable "logit_bias" {
  type        = map(number)
  description = "Bias per token ID: { \"<token id>\" = -100..100 }. -100 bans a token, 100 forces it."
  default     = null

  validation {
    condition     = var.logit_bias == null ? true : alltrue([for token, bias in var.logit_bias : can(regex("^[0-9]+$", token))])
    error_message = "logit_bias keys must be token IDs (digits only)."
  }
  validation {
    condition     = var.logit_bias == null ? true : alltrue([for token, bias in var.logit_bias : bias >= -100 && bias <= 100 && floor(bias) == bias])
    error_message = "logit_bias values must be whole numbers from -100 to 100."
  }
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

  validation {
    condition     = var.top_logprobs == null ? true : var.top_logprobs >= 0 && var.top_logprobs <= 20 && floor(var.top_logprobs) == var.top_logprobs
    error_message = "top_logprobs must be a whole number from 0 to 20."
  }
}

################################################################################
# How the answer is obtained. None of these are sent to the API.
################################################################################

variable "base_url" {
  type        = string
  description = "Base URL of an OpenAI-compatible API, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
  default     = null

  validation {
    condition     = var.base_url == null ? true : can(regex("^https?://[A-Za-z0-9._\\-\\[\\]:]+(/[!-~]*)?$", var.base_url))
    error_message = "base_url must be an http:// or https:// URL of a host name or address, with no credentials or spaces, for example https://api.openai.com/v1."
  }
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

variable "timeout_seconds" {
  type        = number
  description = "Bound on the whole request, retries and waits included (the external provider has no timeout of its own)."
  default     = 120
  nullable    = false

  validation {
    condition     = var.timeout_seconds > 0 && var.timeout_seconds <= 3600
    error_message = "timeout_seconds must be more than 0 and at most 3600."
  }
}

variable "cache_mode" {
  type        = string
  description = "read-write: answer from the cache, call the API on a miss and store the answer. replay: never call the API; fail on a miss (for CI). off: always call."
  default     = "read-write"
  nullable    = false

  validation {
    condition     = contains(["read-write", "replay", "off"], var.cache_mode)
    error_message = "cache_mode must be \"read-write\", \"replay\" or \"off\"."
  }
}

variable "cache_dir" {
  type        = string
  description = "Folder of stored answers, relative to the root module. Commit one to share answers with your team and CI. Default: .terraform/openai-chat-cache."
  default     = null

  validation {
    condition     = var.cache_dir == null ? true : length(trimspace(var.cache_dir)) > 0
    error_message = "cache_dir must not be empty (leave it null for the default)."
  }
}

variable "cache_url" {
  type        = string
  description = "A team's answer store on S3-compatible object storage, behind cache_dir: s3://bucket/prefix, with ?endpoint=https://host:port&region=...&path_style=true for stores other than AWS S3. Credentials come from the AWS chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, roles), never from here. Default: CHAT_HELPER_CACHE_URL from the environment, else none."
  default     = null

  validation {
    condition     = var.cache_url == null ? true : can(regex("^s3://[a-z0-9][a-z0-9._-]{1,61}[a-z0-9](/[A-Za-z0-9!_.*'()/-]*)?([?][!-~]*)?$", var.cache_url))
    error_message = "cache_url must be s3://bucket/prefix (a valid bucket name; the prefix in letters, digits and !_.*'()-/), optionally followed by ?endpoint=https://host:port&region=...&path_style=true."
  }
  validation {
    condition     = var.cache_url == null ? true : !strcontains(var.cache_url, "@") && !can(regex("(?i)[?&][a-z_]*(key|secret|token|password|credential|session|user)", var.cache_url))
    error_message = "cache_url must not hold credentials (they would be stored in state and plans): the helper takes them from the AWS credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance or task role)."
  }
}

variable "regenerate" {
  type        = string
  description = "Change this value to ask for a new answer to the same request (like keepers in the random provider)."
  default     = null
}

variable "python" {
  type        = string
  description = "Python interpreter (3.10 or newer) that runs the helper; it needs no packages of its own unless python_packages = \"interpreter\". Default: python3, or python on Windows."
  default     = null

  validation {
    condition     = var.python == null ? true : length(trimspace(var.python)) > 0
    error_message = "python must not be empty (leave it null for the default)."
  }
}

variable "python_packages" {
  type        = string
  description = "Where the helper's packages come from. \"provision\": a private virtual environment that the helper makes on first use (uv, else venv and pip, honouring pip's configuration) with the versions pinned in helper/requirements.lock, and reuses afterwards. \"interpreter\": the python interpreter's own packages, installed by you. Default: CHAT_HELPER_PYTHON_PACKAGES from the environment, else \"provision\"."
  default     = null

  validation {
    condition     = var.python_packages == null ? true : contains(["provision", "interpreter"], var.python_packages)
    error_message = "python_packages must be \"provision\" or \"interpreter\"."
  }
}

variable "python_env_dir" {
  type        = string
  description = "Folder that holds the private environments (one per Python version and helper/requirements.lock). Default: CHAT_HELPER_PYTHON_ENV_DIR from the environment, else ~/.cache/terraform-openai-chat/python (XDG_CACHE_HOME is honoured)."
  default     = null

  validation {
    condition     = var.python_env_dir == null ? true : length(trimspace(var.python_env_dir)) > 0
    error_message = "python_env_dir must not be empty (leave it null for the default)."
  }
}

variable "azure_endpoint" {
  type        = string
  description = "Azure OpenAI: the resource's endpoint, for example https://my-resource.openai.azure.com. Set it with azure_deployment; the key comes from AZURE_OPENAI_API_KEY. Cannot be combined with base_url."
  default     = null

  validation {
    condition     = var.azure_endpoint == null ? true : can(regex("^https?://[A-Za-z0-9._\\-\\[\\]:]+(/[!-~]*)?$", var.azure_endpoint))
    error_message = "azure_endpoint must be an http:// or https:// URL of a host name or address, with no credentials or spaces, for example https://my-resource.openai.azure.com."
  }
}

variable "azure_deployment" {
  type        = string
  description = "Azure OpenAI: the deployment that answers (it decides the model)."
  default     = null

  validation {
    condition     = var.azure_deployment == null ? true : can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", var.azure_deployment))
    error_message = "azure_deployment must be a deployment name: letters, digits, '.', '_' and '-', at most 64 characters."
  }
}

variable "azure_api_version" {
  type        = string
  description = "Azure OpenAI: the data-plane API version (used only with azure_endpoint)."
  default     = "2024-10-21"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", var.azure_api_version))
    error_message = "azure_api_version must look like 2024-10-21 or 2025-04-01-preview."
  }
}

variable "requests_per_minute" {
  type        = number
  description = "Cap on API requests per minute, shared by every helper process that uses the same cache_dir and endpoint (retries included). Default: no cap."
  default     = null

  validation {
    condition     = var.requests_per_minute == null ? true : var.requests_per_minute >= 1 && var.requests_per_minute <= 100000 && floor(var.requests_per_minute) == var.requests_per_minute
    error_message = "requests_per_minute must be a whole number from 1 to 100000."
  }
}

################################################################################
# Guardrails: answers that fail unless allowed, and how outputs are shown.
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
  description = "Mark the answer outputs (content, parsed, choices, function_call, tool_calls, refusal) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text."
  default     = false
  nullable    = false
}
