# The inputs, grouped by what they decide. The helper checks the rules of every input at plan and
# names the input that breaks one (helper/chat_helper/stored/query.py, core/settings.py): one owner
# for each rule, and no validation block, which would cost every module block a graph node.

################################################################################
# What to read: completion_id for one stored completion, else the list filters for a list
################################################################################

variable "completion_id" {
  type        = string
  description = "ID of a completion created with store = true (for example module.chat.id) to read with its metadata and messages. Leave null to list stored completions instead."
  default     = null
}

variable "model" {
  type        = string
  description = "List filter: only completions made with this model. Default: every model."
  default     = null
}

variable "metadata" {
  type        = map(string)
  description = "List filter: only completions whose metadata holds every one of these pairs. At most 16 pairs, keys up to 64 characters, values up to 512. Default: no filter."
  default     = null
}

variable "order" {
  type        = string
  description = "List order by creation time: \"asc\" (oldest first) or \"desc\" (newest first). API default: asc."
  default     = null
}

variable "limit" {
  type        = number
  description = "Most stored completions to list, 1 to 1000; the helper follows the API's pages until it has them, and has_more says whether more match. Default: 100."
  default     = null
}

################################################################################
# Endpoint (the same settings as chat_completion)
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
  description = "OpenAI project ID sent as OpenAI-Project (stored completions are visible to the project that stored them). Default: OPENAI_PROJECT_ID from the environment."
  default     = null
}

variable "timeout_seconds" {
  type        = number
  description = "Bound on the whole read, every page, retries and waits included (the external provider has no timeout of its own)."
  default     = 120
  nullable    = false
}

################################################################################
# Display
################################################################################

variable "sensitive" {
  type        = bool
  description = "Mark the answer and prompt outputs (choices, content, function_call, tool_calls, refusal, messages, completions) sensitive, so plans and outputs hide them. They are still stored in state in plain text."
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
