"""The helper behind modules/chat_completion and modules/stored_completion; entry.py routes each query to its flow."""
