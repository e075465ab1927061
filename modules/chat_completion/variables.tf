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
# How the answer is obtained. None of these are sent to the API.
################################################################################

variable "base_url" {
  type        = string
  description = "Base URL of an OpenAI-compatible API, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
  default     = null

  validation {
    condition     = var.base_url == null ? true : can(regex("^https?://[^/\\s]+", var.base_url))
    error_message = "base_url must be an http:// or https:// URL, for example https://api.openai.com/v1."
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

variable "regenerate" {
  type        = string
  description = "Change this value to ask for a new answer to the same request (like keepers in the random provider)."
  default     = null
}

variable "python" {
  type        = string
  description = "Python interpreter (3.10+, with the helper's packages) that runs the helper. Default: python3, or python on Windows."
  default     = null

  validation {
    condition     = var.python == null ? true : length(trimspace(var.python)) > 0
    error_message = "python must not be empty (leave it null for the default)."
  }
}
