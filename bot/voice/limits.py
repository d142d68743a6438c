"""What a voice note may be: WhatsApp's own media cap, and the length a person speaks in one go."""

MAX_BYTES = 16 * 1024 * 1024
MAX_SECONDS = 120.0  # longer notes are refused politely, before any transcription
MAX_COMPUTE_FACTOR = 3.0  # a run past 3x the audio's length is stopped (a stuck or looping decode)
SAMPLE_RATE = 16_000
