"""The NLP layer: spaCy pipeline, attribution finding, time and figure normalisation."""

# fast: the parse and the learned cue model. accurate: adds the MiniLM role tagger
# (the ``accurate`` extra). Kept here, import-light, so the CLI can offer the choice
# without loading spaCy.
PROFILES = ("fast", "accurate")
