"""Custom Rasa input channels: socketio (Rasa's, delivering custom payloads) and the WeChat official account."""
