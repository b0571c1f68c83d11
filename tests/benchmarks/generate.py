"""Write a synthetic but realistic dataset in the project's TOML format.

Members, quotes and events come in the bundled data's proportions (85 : 89 : 34),
seeded, with accented names, long texts and links between records, split over
several files as a real dataset would be. Usage:

    python -m tests.benchmarks.generate OUT_DIR --records 100000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SYLLABLES = [
    "al", "ba", "ché", "dor", "el", "fa", "gra", "hé", "in", "jo", "ka", "lu", "mé", "no", "ö", "pa", "qui",
    "ra", "sé", "tor", "ü", "va", "wen", "xa", "yé", "zu", "ça", "ña", "ø", "å", "ré", "lin", "tech", "data",
]  # fmt: skip
WORDS_TEXT = (
    "open innovation model models safety trust research science compute data tools talent community "
    "developers researchers alliance foundation university company hardware software accelerator "
    "benchmark evaluation responsible governance policy regulation education skills climate health "
    "multilingual multimodal scientific global ecosystem collaboration transparent ethical secure "
    "développement fédérale société numérique recherche ouverte sécurité données énergie réseau "
    "infrastructure platform deployment inference training agents frontier sovereign federated "
    "industrial medical language speech vision robotics quantum cloud edge partners members"
)
WORDS = WORDS_TEXT.split()
TYPES = ["company"] * 43 + ["university"] * 26 + ["research"] * 4 + ["nonprofit"] * 9 + ["government"] * 3
OTHER_COUNTRIES = ["CH", "JP", "GB", "FR", "DE", "IN", "SG", "IL", "FI", "AE", "IT", "BG", "VN", "SN", "PL", "ES"]
COUNTRIES = ["US"] * 50 + OTHER_COUNTRIES
TAGS = ["launch", "membership", "policy", "project", "context", "controversy", "website", "event"]
SHARES = (85, 89, 34)  # members, quotes, events in the bundled data


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(parts))


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(sentences))


def counts(records: int) -> tuple[int, int, int]:
    total = sum(SHARES)
    members = max(2, records * SHARES[0] // total)
    quotes = max(1, records * SHARES[1] // total)
    return members, quotes, max(1, records - members - quotes)


def generate(out: Path, records: int, seed: int = 7, per_file: int = 5000) -> dict[str, int]:
    """Write the dataset into `out` (created); returns the counts written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n_members, n_quotes, n_events = counts(records)
    member_ids = [f"m{i:06d}" for i in range(n_members)]
    url = "https://example.org/source"
    (out / "alliance.toml").write_text(
        f"""[alliance]
id = "synthetic"
name = "Synthetic Alliance ({records:,} records)"
founded = 2023-12-05
founders = [{toml_str(member_ids[0])}, {toml_str(member_ids[1])}]
mission = {toml_str(paragraph(rng, 3))}
website = "https://example.org"
as_of = 2026-06-01
focus_areas = ["Open Foundation Models", "Responsible AI", "Hardware", "Skills"]
objectives = [{", ".join(toml_str(sentence(rng, 12)) for _ in range(6))}]
governance = {toml_str(paragraph(rng, 2))}
figures = {{ "Members" = "{n_members:,}" }}
sources = ["{url}"]
"""
        + "".join(
            f"""
[[alliance.topic]]
id = "topic-{t}"
title = {toml_str(sentence(rng, 5))}
summary = {toml_str(paragraph(rng, 3))}
members = [{toml_str(rng.choice(member_ids))}]
sources = ["{url}"]
"""
            for t in range(10)
        ),
        encoding="utf-8",
    )

    def chunks(kind: str, total: int, render) -> None:
        for start in range(0, total, per_file):
            lines = [render(i) for i in range(start, min(total, start + per_file))]
            (out / f"{kind}-{start // per_file:03d}.toml").write_text("".join(lines), encoding="utf-8")

    founding_cut = max(2, n_members * 57 // 85)

    def member(i: int) -> str:
        founding = i < founding_cut
        joined = "2023-12-05" if founding else f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f"""[[member]]
id = "{member_ids[i]}"
name = {toml_str(name(rng, rng.randint(1, 4)) + rng.choice(["", " University", " Labs", " AI", " Institute"]))}
type = "{rng.choice(TYPES)}"
country = "{rng.choice(COUNTRIES)}"
founding = {"true" if founding else "false"}
joined = {joined}
summary = {toml_str(paragraph(rng, rng.randint(1, 3)))}
sources = ["{url}/m/{i}"]

"""

    def quote(i: int) -> str:
        return f"""[[quote]]
id = "q{i:06d}"
text = {toml_str(paragraph(rng, rng.randint(2, 5)))}
speaker = {toml_str(name(rng, 2))}
role = {toml_str(rng.choice(["CEO", "Director", "Professor", "President", "Chief Scientist"]))}
member = "{rng.choice(member_ids)}"
date = 2023-12-05
lang = "en"
sources = ["{url}/q/{i}"]

"""

    def event(i: int) -> str:
        members = ", ".join(toml_str(rng.choice(member_ids)) for _ in range(rng.randint(0, 3)))
        tags = ", ".join(toml_str(t) for t in rng.sample(TAGS, 2))
        return f"""[[event]]
id = "e{i:06d}"
date = {rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}
title = {toml_str(sentence(rng, 6))}
summary = {toml_str(paragraph(rng, 2))}
members = [{members}]
tags = [{tags}]
sources = ["{url}/e/{i}"]

"""

    chunks("members", n_members, member)
    chunks("quotes", n_quotes, quote)
    chunks("events", n_events, event)
    return {"members": n_members, "quotes": n_quotes, "events": n_events, "topics": 10}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.records, args.seed))


if __name__ == "__main__":
    main()
