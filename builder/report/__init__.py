"""`coursepack report`: did the training work? Read statements, aggregate, compute, write.

Pure stages between one reader and the writers: `read` (a file or an LRS, streamed) ->
`aggregate` (one small state per learner, at constant memory in the number of statements) ->
`metrics` / `learning` (tables) -> `write` (terminal, HTML, CSV, JSON). See docs/report.md.
"""
