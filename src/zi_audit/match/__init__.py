"""Stage 3, names: which evidence item each file name (and its folders) can count for; the folder layout; suggestions, explain, init."""
