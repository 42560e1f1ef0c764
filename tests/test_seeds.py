"""The five seed documents as cases: they validate, and their figures come out exactly.

The expected figures are the ones DOMAIN.md lists, read off the seed texts in
tests/fixtures/seeds/; the facts test checks that what a case says is what its seed says.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from arendegen.compute import BudgetResult, DeviationResult, DistributionResult, RateResult
from arendegen.formatting import format_money
from arendegen.money import Unit
from arendegen.schema.documents import Extract, FundingRequest
from arendegen.validate import CaseResult, check_file
from conftest import CASES, EXAMPLES, SEED_FOLDERS, SEEDS

SEED_CASES = {
    "000": "region/2024/RS-577-2024-fvis-underskott.yaml",
    "001": "region/2019/fvis-omfordelning-strategiska-medel.yaml",
    "002": "region-halland/2025/RS250184-utvecklingsmedel-cosmic.yaml",
    "003": "region/2022/ersattningsmodell-fvis.yaml",
    "004": "bollebygds-kommun/2020/socialnamnden-fvm-projektledare.yaml",
}
NB = "\u00a0"


def checked(seed: str) -> CaseResult:
    result = check_file(CASES / SEED_CASES[seed], display=SEED_CASES[seed])
    assert result.errors == [], [d.as_text() for d in result.errors]
    assert result.case is not None and result.computed is not None
    return result


def seed_text(seed: str) -> str:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


def words(text: str) -> str:
    """Whitespace and dashes folded, so that line breaks and PDF list artifacts don't count."""
    return " ".join(re.sub(r"\s*[-\u2013]\s*", " ", text).split())


@pytest.mark.parametrize("seed", sorted(SEED_CASES))
def test_seed_case_validates_without_errors(seed: str) -> None:
    checked(seed)


def test_seed_warnings_are_only_what_the_seed_text_lacks() -> None:
    warnings = {
        seed: sorted(f"{d.path}: {d.message}" for d in checked(seed).warnings)
        for seed in SEED_CASES
    }
    assert warnings["000"] == ["titel: ärendet har inget datum"]
    assert warnings["002"] == [
        "handlingar[2].organ: protokollsutdraget har inget sammanträdesdatum"
    ]
    assert warnings["004"] == [
        "handlingar[0].organ: protokollsutdraget har inget sammanträdesdatum",
        "handlingar[0].paragraf: paragrafnumret är inte angivet",
        "titel: ärendet har inget datum",
        "titel: ärendet har inget diarienummer",
    ]


def test_seed_002_budget_and_distribution() -> None:
    result = checked("002")
    assert result.computed is not None and result.case is not None
    budget = result.computed.tables["budget"]
    assert isinstance(budget, BudgetResult)
    assert [format_money(s) for s in budget.row_sums] == [
        f"10,0{NB}mnkr",
        f"2,62{NB}mnkr",
        f"6,11{NB}mnkr",
    ]
    assert budget.column_sums["2025"].kronor == Decimal(18_730_000)
    assert format_money(budget.total) == f"18,73{NB}mnkr"
    assert budget.column_sums["2023"].kronor == 0

    dist = result.computed.tables["fördelning"]
    assert isinstance(dist, DistributionResult)
    assert format_money(dist.groups[0].subtotal) == f"18{NB}230{NB}000{NB}kr"
    assert format_money(dist.groups[1].subtotal) == f"500{NB}000{NB}kr"
    assert format_money(dist.total) == f"18{NB}730{NB}000{NB}kr"

    request = next(d for d in result.case.handlingar if isinstance(d, FundingRequest))
    declared = request.insats.beräknad_kostnad.resolve(None)
    assert declared is not None
    assert declared.kronor == dist.total.kronor == budget.total.kronor
    assert (request.insats.startdatum.isoformat(), request.insats.slutdatum.isoformat()) == (
        "2025-01-01",
        "2025-06-30",
    )


