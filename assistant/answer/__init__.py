"""Answering: facts looked up or computed, quoted sentences, refusals, and the answer written with citations."""
