"""The story across sources, built one stored document at a time (docs/stories.md).

- :mod:`storyline.story.engine` — places a stored document: copies, identities, story, claims.
- :mod:`storyline.story.identities` — one identity per person, organisation, place and role-named source.
- :mod:`storyline.story.duplicates` — near-duplicate copies (MinHash LSH).
- :mod:`storyline.story.clustering` — incremental story clustering.
- :mod:`storyline.story.claims` — statements that assert one proposition, with each source's stance.
- :mod:`storyline.story.views` — reading it back: stories, claims, figure series, timeline.
- :mod:`storyline.story.stance` — the FNC-1 stance model (claim × text: agree, disagree, discuss, unrelated).
"""
