"""lifebot: Jiangyin 24-hour life-service assistant (CLI, settings, process runner)."""
