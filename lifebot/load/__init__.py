"""`lifebot bench load`: simulated residents holding multi-turn conversations over Rasa's REST channel."""
