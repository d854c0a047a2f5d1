"""The shipped data equal a fresh run of the seeded generators, and tell the cases' stories."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import synth

from conftest import DATA


def _csv_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.csv"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All cases regenerated through the command line into a temporary folder."""
    out = tmp_path_factory.mktemp("synth")
    assert synth.main(["--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[str, pd.DataFrame]]:
    """All cases generated in memory once."""
    return synth.generate_all()


def read(case: str, table: str, **kw) -> pd.DataFrame:
    return pd.read_csv(DATA / case / f"{table}.csv", keep_default_na=False, na_values=[""],
                       **kw)


# ------------------------------------------------------------------ reproducibility
def test_same_set_of_files(fresh: Path) -> None:
    assert _csv_files(fresh) == _csv_files(DATA)
    expected = sorted(f"{case}/{table}.csv" for case, table in synth.COLUMNS)
    assert _csv_files(DATA) == expected
    others = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                    if p.is_file() and p.suffix != ".csv")
    assert others == ["README.md"]


@pytest.mark.parametrize("name", _csv_files(DATA))
def test_file_equals_fresh_run_byte_for_byte(fresh: Path, name: str) -> None:
    shipped = (DATA / name).read_bytes()
    assert (fresh / name).read_bytes() == shipped, (
        f"data/{name} differs from `python -m kpi_helpers.synth`: run `make data`")


def test_generators_are_deterministic_in_memory(
        generated: dict[str, dict[str, pd.DataFrame]]) -> None:
    assert list(generated) == list(synth.GENERATORS)
    for case in ("startup", "restaurant"):
        again = synth.GENERATORS[case]()
        assert list(again) == list(generated[case])
        for table, df in again.items():
            pd.testing.assert_frame_equal(df, generated[case][table])


def test_other_seed_gives_other_data() -> None:
    assert not synth.startup()["invoices"].equals(synth.startup(seed=1)["invoices"])


def test_write_all_one_case(tmp_path: Path) -> None:
    paths = synth.write_all(tmp_path, cases=["concepts"])
    assert [p.name for p in paths] == ["production.csv", "bank_client.csv"]


# ------------------------------------------------------------------ format
@pytest.mark.parametrize("case,table", list(synth.COLUMNS))
def test_canonical_columns_and_format(generated: dict[str, dict[str, pd.DataFrame]], case: str,
                                      table: str) -> None:
    raw = (DATA / case / f"{table}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw, "\\n line endings only"
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")
    lines = text.split("\n")[:-1]
    assert lines[0] == ",".join(synth.COLUMNS[(case, table)])
    frame = generated[case][table]
    assert list(frame.columns) == synth.COLUMNS[(case, table)]
    assert len(lines) - 1 == len(frame) > 0
    df = pd.read_csv(DATA / case / f"{table}.csv", dtype=str, keep_default_na=False)
    for col in df.columns:
        values = df[col][df[col] != ""]
        if col in synth.DATE_COLUMNS:
            assert values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), col
        if col in synth.MONEY_COLUMNS:
            assert values.str.fullmatch(r"-?\d+\.\d{2}").all(), col
        if col == "month":
            assert values.str.fullmatch(r"\d{4}-\d{2}").all()


@pytest.mark.parametrize("case,table", [("startup", "invoices"), ("consultancy", "timesheets"),
                                        ("marketing_agency", "campaign_stats"),
                                        ("restaurant", "visits"), ("your_data", "transactions")])
def test_no_partial_months(case: str, table: str) -> None:
    dates = pd.to_datetime(read(case, table)["date"])
    assert dates.min().day == 1
    assert (dates.max() + pd.Timedelta(days=1)).day == 1


def test_total_size_small() -> None:
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 5 * 1024 * 1024


def test_readme_documents_every_table_and_column() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for (case, table), cols in synth.COLUMNS.items():
        assert f"`{case}/{table}.csv`" in readme, (case, table)
        if (case, table) == ("your_data", "customers"):
            continue  # documented as "same columns as startup/customers.csv"
        for col in cols:
            assert f"| `{col}` |" in readme, (case, table, col)
    assert "python -m kpi_helpers.synth" in readme and "make data" in readme
    assert "synthetic" in readme


# ------------------------------------------------------------------ startup story
@pytest.fixture(scope="module")
def startup_monthly() -> pd.DataFrame:
    inv = read("startup", "invoices", parse_dates=["date"])
    inv["period"] = inv["date"].dt.to_period("M")
    return inv.pivot_table(index="period", columns="customer", values="amount",
                           aggfunc="sum", fill_value=0.0)


def test_startup_a_has_largest_share(startup_monthly: pd.DataFrame) -> None:
    share = startup_monthly.sum() / startup_monthly.to_numpy().sum()
    assert share.idxmax() == synth.STARTUP_A
    assert 0.45 <= share[synth.STARTUP_A] <= 0.55
    assert 0.10 <= share[synth.STARTUP_B] <= 0.15
    assert share.drop([synth.STARTUP_A, synth.STARTUP_B]).max() < 0.08


def test_startup_b_grows_fastest(startup_monthly: pd.DataFrame) -> None:
    last6 = startup_monthly.iloc[-6:].sum()
    prev6 = startup_monthly.iloc[-12:-6].sum()
    growth = (last6[prev6 > 0] / prev6[prev6 > 0] - 1).sort_values(ascending=False)
    assert growth.index[0] == synth.STARTUP_B
    assert growth.iloc[0] - growth.iloc[1] > 0.1
    # A is flat or slightly declining
    a = startup_monthly[synth.STARTUP_A]
    assert a.iloc[-12:].sum() / a.iloc[:12].sum() < 1.02


def test_startup_company_growth(startup_monthly: pd.DataFrame) -> None:
    total = startup_monthly.sum(axis=1)
    assert len(total) == 24
    cmgr = (total.iloc[-1] / total.iloc[0]) ** (1 / 23) - 1
    mean_mom = total.pct_change().mean()
    assert 0.02 <= cmgr <= 0.05
    assert 0.025 <= mean_mom <= 0.05
    july = total[total.index.month == 7]
    june = total[total.index.month == 6]
    assert (july.to_numpy() < june.to_numpy()).all()


def test_startup_scores() -> None:
    cust = read("startup", "customers").set_index("customer")
    assert tuple(cust.loc[synth.STARTUP_B]) == (5, 5, 5)
    assert cust.loc[synth.STARTUP_A, "strategic_value"] <= 3
    assert cust.to_numpy().min() >= 1 and cust.to_numpy().max() <= 5
    names = list(cust.index)
    assert any(ch in n for n in names for ch in "æøåÆØÅ")
    assert any("&" in n for n in names)
    inv = read("startup", "invoices")
    assert set(inv["customer"]) == set(names)
    per_month = inv.assign(m=inv["date"].str[:7]).groupby(["customer", "m"]).size()
    assert per_month[synth.STARTUP_A].min() >= 3


# ------------------------------------------------------------------ consultancy story
@pytest.fixture(scope="module")
def consultancy() -> dict[str, pd.DataFrame]:
    return {
        "projects": read("consultancy", "projects",
                         parse_dates=["start_date", "planned_end", "actual_end"]),
        "timesheets": read("consultancy", "timesheets", parse_dates=["date"]),
        "consultants": read("consultancy", "consultants", parse_dates=["start_date", "end_date"]),
        "surveys": read("consultancy", "surveys", parse_dates=["date"]),
    }


def test_consultancy_multinational_is_largest(consultancy: dict[str, pd.DataFrame]) -> None:
    billed = consultancy["timesheets"].merge(consultancy["projects"], on="project_id")
    revenue = (billed["hours"] * billed["hourly_rate"]).groupby(billed["client"]).sum()
    share = revenue / revenue.sum()
    assert share.idxmax() == synth.CONSULTANCY_KEY_CLIENT
    assert 0.30 <= share.max() <= 0.40
    counts = consultancy["projects"]["client"].value_counts()
    assert counts.idxmax() == synth.CONSULTANCY_KEY_CLIENT
    assert 9 <= len(counts) - 1 <= 12


def test_consultancy_projects(consultancy: dict[str, pd.DataFrame]) -> None:
    pr = consultancy["projects"]
    assert 35 <= len(pr) <= 45
    assert pr["project_id"].is_unique
    assert pr["project_id"].str.fullmatch(r"P-20\d{2}-\d{3}").all()
    assert 4 <= pr["actual_end"].isna().sum() <= 6
    finished = pr.dropna(subset=["actual_end"])
    assert (finished["actual_end"] > finished["planned_end"]).sum() >= 3
    assert (pr["planned_end"] >= pr["start_date"]).all()
    assert (finished["actual_end"] >= finished["start_date"]).all()
    assert pr["hourly_rate"].between(1200, 1900).all()


def test_consultancy_timesheets_are_consistent(consultancy: dict[str, pd.DataFrame]) -> None:
    ts, pr, co = consultancy["timesheets"], consultancy["projects"], consultancy["consultants"]
    assert (ts["date"].dt.day_of_week < 5).all()
    assert ts["hours"].between(0.5, 8).all()
    assert (ts["hours"] * 2 % 1 == 0).all()
    assert not ts.duplicated(["date", "consultant", "project_id"]).any()
    m = ts.merge(pr, on="project_id").merge(co, on="consultant", suffixes=("", "_emp"))
    assert len(m) == len(ts)
    work_end = m["actual_end"].fillna(pd.Timestamp("2025-12-31"))
    assert ((m["date"] >= m["start_date"]) & (m["date"] <= work_end)).all()
    emp_end = m["end_date"].fillna(pd.Timestamp("2099-12-31"))
    assert ((m["date"] >= m["start_date_emp"]) & (m["date"] <= emp_end)).all()
    # one consultant leaves and one joins during the period
    assert co["end_date"].notna().sum() == 1
    assert (co["start_date"] > pd.Timestamp("2024-01-01")).sum() == 1
    assert 13 <= len(co) <= 17
    assert (co["weekly_hours"] == 37.5).all()


def test_consultancy_utilization(consultancy: dict[str, pd.DataFrame]) -> None:
    ts, co = consultancy["timesheets"], consultancy["consultants"]
    weekdays = pd.bdate_range("2024-01-01", "2025-12-31")
    available = 0.0
    for _, c in co.iterrows():
        end = c["end_date"] if pd.notna(c["end_date"]) else weekdays[-1]
        days = ((weekdays >= c["start_date"]) & (weekdays <= end)).sum()
        available += days * c["weekly_hours"] / 5
    assert 0.65 <= ts["hours"].sum() / available <= 0.85


def test_consultancy_surveys(consultancy: dict[str, pd.DataFrame]) -> None:
    sv, pr = consultancy["surveys"], consultancy["projects"]
    assert sv["score"].between(1, 5).all()
    m = sv.merge(pr, on="project_id")
    assert len(m) == len(sv)
    assert m["actual_end"].notna().all(), "surveys only for finished projects"
    assert (m["date"] > m["actual_end"]).all()
    assert sv.groupby("project_id").size().between(1, 6).all()


# ------------------------------------------------------------------ marketing story
@pytest.fixture(scope="module")
def stats() -> pd.DataFrame:
    return read("marketing_agency", "campaign_stats", parse_dates=["date"])


def test_marketing_counts_are_consistent(stats: pd.DataFrame) -> None:
    for col in ("impressions", "clicks", "conversions"):
        assert pd.api.types.is_integer_dtype(stats[col]), col
        assert (stats[col] >= 0).all()
    assert (stats["clicks"] <= stats["impressions"]).all()
    assert (stats["conversions"] <= stats["clicks"]).all()
    assert (stats["spend"] >= 0).all() and (stats["conversion_value"] >= 0).all()
    assert not stats.duplicated(["date", "client", "campaign", "channel"]).any()
    assert 8_000 <= len(stats) <= 12_000
    assert stats["client"].nunique() == 6
    assert 18 <= stats["campaign"].nunique() <= 22
    assert set(stats["channel"]) == {"Search", "Social", "Display", "Video"}


def test_marketing_key_client_and_rates(stats: pd.DataFrame) -> None:
    spend = stats.groupby("client")["spend"].sum()
    assert spend.idxmax() == synth.MARKETING_KEY_CLIENT
    campaigns = stats.groupby("client")["campaign"].nunique()
    assert campaigns.idxmax() == synth.MARKETING_KEY_CLIENT
    assert campaigns[synth.MARKETING_KEY_CLIENT] == 6
    ch = stats.groupby("channel")[["clicks", "impressions"]].sum()
    ctr = ch["clicks"] / ch["impressions"]
    assert 0.03 <= ctr["Search"] <= 0.06
    assert 0.008 <= ctr["Social"] <= 0.015
    assert 0.001 <= ctr["Display"] <= 0.005
    per_campaign = stats.groupby("campaign")[["clicks", "impressions"]].sum()
    mean_of_rates = (per_campaign["clicks"] / per_campaign["impressions"]).mean()
    ratio_of_sums = per_campaign["clicks"].sum() / per_campaign["impressions"].sum()
    assert mean_of_rates > 2 * ratio_of_sums


# ------------------------------------------------------------------ restaurant story
@pytest.fixture(scope="module")
def visits() -> pd.DataFrame:
    return read("restaurant", "visits", dtype={"guest_id": "str"}, parse_dates=["date"])


def test_restaurant_vip_has_most_visits(visits: pd.DataFrame) -> None:
    counts = visits["guest_id"].value_counts()
    assert counts.index[0] == synth.RESTAURANT_VIP
    assert counts.iloc[0] > counts.iloc[1]
    assert 20 <= counts.iloc[0] <= 30  # about weekly over 26 weeks
    vip = visits[visits["guest_id"] == synth.RESTAURANT_VIP]
    assert vip["bill"].mean() > 2 * visits["bill"].mean()


def test_restaurant_shape(visits: pd.DataFrame) -> None:
    tables = read("restaurant", "tables")
    assert list(tables["table"]) == [f"T{i:02d}" for i in range(1, 13)]
    assert set(tables["seats"]) == {2, 4, 6}
    m = visits.merge(tables, on="table")
    assert len(m) == len(visits)
    assert (m["covers"] <= m["seats"] + 1).all()
    assert (m["covers"] > m["seats"]).sum() > 0
    assert (visits["date"].dt.day_of_week != 0).all(), "closed on Mondays"
    assert visits["seated_at"].between("17:00", "22:30").all()
    assert (visits["left_at"] < visits["seated_at"]).sum() > 0, "some leave after midnight"
    assert 0.30 <= visits["guest_id"].notna().mean() <= 0.40
    assert 0.15 <= visits["rating"].notna().mean() <= 0.20
    assert visits["rating"].dropna().between(1, 5).all()
    assert visits["guest_id"].dropna().str.fullmatch(r"G\d{4}").all()
    per_cover = visits["bill"] / visits["covers"]
    assert 0.9 <= per_cover.between(450, 900).mean()
    monthly = visits.groupby(visits["date"].dt.month)["bill"].sum()
    assert monthly.idxmax() == 12
    by_day = visits.groupby(visits["date"].dt.day_of_week).size() / \
        visits.groupby(visits["date"].dt.day_of_week)["date"].nunique()
    assert by_day[[4, 5]].min() > by_day[[1, 2, 6]].max()


# ------------------------------------------------------------------ your_data and concepts
def test_your_data_is_heavy_tailed() -> None:
    tx = read("your_data", "transactions", dtype={"customer": "str"})
    assert 25_000 <= len(tx) <= 40_000
    assert tx["customer"].str.fullmatch(r"\d{6}").all()
    revenue = tx.groupby("customer")["amount"].sum().sort_values(ascending=False)
    assert 2_800 <= len(revenue) <= 3_200
    top20 = revenue.iloc[: math.ceil(0.2 * len(revenue))].sum() / revenue.sum()
    assert 0.70 <= top20 <= 0.90
    cust = read("your_data", "customers", dtype={"customer": "str"})
    assert len(cust) == 50
    assert set(cust["customer"]) == set(revenue.index[:50])


def test_concepts_production_yields() -> None:
    prod = read("concepts", "production")
    fpy = prod["good_first_pass"] / prod["units_in"]
    assert [round(x, 4) for x in fpy] == [0.9, 0.8889, 0.9375, 0.9333]
    assert round(float(np.prod(fpy)), 4) == 0.7
    flow = prod["units_in"].iloc[1:].to_numpy() == prod["good_first_pass"].iloc[:-1].to_numpy()
    assert flow.all(), "each step receives the previous step's good units"
    assert (prod["defective"] == prod["units_in"] - prod["good_first_pass"]).all()


def test_concepts_bank_client() -> None:
    bank = read("concepts", "bank_client")
    assert list(bank["month"]) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert (bank["tickets_resolved_in_sla"] <= bank["support_tickets"]).all()
    assert (bank["csat_satisfied"] <= bank["csat_responses"]).all()
    assert (bank["nps_promoters"] + bank["nps_detractors"] <= bank["nps_responses"]).all()
    sla = bank["tickets_resolved_in_sla"] / bank["support_tickets"]
    assert sla.idxmin() == 3  # the April incident


def test_no_plotting_imports() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(synth.__file__).parent.glob("*.py")))
    assert not re.search(r"^\s*(import|from)\s+(matplotlib|seaborn)", source, re.M)
    assert "datetime.now" not in source and "Timestamp.now" not in source
