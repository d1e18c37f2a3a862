"""General financial knowledge: figures, periods, vocabulary and formulas (data files), entities, sentence grammar."""
