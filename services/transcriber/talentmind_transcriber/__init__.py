"""The transcriber: turns interview recordings into transcripts with speaker roles."""
