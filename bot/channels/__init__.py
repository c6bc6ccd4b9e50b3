"""Custom Rasa input channels (WeChat official account comes with the channels issue)."""
