"""The graph: where the responsibility network is kept (:mod:`.store`) and what is computed from it
(:mod:`.analytics`).  Nothing here knows about HTTP, HTML or the command line."""
