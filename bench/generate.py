"""Write N realistic synthetic cases, every document kind, with a fixed seed so runs compare.

.venv/bin/python bench/generate.py N FOLDER
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import yaml

WORDS = [
    "förvaltningen",
    "regionen",
    "nämnden",
    "verksamheten",
    "budget",
    "kostnader",
    "införandet",
    "uppföljning",
    "patienter",
    "vårdförvaltningarna",
    "resurser",
    "utbildning",
    "planering",
    "samverkan",
    "beslut",
    "prognos",
    "underskott",
    "finansiering",
    "uppdraget",
    "tidplan",
    "digitalisering",
    "arbetssätt",
    "medarbetare",
    "insatsen",
]
UNITS = ["DN HS", "DN PS", "DN ADH", "DN NSV", "RK", "Regionservice"]
KINDS = [
    "tjänsteskrivelse",
    "budgetavvikelse",
    "protokollsutdrag",
    "förfrågan_om_utvecklingsmedel",
    "ersättningsmodell",
    "example",
]
# The kinds with a richer structure (remiss, motion, protocol, delegation, investment, follow-up,
# rates) start from the written examples, with new titles, numbers and prose.
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "cases" / "examples").glob("*.yaml"))


def prose(rng: random.Random, paragraphs: int) -> str:
    out = []
    for _ in range(paragraphs):
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        out.append(" ".join(sentences))
    out.append(
        "\n".join(
            f"- {' '.join(rng.choice(WORDS) for _ in range(6))}" for _ in range(rng.randint(2, 4))
        )
    )
    return "\n\n".join(out)


def from_example(i: int, rng: random.Random) -> dict[str, Any]:
    """A written example with a new title, diarienummer and prose (so no two cases are equal)."""
    example = EXAMPLES[(i // len(KINDS)) % len(EXAMPLES)]
    data: dict[str, Any] = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["titel"] = f"{data['titel']} ({' '.join(rng.choice(WORDS) for _ in range(3))})"
    if "diarienummer" in data:
        series = str(data["diarienummer"]).split(" ")[0]
        data["diarienummer"] = f"{series} 2026/{i}"
    for key in ("sammanfattning", "bakgrund"):
        if isinstance(data.get(key), str):
            data[key] = prose(rng, 3)
    return data


def case(i: int, rng: random.Random) -> dict[str, Any]:
    kind = KINDS[i % len(KINDS)]
    if kind == "example":
        return from_example(i, rng)
    data: dict[str, Any] = {
        "mall": ["region", "region-halland", "kommun"][i % 3],
        "diarienummer": f"RS{250000 + i:06d}",
        "datum": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "titel": " ".join(rng.choice(WORDS) for _ in range(7)).capitalize(),
        "handläggare": "Anna Andersson, Controller",
        "mottagare": "Regionstyrelsen",
        "förslag_till_beslut": {
            "organ": "Regionstyrelsen",
            "att": [f"godkänna {rng.choice(WORDS)}", f"uppdra åt {rng.choice(WORDS)}"],
        },
        "sammanfattning": prose(rng, 3),
        "bakgrund": prose(rng, 4),
        "konsekvenser": prose(rng, 2),
        "ekonomi": prose(rng, 1),
        "konsekvensanalys": "Ingen påverkan",
        "beslutsunderlag": ["Tjänsteskrivelse"],
        "expedieras_till": UNITS[:4],
        "underskrifter": [
            "Per Karlsson, Ekonomidirektör",
            "Emma Phil, Hälso- och sjukvårdsdirektör",
        ],
        "tabeller": {},
    }
    amounts = [rng.randint(100, 9_000) * 1000 for _ in UNITS]
    data["tabeller"]["budget"] = {
        "typ": "budget",
        "enhet": "kr",
        "kolumner": ["2026", "2027"],
        "rader": [
            {"rubrik": f"Uppdrag {u}", "belopp": {"2026": f"{a} kr"}}
            for u, a in zip(UNITS, amounts, strict=True)
        ],
        "summa": f"{sum(amounts)} kr",
    }
    data["tabeller"]["fördelning"] = {
        "typ": "fördelning",
        "enhet": "kr",
        "grupper": [
            {
                "poster": [
                    {"mottagare": u, "belopp": f"{a} kr"}
                    for u, a in zip(UNITS, amounts, strict=True)
                ],
                "summarad": "Summa",
            }
        ],
        "summa": f"{sum(amounts)} kr",
    }
    data["ekonomi"] = {"text": prose(rng, 1), "tabeller": ["budget"]}
    if kind == "budgetavvikelse":
        data["tabeller"]["avvikelse"] = {
            "typ": "budgetavvikelse",
            "enhet": "mkr",
            "år": [
                {"år": str(y), "budget": 75, "prognos_över_budget": rng.randint(-5, 10)}
                for y in range(2020, 2026)
            ],
        }
        data["handlingar"] = [{"typ": "budgetavvikelse", "avvikelse": "avvikelse"}]
    elif kind == "protokollsutdrag":
        data["handlingar"] = [
            {"typ": "tjänsteskrivelse"},
            {
                "typ": "protokollsutdrag",
                "organ": "Regionstyrelsen",
                "paragraf": i % 200 + 1,
                "sammanträdesdatum": "2026-03-18",
                "beslutsgång": "Ordföranden frågar om förslaget kan antas och finner att så sker.",
                "reservationer": [{"ledamot": "Bo Berg", "parti": "M"}],
                "justering": {"justerad": True},
            },
        ]
    elif kind == "förfrågan_om_utvecklingsmedel":
        data["bilagor"] = [{"titel": "Förfrågan om utvecklingsmedel", "handling": "förfrågan"}]
        data["handlingar"] = [
            {"typ": "tjänsteskrivelse"},
            {
                "typ": kind,
                "id": "förfrågan",
                "bilaga": 1,
                "insats": {
                    "namn": "Insats",
                    "startdatum": "2026-01-01",
                    "slutdatum": "2026-12-31",
                    "ansvarig_förvaltning": "RK",
                    "kontaktperson": "Per Karlsson, ekonomidirektör",
                    "beräknad_kostnad": f"{sum(amounts)} kr",
                },
                "syfte": prose(rng, 1),
                "mål": prose(rng, 1),
                "budget": "budget",
                "fördelning": "fördelning",
            },
        ]
    elif kind == "ersättningsmodell":
        data["tabeller"]["schabloner"] = {
            "typ": "schabloner",
            "kolumner": ["2026"],
            "rader": [
                {"kategori": "Vårdpersonal", "belopp": {"2026": 450}},
                {"kategori": "Läkare", "belopp": {"2026": 900}},
            ],
        }
        data["tabeller"]["mars"] = {
            "typ": "tidrapport",
            "schabloner": "schabloner",
            "år": "2026",
            "period": "mars 2026",
            "rader": [
                {"enhet": u, "kategori": "Vårdpersonal", "timmar": rng.randint(10, 200)}
                for u in UNITS
            ],
        }
        data["handlingar"] = [
            {
                "typ": kind,
                "schabloner": "schabloner",
                "tidrapporter": ["mars"],
                "avsnitt": [
                    {
                        "rubrik": "Generella utgångspunkter",
                        "text": prose(rng, 3),
                        "tabeller": ["schabloner"],
                    }
                ],
                "beslutas_av": "Tommy Svensson, Regiondirektör",
            }
        ]
    else:
        data["handlingar"] = [{"typ": ["tjänsteskrivelse", "beslutsförslag"][i // len(KINDS) % 2]}]
    if data["mall"] == "region-halland":
        data["diarienummer"] = f"RS{250000 + i:06d}"
    return data


def generate(n: int, folder: Path, seed: int = 20261123) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"{2026}" / f"case{i:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump(case(i, rng), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        paths.append(path)
    return paths


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
