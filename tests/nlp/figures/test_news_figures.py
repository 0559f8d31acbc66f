"""Figures as real reporting writes them: every figure of a sentence, with its measure and
interval. The sentences are written for these tests in the style of wire copy."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract import analyze

# (sentence, [(measure, low, high), ...] in the order of the text)
LISTS = [
    # a bare number's measure is the word right after it ("adjacent")
    ("The ministry said 310 people had been killed and 1,900 injured in the shelling.",
     [("killed", 310, 310), ("wounded", 1900, 1900)]),
    ("The UN said the fighting had left 2,300 dead, 5,100 wounded and 380 missing.",
     [("killed", 2300, 2300), ("wounded", 5100, 5100), ("missing", 380, 380)]),
    ("Aid groups said 6,200 people remain missing and 900 reported injured.",
     [("missing", 6200, 6200), ("wounded", 900, 900)]),
    ("The prefect said 310 people were killed and 1,900 injured, while 450 remain missing.",
     [("killed", 310, 310), ("wounded", 1900, 1900), ("missing", 450, 450)]),
    ("Officials said the casualties numbered 4,800, including 1,300 dead and 3,500 injured.",
     [("killed_or_wounded", 4800, 4800), ("killed", 1300, 1300), ("wounded", 3500, 3500)]),
    ("Health officials said the toll rose to 4,210, with 12,730 reported injured.",
     [("killed", 4210, 4210), ("wounded", 12730, 12730)]),
    # "killed or wounded" right after the noun is one measure, not its first word
    ("Commanders said 8,000 soldiers were killed or wounded.",
     [("killed_or_wounded", 8000, 8000)]),
    # a participle on the noun stays a participle: the verb decides
    ("The general said half of the soldiers deployed in the valley have been wounded or killed.",
     [("killed_or_wounded", 0.5, 0.5)]),
    ("He said there are 50,000 Russian soldiers and 9,000 Belarusian soldiers deployed there.",
     [("deployed", 50000, 50000), ("deployed", 9000, 9000)]),
    # an elided noun borrows the figure before
    ("Rescuers said 1,200 bodies had been recovered, and 640 more were in morgues.",
     [("killed", 1200, 1200), ("killed", 640, 640)]),
    ("The governor said 3,100 homes were destroyed and the Ridge fire, more than 2,000.",
     [("destroyed", 3100, 3100), ("destroyed", 2000, 2200)]),
    # "feared dead" is not confirmed dead
    ("Police said 57 migrants were feared dead after the boat sank.", [("missing", 57, 57)]),
    # totals that fall
    ("The agency said the number of displaced people dropped to 40,000.",
     [("displaced", 40000, 40000)]),
    # a part and its whole
    ("The army said 12 of the 30 drones were shot down.",
     [("destroyed", 12, 12), ("other", 30, 30)]),
    ("The agency said 60per cent of the homes were damaged.", [("other", 0.6, 0.6)]),
    ("The UN said dozens more were missing.", [("missing", 24, 99)]),
    # a part listed in a figure takes its measure
    ("The agency said there were 9,870 casualties, with 3,020 deaths, including 415 children.",
     [("killed_or_wounded", 9870, 9870), ("killed", 3020, 3020), ("killed", 415, 415)]),
    ("Police said 31 people are dead and dozens more are missing, including more than 12 "
     "hikers.", [("killed", 31, 31), ("missing", 24, 99), ("missing", 12, 13.2)]),
    ("The bodies of 88 victims, about a third of them children, have been found, the mayor "
     "said.", [("killed", 88, 88), ("killed", 26.4, 32.266667)]),
    # the verb is read as the verb, not as the word after the noun
    ("In total, nine people have lost their lives in the Ridge fire, officials said.",
     [("killed", 9, 9)]),
    # a hedged state says nothing; a verb shared with a later figure is the later one's
    ("At least 61 migrants drowned on Sunday and hundreds more were missing and likely dead "
     "after the boat sank, the coast guard said.", [("killed", 61, 67.1), ("missing", 200, 999)]),
    ("The toll from the collapse is at least six, with dozens more missing, police said.",
     [("killed", 6, 6.6), ("missing", 24, 99)]),
    # people living in shelters, schools or tents are displaced; a town's people are not
    ("The ministry said 310,000 people are residing in schools and tents.",
     [("displaced", 310000, 310000)]),
    ("Some 5,000 people live in the town, the mayor said.", [("other", 4500, 5500)]),
    # a verb that sets a total on its object
    ("Local reports have put the number of flood deaths outside the county at 31.",
     [("killed", 31, 31)]),
    ("Officials estimated the death toll at 300.", [("killed", 300, 300)]),
    # a headline whose number the parser hangs badly, after a quote it takes for a subject
    ("'Grief on every street': Lumaro flood toll surpasses 640\n"
     "The city has opened new cemeteries.", [("killed", 640, 640)]),
    # a total whose noun says what it counts in an "including" phrase
    ("An intelligence update suggests the total number of Ruritanian military personnel "
     "affected—including killed and wounded—could be as high as 700,000.",
     [("killed_or_wounded", 630000, 700000)]),
    # coordinated figures share the word after the last of them
    ("The sheriff said four campers and one counselor are still missing from the camp.",
     [("missing", 4, 4), ("missing", 1, 1)]),
    # soldiers at work are deployed; other people at work are not
    ("Some 90,000 troops, including volunteers, are working on the ground in rescue efforts.",
     [("deployed", 81000, 99000)]),
    ("Police said 4,000 officers were working to clear the roads.", [("other", 4000, 4000)]),
    # an active subject with an object did something to it; "suffer" undergoes it
    ("Officials said 500 soldiers killed 40 civilians.", [("other", 500, 500), ("killed", 40, 40)]),
    ("Officials said 40 people died and 300 soldiers suffered injuries.",
     [("killed", 40, 40), ("wounded", 300, 300)]),
    ("Officials said 2,000 homes burned.", [("destroyed", 2000, 2000)]),
    ("Several people were hurt in the three fires which have burned 9,000 acres, police said.",
     [("wounded", 3, 9), ("other", 9000, 9000)]),
    # a figure that totals the ones it restates takes their measure; a breakdown does not
    ("The governor said the state had deployed 11 helicopters and 8 rescue teams — 300 to "
     "350 personnel in all — to the valley.",
     [("deployed", 11, 11), ("deployed", 8, 8), ("deployed", 300, 350)]),
    ("The sheriff said the county had sent 6 helicopters, 10 drones and 4 dive teams — 150 "
     "to 200 personnel in all — to the river.",
     [("deployed", 6, 6), ("other", 10, 10), ("deployed", 4, 4), ("deployed", 150, 200)]),
    ("The mission said nine victims (two women and seven men) were found dead.",
     [("killed", 9, 9)]),
    # a number that leaves out the noun before borrows its measure only when it has no
    # verb of its own that says what happened to it
    ("At least 40 migrants have drowned and more than 90 have been rescued, the coast "
     "guard said.", [("killed", 40, 44), ("other", 90, 99)]),
    ("The ministry said 300 soldiers were captured and 200 were later released.",
     [("captured", 300, 300), ("other", 200, 200)]),
    ("Officials said 2,000 bodies had been recovered, and another 900 are in morgues.",
     [("killed", 2000, 2000), ("killed", 900, 900)]),
    # the earlier figure a change is measured from is the same quantity's
    ("The ministry said 900 people had died, an increase from 700 last week.",
     [("killed", 900, 900), ("killed", 700, 700)]),
    ("The sheriff said 40 people were missing, a sharp drop from the 120 reported on Monday.",
     [("missing", 40, 40), ("missing", 120, 120)]),
    # weapons are launched whatever the verb; an area burns but is no structure; money is
    # never a toll
    ("The air force said Russia deployed over 600 drones and 11 missiles overnight.",
     [("other", 600, 660), ("other", 11, 11)]),
    ("The army said it deployed 3,000 troops to the border.", [("deployed", 3000, 3000)]),
    ("Officials said the Cedar fire has burned more than 4,000 acres and destroyed 120 homes.",
     [("other", 4000, 4400), ("destroyed", 120, 120)]),
    ("Insurers said losses could reach $40 billion.", [("other", 4e10, 4e10)]),
    ("The agency said it had paid $300 million to displaced families.", [("other", 3e8, 3e8)]),
    # a long list of groups included in a total stated before is its breakdown; a list
    # under a total in the same sentence, or a short one, keeps its figures
    ("Casualties included six nurses, 14 ambulance drivers, four aid workers and 19 "
     "firefighters, the agency said.", []),
    ("The agency said 300 people were hurt, including 40 children, 12 nurses and five "
     "firefighters.",
     [("wounded", 300, 300), ("wounded", 40, 40), ("wounded", 12, 12), ("wounded", 5, 5)]),
    ("The dead include 40 children and 12 women, officials said.",
     [("killed", 40, 40), ("killed", 12, 12)]),
    # a zero says nothing happened: no more a claim than "no one was killed"
    ("The Ridge fire was 0% contained on Monday, officials said.", []),
    ("Officials said zero deaths and 12 injuries were recorded.", [("wounded", 12, 12)]),
    # a figure in the words naming a speaker counts someone else than the speaker
    ("“We were left alone,” said a cousin of three of the victims.", []),
    ("A mother of two told reporters that 14 homes had burned.", [("destroyed", 14, 14)]),
    # who speaks is no figure; what a verb of finding did is one
    ("Two officials told reporters that 40 soldiers died.", [("killed", 40, 40)]),
    ("While air defences intercepted most of the projectiles, 48 drones and six missiles "
     "still found their targets, the report said.", [("other", 48, 48), ("other", 6, 6)]),
    # a figure the attribution reader took for a speaker is still a figure
    ("And the toll could be much higher, with many thousands believed to still be under "
     "the rubble.", [("missing", 2000, 9999)]),
    ("Three senior officials said 40 soldiers died.", [("killed", 40, 40)]),
    # a change in a statement that the parse nests in the one around it: both ends, once
    ("The number of people reported missing has dropped from around 240 to just five, "
     "according to county officials.", [("missing", 216, 264), ("missing", 5, 5)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LISTS, ids=[t[:50] for t, _ in LISTS])
def test_every_figure_of_a_sentence_with_its_measure(
    text: str, expected: list[tuple[str, float, float]]
) -> None:
    claims = analyze(text, published=dt.date(2025, 3, 4)).claims
    got = [(c.measure, c.quantity.low, c.quantity.high) for c in claims]
    assert got == [(m, pytest.approx(lo), pytest.approx(hi)) for m, lo, hi in expected]


# (sentence, [subject key of each claim, in the order of the text]): who is counted
SUBJECTS = [
    ("Kyiv said Ruritanian casualties reached 1,000 and 3,000 Ruritanians were captured.",
     ["ruritanians", "ruritanians"]),
    ("The ministry said 1,000 deaths were recorded.", ["people"]),
    ("He said 200 more soldiers and another 40 medics will be deployed.",
     ["soldiers", "medics"]),
    ("The air force said Russia launched a record 510 drones and seven Iskander-M missiles.",
     ["drones", "iskander-m missiles"]),
    # the parser may hang the number on "record": the drones are still what is counted
    ("Kyiv said that Russia launched a record 640 drones on the country in an overnight "
     "attack.", ["drones"]),
    ("Officials said nine hikers and 12 others were reported missing.", ["hikers", "people"]),
    ("The mayor thanked the more than 900 local, state and federal workers on the scene.",
     ["local, state and federal workers"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "keys"), SUBJECTS, ids=[t[:50] for t, _ in SUBJECTS])
def test_the_subject_is_who_is_counted(text: str, keys: list[str]) -> None:
    claims = analyze(text, published=dt.date(2025, 3, 4)).claims
    assert [c.subject.key for c in claims] == keys
