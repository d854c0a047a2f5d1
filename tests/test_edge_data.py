"""Edge data that must run and say something sensible, and determinism of the KPI tables.

Every edge scenario goes through ``cases.analyse`` and through ``kpi-cases kpis`` (exit 0). In both
the KPI table has no ``inf``, every undefined value is NaN (an empty cell in the CSV) with a note that
says why, and the scenario's own facts hold (one customer holds 100 %, a month without data has
revenue 0 and breaks the growth chain, ...).

Determinism: ``cases.analyse`` twice gives identical tables, and ``kpi-cases kpis all`` run twice --
in two processes with different hash seeds -- writes byte-identical files.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import cases, scorecard
from kpi_helpers.cli import main
from kpi_helpers.data import load_case

from conftest import ROOT as REPO  # noqa: E402
CASE_NAMES = ["startup", "consultancy", "marketing_agency", "restaurant", "your_data"]

VISITS_HEADER = "date,seated_at,left_at,table,guest_id,covers,bill,rating\n"
STATS_HEADER = "date,client,campaign,channel,impressions,clicks,conversions,spend,conversion_value\n"
PROJECTS_HEADER = "project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
CONSULTANTS = "consultant,start_date,end_date,weekly_hours\nKari,2020-01-01,,37.5\nOla,2021-06-01,,30\n"
TABLES_CSV = "table,seats\nT1,2\nT2,4\n"


@dataclass
class Edge:
    id: str
    case: str
    files: dict[str, str]
    check: Callable[["Kpis", cases.CaseResult], None]


class Kpis:
    """Look-ups in a KPI table: k("revenue") is the whole-period value of scope all."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.t = table

    def row(self, kpi: str, period: str = "all", scope: str = "all") -> pd.Series:
        hit = self.t[(self.t["kpi"] == kpi) & (self.t["period"] == period) & (self.t["scope"] == scope)]
        assert len(hit) == 1, (kpi, period, scope, len(hit))
        return hit.iloc[0]

    def __call__(self, kpi: str, period: str = "all", scope: str = "all") -> float:
        return float(self.row(kpi, period, scope)["value"])

    def note(self, kpi: str, period: str = "all", scope: str = "all") -> str:
        n = self.row(kpi, period, scope)["note"]
        return "" if pd.isna(n) else str(n)


# --------------------------------------------------------------------------- the scenario checks
def _one_customer(k: Kpis, r: cases.CaseResult) -> None:
    assert r.key_accounts == ["Solo AS"]
    assert k("top_customer_share") == 1.0 and k("hhi") == 10_000 and k("abc_a_count") == 1
    assert k("revenue_share", scope="account:Solo AS") == 1.0
    assert k("active_customers") == 1
    assert k("cmgr") == pytest.approx((90 / 100) ** (1 / 2) - 1)


def _one_month(k: Kpis, r: cases.CaseResult) -> None:
    assert set(k.t["period"]) == {"all", "2024-03"}
    assert math.isnan(k("cmgr")) and "fewer than two complete months" in k.note("cmgr")
    assert math.isnan(k("mom_growth", "2024-03")) and "no previous month" in k.note("mom_growth", "2024-03")
    assert k("revenue") == 150 and k("revenue", "2024-03") == 150


def _all_zero(k: Kpis, r: cases.CaseResult) -> None:
    assert k("revenue") == 0 and k("active_customers") == 0
    for kpi in ("top_customer_share", "top20_share", "hhi", "abc_a_count"):
        assert math.isnan(k(kpi)) and k.note(kpi) == "no customer with revenue > 0", kpi
        assert k.note(kpi, "2024-02") == "no customer with revenue > 0 in this month", kpi
    assert math.isnan(k("cmgr"))
    # the key-account rule picks from customers with revenue > 0: nobody here
    assert r.key_accounts == [] and not r.kpis["scope"].str.startswith("account:").any()


