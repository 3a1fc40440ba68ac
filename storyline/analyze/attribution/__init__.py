"""Attribution: who said (or believes, denies, announces …) what — the ``storyline_statements`` component.

Modules: ``quotes`` (quotation spans), ``features`` (token facts and feature
strings), ``tagger`` (CRF inference from shipped JSON weights), ``extract``
(cues, then each cue's source and content), ``cues`` (cue classes),
``speakers`` (canonical names, pronoun resolution), ``component`` (the spaCy
factory), ``corpus``/``training`` (learning from PolNeAR train).
"""
