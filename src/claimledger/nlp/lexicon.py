"""Word lists the attribution and claim components share: cues, hedges, outlets, roles.

Lemmas, lower-case. Each cue lemma maps to (kind, certainty the cue itself conveys).
"""

from __future__ import annotations

from importlib import resources

from claimledger.records import Certainty

# Reporting verbs that introduce what someone said, wrote or thinks.
CUE_VERBS: dict[str, tuple[str, Certainty]] = {
    **{
        v: ("say", "asserted")
        for v in (
            "say",
            "state",
            "mention",
            "tell",
            "add",
            "note",
            "explain",
            "declare",
            "announce",
            "stress",
            "emphasize",
            "emphasise",
            "insist",
            "argue",
            "claim",
            "assert",
            "confirm",
            "acknowledge",
            "admit",
            "warn",
            "reply",
            "respond",
            "remark",
            "comment",
            "observe",
            "testify",
            "recall",
            "repeat",
            "reiterate",
            "write",
            "tweet",
            "allege",
            "maintain",
            "contend",
            "point",
            "describe",
            "estimate",
            "report",
            "predict",
            "promise",
            "vow",
            "pledge",
            "concede",
            "disclose",
            "reveal",
            "caution",
            "complain",
            "boast",
            "ask",
            "urge",
            "answer",
            "continue",
            "conclude",
            "specify",
            "clarify",
            "underline",
            "highlight",
            "counter",
            "retort",
            "quip",
            "joke",
            "shout",
            "whisper",
            "agree",
            "accuse",
            "praise",
            "criticize",
            "criticise",
        )
    },
    **{v: ("indicate", "asserted") for v in ("indicate", "show", "find", "demonstrate")},
    **{
        v: ("believe", "believed")
        for v in ("believe", "think", "feel", "assume", "consider", "reckon", "understand")
    },
    **{v: ("believe", "possible") for v in ("suggest", "speculate", "suspect", "guess")},
    **{v: ("believe", "likely") for v in ("expect", "anticipate")},
    **{v: ("post", "asserted") for v in ("post", "publish", "share", "broadcast")},
    **{v: ("deny", "denied") for v in ("deny", "dispute", "reject", "refute")},
}

# Verbs that report speech in every sense they have (curated, not mined).
SPEECH_VERBS = frozenset(v for v, (kind, _) in CUE_VERBS.items() if kind in {"say", "post"})


def _mined_cues() -> tuple[dict[str, tuple[str, Certainty]], set[str]]:
    """Cue verbs mined from PolNeAR train (claimledger.training.mine_cues): verbs that
    annotators marked as cues at least half the times they took a clausal complement
    (first) or, with no complement, a direct object (second)."""
    table = resources.files("claimledger.data").joinpath("mined_cues.tsv")
    complement: dict[str, tuple[str, Certainty]] = {}
    objects: set[str] = set()
    for line in table.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lemma, shape = line.split("\t")[:2]
        if shape == "complement":
            complement[lemma] = ("say", "asserted")
        else:
            objects.add(lemma)
    return complement, objects


_MINED_COMPLEMENT, OBJECT_CUES = _mined_cues()
# Curated entries win: they carry the right kind and certainty.
CUE_VERBS = {**_MINED_COMPLEMENT, **CUE_VERBS}

# Verbs that need their particle to be a cue: "point out", not "point at".
PARTICLE_CUES: dict[str, set[str]] = {"point": {"out"}}

# Passive "It is <verb> that ..." with no agent: an unattributed, hedged statement.
IMPERSONAL_CUES: dict[str, Certainty] = {
    "believe": "believed",
    "think": "believed",
    "understand": "believed",
    "say": "reported",  # hearsay: "it is said", "he is said to have"
    "report": "reported",
    "rumor": "possible",
    "rumour": "possible",
    "expect": "likely",
    "assume": "believed",
    "suspect": "possible",
    "estimate": "believed",
    "know": "asserted",
    "feel": "believed",
    "allege": "possible",
    "claim": "possible",
}

# Hedges inside the content, by the certainty they leave. Also read as hedges (see
# attribution._hedges): "almost certainly" (likely), "appear to" / "seem to" (likely), and
# "possible" as a predicate ("it is possible that", possible).
HEDGE_WORDS: dict[str, Certainty] = {
    "likely": "likely",
    "probably": "likely",
    "presumably": "likely",
    "apparently": "likely",
    "seemingly": "likely",
    "must": "likely",  # "must have withdrawn": an inference, not an observation
    "reportedly": "reported",
    "supposedly": "reported",
    "purportedly": "reported",
    "unconfirmed": "possible",
    "allegedly": "possible",
    "possibly": "possible",
    "perhaps": "possible",
    "maybe": "possible",
    "may": "possible",
    "might": "possible",
    "could": "possible",
    "unlikely": "possible",
}