def test_seed_000_deficit_is_overrun_plus_reserve() -> None:
    computed = checked("000").computed
    assert computed is not None
    deviation = computed.tables["fvis"]
    assert isinstance(deviation, DeviationResult)
    labels = {Unit.KR: "kr", Unit.TKR: "tkr", Unit.MNKR: "mkr", Unit.MDKR: "mdkr"}
    assert format_money(deviation.deficits["2024"], labels=labels) == f"74{NB}mkr"
    year_2024 = next(y for y in deviation.years if y.year == "2024")
    assert year_2024.budget.kronor == 75_000_000
    assert year_2024.deviation is not None and year_2024.deviation.kronor == -69_000_000
    assert deviation.reserves.kronor == 5_000_000
    assert [y.year for y in deviation.years] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert deviation.budget_total.kronor == 6 * 75_000_000


def test_seed_003_hourly_rates() -> None:
    computed = checked("003").computed
    assert computed is not None
    rates = computed.tables["schabloner"]
    assert isinstance(rates, RateResult)
    assert {k[0]: v.kronor for k, v in rates.rates.items()} == {
        "Vårdpersonal": 430,
        "Läkare": 850,
        "Tandläkare": 850,
        "Övrig personal inom Hälso- och sjukvårdsförvaltningen": 430,
        "Personal inom Regionförvaltningen": 430,
    }


def test_seed_004_costs_add_up_to_210_tkr() -> None:
    result = checked("004")
    assert result.computed is not None and result.case is not None
    costs = result.computed.tables["kostnader"]
    assert isinstance(costs, BudgetResult)
    assert format_money(costs.total) == f"210{NB}tkr"
    extract = result.case.handlingar[0]
    assert isinstance(extract, Extract)
    assert [(r.ledamot, r.parti) for r in extract.reservationer] == [
        ("Gun-Britt Ottosson", "M"),
        ("Anneli Lindström", "FR"),
    ]


def test_seed_001_reallocates_seven_million() -> None:
    case = checked("001").case
    assert case is not None and case.förslag_till_beslut is not None
    clause = case.förslag_till_beslut.att[0].text
    assert clause.startswith("7 miljoner kronor omfördelas ur strategiska budgetmedel")
    assert case.ställningstaganden[0].organ == "Central beredningsgrupp"


@pytest.mark.parametrize("seed", sorted(SEED_CASES))
def test_every_fact_of_the_case_stands_in_its_seed(seed: str) -> None:
    """Names, clauses, lists and prose in the case are the seed's own words."""
    case = checked(seed).case
    assert case is not None
    source = words(seed_text(seed))
    facts: list[str] = []
    if case.diarienummer:
        facts.append(case.diarienummer)
    people = [*case.beredningsansvariga, *case.underskrifter]
    if case.handläggare:
        people.append(case.handläggare)
    facts += [p.namn for p in people] + [p.titel for p in people if p.titel]
    facts += [r.namn for r in case.expedieras_till or []]
    facts += [b.titel for b in case.beslutsunderlag]
    if case.förslag_till_beslut:
        facts += [c.text for c in case.förslag_till_beslut.att]
    for name in ("sammanfattning", "bakgrund", "konsekvenser", "ekonomi", "konsekvensanalys"):
        section = getattr(case, name)
        if section and section.text:
            facts += [p for p in re.split(r"\n\s*\n|\n- ", section.text) if p.strip()]
    missing = [f for f in facts if words(f.lstrip("- ")) not in source]
    assert missing == []


def test_every_seed_case_is_in_the_repository() -> None:
    found = [p.relative_to(CASES).as_posix() for f in SEED_FOLDERS for p in f.rglob("*.yaml")]
    assert sorted(found) == sorted(SEED_CASES.values())
    assert {p.parent for p in CASES.rglob("*.yaml")} - {EXAMPLES} <= {
        p.parent for f in SEED_FOLDERS for p in f.rglob("*.yaml")
    }


def test_seed_texts_are_present() -> None:
    assert len(list(Path(SEEDS).glob("*.txt"))) == 5