def _gap_month(k: Kpis, r: cases.CaseResult) -> None:
    assert k("revenue", "2024-02") == 0 and k.note("revenue", "2024-02") == "no data in this month"
    assert k("active_customers", "2024-02") == 0
    assert k("mom_growth", "2024-02") == -1.0
    assert math.isnan(k("mom_growth", "2024-03")) and k.note("mom_growth", "2024-03") == "no previous month with revenue"
    assert math.isnan(k("hhi", "2024-02")) and k.note("hhi", "2024-02") == "no data in this month"
    assert k("cmgr") == pytest.approx((160 / 150) ** 0.5 - 1)  # first and last complete months, n = 2
    assert k("revenue", "2024-02", scope="account:A") == 0


def _customers_without_sales(k: Kpis, r: cases.CaseResult) -> None:
    assert r.key_accounts and "Prospekt AS" not in r.key_accounts
    assert any("1 customer(s) in the customers table have no transactions in the data ('Prospekt AS')" in n
               for n in r.notes)


def _only_ongoing(k: Kpis, r: cases.CaseResult) -> None:
    assert math.isnan(k("avg_completion_days"))
    assert k.note("avg_completion_days") == "no project finished; 2 ongoing projects not counted"
    assert math.isnan(k("on_time_rate")) and "no project finished" in k.note("on_time_rate")
    assert math.isnan(k("on_time_rate", "2024-01")) and k.note("on_time_rate", "2024-01") == "no project finished"
    assert k("csat") == 1.0  # the one answer is a 4
    assert k("revenue") == 7 * 1500 + 5 * 1000


def _one_finished(k: Kpis, r: cases.CaseResult) -> None:
    assert k("avg_completion_days") == 59  # 2024-01-02 .. 2024-03-01
    assert k.note("avg_completion_days").startswith("1 ongoing project not counted")
    assert k("on_time_rate") == 1.0
    # one finished project is fewer than the minimum (3 by default): no verdict, and the note says why
    row = r.kpis.set_index(["kpi", "scope", "period"]).loc[("on_time_rate", "all", "all")]
    assert row["status"] == "insufficient_data" and row["observations"] == 1
    assert "1 observation, fewer than the minimum of 3" in row["note"]


def _zero_impressions(k: Kpis, r: cases.CaseResult) -> None:
    for kpi, why in (("ctr", "impressions are 0"), ("cvr", "clicks are 0"), ("cpc", "clicks are 0"),
                     ("cpa", "conversions are 0"), ("roas", "spend is 0")):
        for period in ("all", "2024-01"):
            assert math.isnan(k(kpi, period)) and why in k.note(kpi, period), (kpi, period)
    # no client with spend > 0: the key-account rule picks nobody
    assert r.key_accounts == []


def _zero_impressions_one_campaign(k: Kpis, r: cases.CaseResult) -> None:
    # the dead campaign adds nothing to the ratios of sums
    assert k("ctr") == pytest.approx(10 / 1000) and k("cvr") == pytest.approx(1 / 10)
    assert k("roas") == pytest.approx(200 / 50)
    assert math.isnan(k("ctr", "2024-02")) and "impressions are 0" in k.note("ctr", "2024-02")


def _day_without_visits(k: Kpis, r: cases.CaseResult) -> None:
    # three open days (1st, 3rd, 31st); the days between are not open days
    assert r.frames["monthly"].loc[0, "open_days"] == 3
    assert k("revenue_per_table") == pytest.approx(400 / (2 * 3))
    assert k("table_turnover") == pytest.approx(3 / (2 * 3))
    assert k("revpash") == pytest.approx(400 / (6 * 6.0 * 3))
    assert k("avg_check") == pytest.approx(400 / 6)


def _single_rating(k: Kpis, r: cases.CaseResult) -> None:
    t = r.kpis.set_index(["kpi", "scope", "period"])
    assert k("avg_rating") == 5.0 and t.loc[("avg_rating", "all", "all"), "observations"] == 1
    assert k("rating_count") == 1
    # one rating against a target: too few to judge (min_ratings is 10 by default)
    assert t.loc[("avg_rating", "all", "all"), "status"] == "insufficient_data"
    assert k("avg_rating", scope="account:G1") == 5.0
    assert t.loc[("avg_rating", "account:G1", "all"), "status"] == "insufficient_data"
    assert math.isnan(k("avg_rating", scope="account:G2")) and k.note("avg_rating", scope="account:G2") == "no ratings"


