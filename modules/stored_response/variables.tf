# The inputs, grouped by what they decide. The helper checks the rules of every input at plan and
# names the input that breaks one (helper/chat_helper/stored_response/query.py, core/settings.py): one
# owner for each rule, and no validation block, which would cost every module block a graph node.

################################################################################
# What to read
################################################################################

variable "response_id" {
  type        = string
  description = "ID of a stored response (made with store = true, the API's default), for example module.answer.id, to read with its input items."
  nullable    = false
}

################################################################################
# Endpoint (the same settings as response)
################################################################################

variable "base_url" {
  type        = string
  description = "Base URL of an OpenAI-compatible API that serves GET /responses/{id}, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
  default     = null
}

variable "organization" {
  type        = string
  description = "OpenAI organization ID sent as OpenAI-Organization. Default: OPENAI_ORG_ID from the environment."
  default     = null
}

variable "project" {
  type        = string
  description = "OpenAI project ID sent as OpenAI-Project (a stored response is visible to the project that made it). Default: OPENAI_PROJECT_ID from the environment."
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
  description = "Mark the answer and prompt outputs (output_text, parsed, refusal, function_calls, reasoning_summary, output, input_items) sensitive, so plans and outputs hide them. They are still stored in state in plain text."
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
