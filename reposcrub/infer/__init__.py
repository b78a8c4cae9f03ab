"""What a repository says about its organisation: the draft profile of `reposcrub profile
infer` (draft.py) and the fallback a scan uses when no profile was given (fallback.py).
Kept empty so that a scan importing the fallback loads none of the draft's parsers."""