def _partial_month_without_ratings(k: Kpis, r: cases.CaseResult) -> None:
    # the reason the value is undefined is not hidden behind "partial month"
    assert math.isnan(k("avg_rating", "2024-01")) and k.note("avg_rating", "2024-01") == "partial month; no ratings"
    assert math.isnan(k("revpash")) and k.note("revpash") == "no tables table (seats)"
    assert k("revenue") == 100 and k("table_turnover") == 1.0
    assert r.key_accounts == []


EDGES = [
    Edge("one-customer", "startup", {"invoices": "date,customer,amount\n2024-01-01,Solo AS,100\n"
                                                 "2024-02-15,Solo AS,120\n2024-03-31,Solo AS,90\n"}, _one_customer),
    Edge("one-month", "startup", {"invoices": "date,customer,amount\n2024-03-01,A,100\n2024-03-31,B,50\n"},
         _one_month),
    Edge("all-zero-revenue", "your_data", {"transactions": "date,customer,amount\n2024-01-01,A,0\n"
                                                           "2024-02-10,B,0\n2024-03-31,A,0.00\n"}, _all_zero),
    Edge("month-without-data", "startup", {"invoices": "date,customer,amount\n2024-01-01,A,100\n2024-01-31,B,50\n"
                                                       "2024-03-01,A,100\n2024-03-31,B,60\n"}, _gap_month),
    Edge("customers-without-sales", "your_data", {
        "transactions": "date,customer,amount\n2024-01-01,A,100\n2024-01-31,B,50\n",
        "customers": "customer,strategic_value,growth_potential,engagement\nA,3,3,3\nB,2,2,2\nProspekt AS,5,5,5\n"},
        _customers_without_sales),
    Edge("only-ongoing-projects", "consultancy", {
        "projects": PROJECTS_HEADER + "P1,Globex,2024-01-01,2024-06-30,,1500\nP2,Initech,2024-01-15,2024-05-31,,1000\n",
        "timesheets": "date,consultant,project_id,hours\n2024-01-01,Kari,P1,7\n2024-01-31,Ola,P2,5\n",
        "consultants": CONSULTANTS,
        "surveys": "project_id,date,score\nP1,2024-01-20,4\n"}, _only_ongoing),
    Edge("one-finished-project", "consultancy", {
        "projects": PROJECTS_HEADER + "P1,Globex,2024-01-02,2024-03-31,2024-03-01,1500\n"
                                      "P2,Initech,2024-01-15,2024-05-31,,1000\n",
        "timesheets": "date,consultant,project_id,hours\n2024-01-01,Kari,P1,7\n2024-03-31,Ola,P2,5\n"},
        _one_finished),
    Edge("campaign-with-zero-impressions", "marketing_agency", {
        "campaign_stats": STATS_HEADER + "2024-01-01,Acme,Spring,search,0,0,0,0,0\n"
                                         "2024-01-31,Acme,Spring,search,0,0,0,0,0\n"}, _zero_impressions),
    Edge("one-campaign-with-zero-impressions", "marketing_agency", {
        "campaign_stats": STATS_HEADER + "2024-01-01,Acme,Spring,search,1000,10,1,50,200\n"
                                         "2024-02-29,Beta,Dud,social,0,0,0,0,0\n"}, _zero_impressions_one_campaign),
    Edge("day-without-visits", "restaurant", {
        "visits": VISITS_HEADER + "2024-01-01,18:00,19:00,T1,G1,2,100,4\n2024-01-03,18:00,19:00,T2,,2,200,\n"
                                  "2024-01-31,18:00,19:00,T1,G1,2,100,\n",
        "tables": TABLES_CSV}, _day_without_visits),
    Edge("single-rating", "restaurant", {
        "visits": VISITS_HEADER + "2024-01-01,18:00,19:00,T1,G1,2,100,5\n2024-01-31,18:00,19:00,T2,G2,2,200,\n",
        "tables": TABLES_CSV}, _single_rating),
    Edge("one-visit-no-optional-data", "restaurant", {"visits": "date,table,covers,bill\n2024-01-01,T1,2,100\n"},
         _partial_month_without_ratings),
]


