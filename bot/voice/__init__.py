"""Voice notes: audio in, an Indonesian (or English) transcript out, offline (issue 14).

limits.py says what a note may be; decode.py turns its bytes into samples in memory; whisper.py is
the faster-whisper backend behind the `Transcriber` interface of base.py; pool.py runs it off the
event loop; fetch.py downloads a channel's audio; hear.py turns the outcome into the person's
message and readback.py into the "Saya dengar: ..." line."""
