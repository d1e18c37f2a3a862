"""Storage: chunks, vectors and document records in Chroma under a commit protocol, and the facts index read
from the stored chunks."""
