"""Names used where vulture cannot see it (read with the code by `vulture`, see pyproject.toml).

Each line reads one name; keep this short and say who uses it."""

from bench import turns
from bot.channels.spec import Capabilities
from bot.knowledge.models import FaqEntry, Sentra
from bot.store.models import Agency, Contact
from bot.voice.whisper import _Joined
from flows.schema import Flow
from nlu.published import PublishedExample

# Fields of content and flow YAML: the strict models refuse a file that has a key they do not declare.
Sentra.address_source  # also checked by name in bot/knowledge/check.py
FaqEntry.question
Flow.description
PublishedExample.verbatim  # provenance of a published NLU example, kept with it

# Database schema: a column and the other side of a relationship.
Agency.imported_at
Contact.conversation

# A channel's declared limits (bot/channels/spec.py): each renderer applies its own; declared for
# readers of the registry (and the next channel), not yet read by shared code.
Capabilities.max_text
Capabilities.max_buttons
Capabilities.button_payload_bytes
Capabilities.location_request

# io.RawIOBase protocol: CTranslate2 asks the stream whether it can be read.
_Joined.readable

# bench/turns.py: called by name in each tree's worker subprocess.
turns.run_turns