def write_files(base: Path, edge: Edge) -> Path:
    d = base / edge.case
    d.mkdir(parents=True, exist_ok=True)
    for table, text in edge.files.items():
        (d / f"{table}.csv").write_text(text, encoding="utf-8")
    return d


def assert_sensible(table: pd.DataFrame) -> None:
    """No inf; every NaN value has a note; no value where the note calls it undefined."""
    values = table["value"].to_numpy(dtype=float)
    assert not np.isinf(values).any()
    notes = table["note"].fillna("").astype(str)
    missing = table["value"].isna()
    assert notes[missing].str.len().gt(0).all(), table[missing & notes.eq("")]
    assert not (notes.str.startswith("undefined") & ~missing).any()
    assert set(table["status"]) <= set(scorecard.STATUSES)
    assert (table["status"] == "not_measurable").tolist() == missing.tolist()


@pytest.mark.parametrize("edge", EDGES, ids=[e.id for e in EDGES])
def test_edge_data(edge: Edge, tmp_path: Path, capsys):
    d = write_files(tmp_path / "in", edge)
    result = cases.analyse(edge.case, load_case(edge.case, d))
    assert_sensible(result.kpis)
    edge.check(Kpis(result.kpis), result)

    out = tmp_path / "out" / f"{edge.case}_kpis.csv"
    capsys.readouterr()
    code = main(["kpis", edge.case, "--data", str(d), "--out", str(out)])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    assert "Traceback" not in cap.err and "error" not in cap.err.lower()
    assert out.read_text(encoding="utf-8") == scorecard.kpi_table_csv(result.kpis)
    written = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert_sensible(written)
    assert "inf" not in set(out.read_text(encoding="utf-8").replace(",", "\n").split("\n"))


def test_mistyped_year_is_reported_not_hidden(tmp_path: Path, capsys):
    """A 2042 among 2024 invoices runs (a long empty stretch), and the warning says where to look."""
    edge = Edge("typo", "startup", {"invoices": "date,customer,amount\n2024-01-01,A,100\n2024-01-31,A,50\n"
                                                "2042-01-31,A,10\n"}, lambda k, r: None)
    d = write_files(tmp_path, edge)
    code = main(["kpis", "startup", "--data", str(d), "--out", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 0
    assert "no rows from 2024-02 to 2041-12 (215 months)" in err and "mistyped year" in err


# --------------------------------------------------------------------------- determinism
@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {c: load_case(c, REPO / "data" / c) for c in CASE_NAMES}


@pytest.mark.parametrize("case", CASE_NAMES)
def test_analyse_is_deterministic(shipped, case):
    first = cases.analyse(case, shipped[case])
    again = cases.analyse(case, shipped[case])
    reloaded = cases.analyse(case, load_case(case, REPO / "data" / case))
    pd.testing.assert_frame_equal(again.kpis, first.kpis, check_exact=True)
    pd.testing.assert_frame_equal(reloaded.kpis, first.kpis, check_exact=True)
    text = scorecard.kpi_table_csv(first.kpis)
    assert scorecard.kpi_table_csv(again.kpis) == text == scorecard.kpi_table_csv(reloaded.kpis)
    assert first.key_accounts == again.key_accounts == reloaded.key_accounts


@pytest.mark.slow  # two full kpis runs over every case
def test_kpis_command_twice_writes_identical_files(tmp_path: Path, capsys):
    """Two processes with different hash seeds (set and dict order must not leak into the tables), and
    the in-process command: byte-identical files."""
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "OPENBLAS_NUM_THREADS": "1"}
        proc = subprocess.run([sys.executable, "-m", "kpi_helpers.cli", "kpis", "all", "--out", str(out)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        outs.append(out)
    inproc = tmp_path / "inproc"
    assert main(["kpis", "all", "--out", str(inproc)]) == 0
    capsys.readouterr()
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == sorted(f"{c}_kpis.csv" for c in CASE_NAMES)
    for name in names:
        data = (outs[0] / name).read_bytes()
        assert (outs[1] / name).read_bytes() == data, name
        assert (inproc / name).read_bytes() == data, name
