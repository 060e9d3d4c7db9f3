"""How the book is built: execution, caching, rendering, reruns, handouts and the Sphinx extension."""
