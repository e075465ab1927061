################################################################################
# What to read: completion_id for one stored completion, or else the list
# filters below (model, metadata, order, limit) for a list. Not both.
################################################################################

variable "completion_id" {
  type        = string
  description = "ID of a completion created with store = true (for example module.chat.id) to read with its metadata and messages. Leave null to list stored completions instead."
  default     = null

  validation {
    condition     = var.completion_id == null ? true : length(trimspace(var.completion_id)) > 0
    error_message = "completion_id must not be empty: pass a completion ID such as module.chat.id, or leave it null to list."
  }
  validation {
    condition     = var.completion_id == null ? true : can(regex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,255}$", var.completion_id))
    error_message = "completion_id must look like chatcmpl-abc123: letters, digits, _ . : and -, 1 to 256 characters (no spaces or slashes)."
  }
}

variable "model" {
  type        = string
  description = "List filter: only completions made with this model. Default: every model."
  default     = null

  validation {
    condition     = var.model == null ? true : length(trimspace(var.model)) > 0
    error_message = "model must not be empty: name a model such as \"gpt-4o\", or leave it null for every model."
  }
}

variable "metadata" {
  type        = map(string)
  description = "List filter: only completions whose metadata holds every one of these pairs. At most 16 pairs, keys up to 64 characters, values up to 512. Default: no filter."
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

variable "order" {
  type        = string
  description = "List order by creation time: \"asc\" (oldest first) or \"desc\" (newest first). API default: asc."
  default     = null

  validation {
    condition     = var.order == null ? true : contains(["asc", "desc"], var.order)
    error_message = "order must be \"asc\" or \"desc\"."
  }
}

variable "limit" {
  type        = number
  description = "Most stored completions to list, 1 to 1000; the helper follows the API's pages until it has them, and has_more says whether more match. Default: 100."
  default     = null

  validation {
    condition     = var.limit == null ? true : var.limit >= 1 && var.limit <= 1000 && floor(var.limit) == var.limit
    error_message = "limit must be a whole number from 1 to 1000."
  }
}

variable "sensitive" {
  type        = bool
  description = "Mark the answer and prompt outputs (choices, content, function_call, tool_calls, refusal, messages, completions) sensitive, so plans and outputs hide them. They are still stored in state in plain text."
  default     = false
  nullable    = false
}

################################################################################
# Where to read from. The same settings, with the same rules, as chat_completion.
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
  description = "OpenAI project ID sent as OpenAI-Project (stored completions are visible to the project that stored them). Default: OPENAI_PROJECT_ID from the environment."
  default     = null
}

variable "timeout_seconds" {
  type        = number
  description = "Bound on the whole read, every page, retries and waits included (the external provider has no timeout of its own)."
  default     = 120
  nullable    = false

  validation {
    condition     = var.timeout_seconds > 0 && var.timeout_seconds <= 3600
    error_message = "timeout_seconds must be more than 0 and at most 3600."
  }
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