# Nouns that attribute a that-clause: "his claim that ...", "charges that ...".
NOUN_CUES: dict[str, Certainty] = {
    "claim": "asserted",
    "charge": "asserted",
    "allegation": "possible",
    "assertion": "asserted",
    "statement": "asserted",
    "suggestion": "possible",
    "warning": "asserted",
    "belief": "believed",
    "argument": "asserted",
    "insistence": "asserted",
    "accusation": "possible",
    "promise": "asserted",
    "assurance": "asserted",
    "admission": "asserted",
    "announcement": "asserted",
    "estimate": "believed",
    "prediction": "likely",
    "rumor": "possible",
    "rumour": "possible",
    "report": "asserted",
    "view": "believed",
    "notion": "believed",
    "contention": "asserted",
    "complaint": "asserted",
    "denial": "denied",
}

# Nouns naming a report-like carrier: "a report by CNN", "a statement from the ministry".
REPORT_NOUNS = {
    "report",
    "statement",
    "article",
    "post",
    "interview",
    "broadcast",
    "story",
    "investigation",
    "analysis",
    "assessment",
    "briefing",
    "release",
    "publication",
}

# Words that mark an organisation name as a news outlet.
OUTLET_WORDS = {
    "news",
    "agency",
    "times",
    "post",
    "journal",
    "independent",
    "gazette",
    "herald",
    "tribune",
    "telegraph",
    "guardian",
    "press",
    "tv",
    "television",
    "radio",
    "newspaper",
    "daily",
    "weekly",
    "magazine",
    "broadcaster",
    "wire",
    "observer",
    "chronicle",
    "network",
    "media",
    "channel",
    "today",
}

# Well-known outlets whose names carry none of these words are in data/gazetteer.toml.

# Nouns that refer back to an outlet already named: "the mentioned newspaper".
OUTLET_ANAPHORS = {
    "newspaper",
    "paper",
    "outlet",
    "agency",
    "broadcaster",
    "publication",
    "daily",
    "magazine",
    "site",
    "website",
    "channel",
    "network",
}

# Social platforms: a cue "posted on Facebook" makes the channel a social post.
PLATFORMS = {
    "facebook": "Facebook",
    "twitter": "Twitter",
    "x": "X",
    "telegram": "Telegram",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "truth": "Truth Social",
    "weibo": "Weibo",
    "vk": "VK",
    "vkontakte": "VK",
    "linkedin": "LinkedIn",
    "threads": "Threads",
    "bluesky": "Bluesky",
}

# Nouns naming the occasion of a statement, by channel kind.
CHANNEL_NOUNS = {
    "speech": "speech",
    "address": "speech",
    "remarks": "speech",
    "rally": "speech",
    "interview": "interview",
    "conference": "press-conference",
    "briefing": "briefing",
    "statement": "statement",
    "letter": "letter",
    "post": "social-post",
    "tweet": "social-post",
    "message": "statement",
    "report": "report",
    "video": "video",
    "broadcast": "broadcast",
    "hearing": "testimony",
    "testimony": "testimony",
    "op-ed": "op-ed",
    "memo": "memo",
}

# Heads of descriptions that make a source a person: "the spokesperson for ...".
PERSON_ROLES = {
    "president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "advisor",
    "adviser",
    "minister",
    "commander",
    "commander-in-chief",
    "chief",
    "general",
    "colonel",
    "officer",
    "official",
    "secretary",
    "director",
    "head",
    "leader",
    "chairman",
    "chairwoman",
    "chair",
    "governor",
    "mayor",
    "senator",
    "representative",
    "ambassador",
    "analyst",
    "expert",
    "researcher",
    "professor",
    "deputy",
    "aide",
    "envoy",
    "premier",
    "chancellor",
    "prime",
    "king",
    "queen",
    "prince",
    "soldier",
    "captain",
    "lieutenant",
    "major",
    "sergeant",
    "founder",
    "ceo",
    "executive",
    "candidate",
    "nominee",
    "lawmaker",
    "judge",
    "prosecutor",
    "lawyer",
    "attorney",
    "doctor",
    "witness",
    "resident",
    "mp",
}

# Titles written before a name: "President Zelensky".
TITLES = {
    "president",
    "minister",
    "general",
    "gen.",
    "colonel",
    "col.",
    "commander",
    "senator",
    "sen.",
    "rep.",
    "governor",
    "gov.",
    "mayor",
    "prime",
    "chancellor",
    "king",
    "queen",
    "prince",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "prof.",
    "secretary",
    "ambassador",
    "chief",
    "lt.",
    "sgt.",
    "captain",
    "capt.",
    "major",
    "maj.",
    "pope",
    "judge",
    "sheikh",
    "commander-in-chief",
}

# Plural common nouns that make a group source: "officials", "experts", "intelligence".
GROUP_NOUNS = {
    "official",
    "expert",
    "analyst",
    "source",
    "intelligence",
    "observer",
    "diplomat",
    "witness",
    "resident",
    "researcher",
    "investigator",
    "authority",
    "military",
    "government",
    "people",
    "critic",
    "supporter",
    "voter",
    "aide",
    "lawmaker",
    "scientist",
    "doctor",
    "soldier",
    "commander",
    "officer",
    "leader",
    "member",
}

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "their"}
