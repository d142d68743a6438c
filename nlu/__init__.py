"""NLU: Rasa-format training data, the embedded engine, the Rasa HTTP client, evaluation."""
