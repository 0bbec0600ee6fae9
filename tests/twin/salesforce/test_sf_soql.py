"""SOQL from the grammar through SQLite: parent paths, child subqueries, aggregates, semi-joins, date literals,
ordering, paging, and Salesforce's wording for what it refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from .conftest import client


@pytest.fixture
def org(twin):
    """Two accounts with contacts, opportunities and leads, created through the API."""
    sf = client(twin)
    owner = sf.query("SELECT Id FROM User WHERE Alias = 'nortiz'")["records"][0]["Id"]
    acme = sf.Account.create({"Name": "Acme", "Industry": "Technology", "Region__c": "NA", "AnnualRevenue": 500})["id"]
    globex = sf.Account.create({"Name": "Globex", "Industry": "Finance", "Region__c": "EMEA", "AnnualRevenue": 100})["id"]
    contacts = [sf.Contact.create({"LastName": name, "AccountId": account, "Email": f"{name.lower()}@example.com"})["id"]
                for name, account in (("Ada", acme), ("Bob", acme), ("Cy", globex))]
    sf.Contact.create({"LastName": "Private", "Email": "private@example.com"})
    today = date.today()
    for name, account, amount, stage in (("A1", acme, 1000, "Prospecting"), ("A2", acme, 3000, "Closed Won"),
                                         ("G1", globex, 500, "Prospecting")):
        sf.Opportunity.create({"Name": name, "AccountId": account, "Amount": amount, "StageName": stage,
                               "CloseDate": (today + timedelta(days=10)).isoformat(), "OwnerId": owner})
    for i, source in enumerate(("Web", "Web", "Partner Referral", None)):
        sf.Lead.create({"LastName": f"Lead{i}", "Company": "L", "LeadSource": source,
                        "MQL_Date__c": (today - timedelta(days=i * 40)).isoformat()})
    return {"sf": sf, "acme": acme, "globex": globex, "contacts": contacts, "owner": owner}


def test_parent_paths_nest_as_salesforce_returns_them(org):
    records = org["sf"].query("SELECT LastName, Account.Name, Account.Owner.Alias FROM Contact ORDER BY LastName")["records"]
    ada = records[0]
    assert ada["LastName"] == "Ada"
    assert ada["Account"]["attributes"]["type"] == "Account" and ada["Account"]["Name"] == "Acme"
    assert ada["Account"]["Owner"]["Alias"] == "nortiz"  # the NA territory owner took the account on create
    private = next(r for r in records if r["LastName"] == "Private")
    assert private["Account"] is None  # no parent: the relationship is null, not an empty object


def test_child_subqueries_group_under_each_parent(org):
    records = org["sf"].query("SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC), "
                              "(SELECT Name FROM Opportunities WHERE StageName = 'Closed Won') FROM Account "
                              "ORDER BY Name")["records"]
    acme, globex = records
    assert acme["Contacts"]["totalSize"] == 2 and [c["LastName"] for c in acme["Contacts"]["records"]] == ["Bob", "Ada"]
    assert acme["Opportunities"]["records"][0]["Name"] == "A2"
    assert globex["Opportunities"] is None


def test_aggregates_with_group_by_having_and_aliases(org):
    sf = org["sf"]
    rows = sf.query("SELECT Account.Name, SUM(Amount) total, COUNT(Id), MAX(CloseDate) FROM Opportunity "
                    "GROUP BY Account.Name HAVING SUM(Amount) > 600 ORDER BY SUM(Amount) DESC")["records"]
    assert rows == [{"attributes": {"type": "AggregateResult"}, "Name": "Acme", "total": 4000.0, "expr0": 2,
                     "expr1": rows[0]["expr1"]}]
    assert sf.query("SELECT COUNT() FROM Lead WHERE LeadSource = 'Web'")["totalSize"] == 2
    by_source = sf.query("SELECT LeadSource, COUNT(Id) n FROM Lead GROUP BY LeadSource ORDER BY LeadSource NULLS LAST")
    assert [(r["LeadSource"], r["n"]) for r in by_source["records"]] == [("Partner Referral", 1), ("Web", 2), (None, 1)]
    assert sf.query("SELECT COUNT_DISTINCT(AccountId) FROM Contact")["records"][0]["expr0"] == 2


def test_semi_joins_and_anti_joins(org):
    sf = org["sf"]
    with_won = sf.query("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity "
                        "WHERE StageName = 'Closed Won')")["records"]
    assert [r["Name"] for r in with_won] == ["Acme"]
    without = sf.query("SELECT LastName FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account "
                       "WHERE Industry = 'Technology') ORDER BY LastName")["records"]
    assert [r["LastName"] for r in without] == ["Cy", "Private"]


def test_where_operators_case_insensitivity_and_nulls(org):
    sf = org["sf"]
    assert sf.query("select lastname from CONTACT where EMAIL = 'ADA@EXAMPLE.COM'")["records"][0]["LastName"] == "Ada"
    assert sf.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'b%'")["totalSize"] == 1
    assert sf.query("SELECT COUNT() FROM Contact WHERE AccountId = null")["totalSize"] == 1
    assert sf.query("SELECT COUNT() FROM Lead WHERE LeadSource != 'Web'")["totalSize"] == 2  # blanks included
    assert sf.query("SELECT COUNT() FROM Lead WHERE LeadSource IN ('Web', 'Partner Referral')")["totalSize"] == 3
    assert sf.query("SELECT COUNT() FROM Opportunity WHERE (Amount > 600 AND IsWon = false) OR "
                    "NOT StageName = 'Prospecting'")["totalSize"] == 2
    assert sf.query(f"SELECT COUNT() FROM Account WHERE Id = '{org['acme'][:15]}'")["totalSize"] == 1


def test_date_literals_and_datetimes(org):
    sf = org["sf"]
    assert sf.query("SELECT COUNT() FROM Lead WHERE MQL_Date__c = TODAY")["totalSize"] == 1
    assert sf.query("SELECT COUNT() FROM Lead WHERE MQL_Date__c = LAST_N_DAYS:45")["totalSize"] == 2
    assert sf.query("SELECT COUNT() FROM Lead WHERE MQL_Date__c < LAST_N_DAYS:45")["totalSize"] == 2
    assert sf.query("SELECT COUNT() FROM Lead WHERE CreatedDate = TODAY")["totalSize"] == 4
    stamp = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sf.query(f"SELECT COUNT() FROM Lead WHERE CreatedDate > {stamp}")["totalSize"] == 4
    assert sf.query("SELECT COUNT() FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30")["totalSize"] == 3


def test_order_nulls_limit_offset_and_paging(org, twin):
    sf = org["sf"]
    names = [r["LeadSource"] for r in sf.query("SELECT LeadSource FROM Lead ORDER BY LeadSource")["records"]]
    assert names[0] is None  # ascending puts nulls first by default
    names = [r["LeadSource"] for r in sf.query("SELECT LeadSource FROM Lead ORDER BY LeadSource DESC")["records"]]
    assert names[-1] is None
    page = sf.query("SELECT LastName FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1")["records"]
    assert [r["LastName"] for r in page] == ["Lead1", "Lead2"]
    sf.bulk2.Lead.insert(records=[{"LastName": f"P{i}", "Company": "P"} for i in range(2100)], wait=0)
    first = sf.query("SELECT Id FROM Lead")
    assert first["done"] is False and len(first["records"]) == 2000 and first["totalSize"] == 2104
    assert first["nextRecordsUrl"].startswith("/services/data/v59.0/query/")
    assert len(sf.query_all("SELECT Id FROM Lead")["records"]) == 2104


@pytest.mark.parametrize(("soql", "code", "message"), [
    ("SELECT Id, Nope FROM Lead", "INVALID_FIELD",
     "\nSELECT Id, Nope FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nope' on entity 'Lead'."),
    ("SELECT Acount.Name FROM Contact", "INVALID_FIELD", "Didn't understand relationship 'Acount' in field path."),
    ("SELECT Id FROM Leads", "INVALID_TYPE", "sObject type 'Leads' is not supported."),
    ("SELECT Id, (SELECT Id FROM Contact) FROM Account", "INVALID_TYPE",
     "Didn't understand relationship 'Contact' in FROM part of query call."),
    ("SELECT FROM Lead", "MALFORMED_QUERY", "unexpected token: 'FROM'"),
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY", "unexpected token: <EOF>"),
    ("SELECT LastName, COUNT(Id) FROM Lead", "MALFORMED_QUERY", "Field must be grouped or aggregated: LastName"),
    ("SELECT Id FROM Lead WHERE NumberOfEmployees = '5'", "INVALID_FIELD",
     "value of filter criterion for field 'NumberOfEmployees' must be of type integer"),
    ("SELECT Id FROM Lead OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000"),
    ("SELECT Id FROM Lead WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: abc"),
])
def test_refusals_use_salesforce_codes_and_wording(twin, soql, code, message):
    with pytest.raises(SalesforceMalformedRequest) as refused:
        client(twin).query(soql)
    body = refused.value.content[0]
    assert body["errorCode"] == code and message in body["message"]


def test_fields_function_and_query_all_shows_deleted_rows(org):
    sf = org["sf"]
    record = sf.query("SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'")["records"][0]
    assert "Industry" in record and "Region__c" not in record
    custom = sf.query("SELECT FIELDS(CUSTOM) FROM Account LIMIT 1")["records"][0]
    assert "Region__c" in custom and "Industry" not in custom
    sf.Account.delete(org["globex"])
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 1
    every = sf.query_all("SELECT Name, IsDeleted FROM Account ORDER BY Name", include_deleted=True)["records"]
    assert [(r["Name"], r["IsDeleted"]) for r in every] == [("Acme", False), ("Globex", True)]


def test_indexed_filters_use_an_index_not_a_scan(twin):
    """EXPLAIN QUERY PLAN of the SQL a selective SOQL compiles to: an index search, never a full scan."""
    from harness.twin.salesforce.ids import make_id
    from harness.twin.salesforce.soql import parse
    from harness.twin.salesforce.soql.compiler import Compiler, Statement

    for soql in ("SELECT Id FROM Lead WHERE Email = 'a@example.com'",
                 f"SELECT Id FROM Lead WHERE Id = '{make_id('00Q', 1)}'",
                 "SELECT Id FROM Lead WHERE External_Id__c = 'X-1'",
                 f"SELECT Id FROM Contact WHERE AccountId = '{make_id('001', 1)}'"):
        query = parse(soql)
        compiler = Compiler(twin.salesforce, soql, user_id=twin.salesforce.api_user_id)
        scope = compiler.scope(compiler.root(query), "t")
        statement = Statement(scope)
        compiler.base_filters(scope, statement)
        compiler.where(query, statement)
        statement.columns = [f'{scope.alias}."Id"']
        sql, params = statement.sql()
        plan = " | ".join(row[3] for row in twin.store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "USING INDEX" in plan or "USING INTEGER PRIMARY KEY" in plan or "PRIMARY KEY" in plan, (soql, plan)
        assert not plan.startswith("SCAN"), (soql, plan)


def test_date_functions_group_and_filter(org):
    sf = org["sf"]
    year = date.today().year
    rows = sf.query("SELECT CALENDAR_YEAR(CreatedDate) y, COUNT(Id) FROM Lead GROUP BY CALENDAR_YEAR(CreatedDate)")
    assert rows["records"] == [{"attributes": {"type": "AggregateResult"}, "y": year, "expr0": 4}]
    by_month = sf.query("SELECT CALENDAR_MONTH(MQL_Date__c), COUNT(Id) n FROM Lead GROUP BY CALENDAR_MONTH(MQL_Date__c) "
                        "ORDER BY CALENDAR_MONTH(MQL_Date__c)")["records"]
    assert sum(r["n"] for r in by_month) == 4 and all(1 <= r["expr0"] <= 12 for r in by_month)
    assert sf.query(f"SELECT COUNT() FROM Lead WHERE CALENDAR_YEAR(CreatedDate) = {year}")["totalSize"] == 4
    assert sf.query(f"SELECT COUNT() FROM Lead WHERE DAY_ONLY(CreatedDate) = {date.today().isoformat()}")["totalSize"] == 4
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.query("SELECT CALENDAR_YEAR(CreatedDate) FROM Lead")
    assert "Field must be grouped or aggregated: CALENDAR_YEAR(CreatedDate)" in refused.value.content[0]["message"]
