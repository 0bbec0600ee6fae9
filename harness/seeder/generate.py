"""The plan builders: one method per recipe section, all drawing from one seeded random source, in a fixed order.

Names come from Faker (seeded per instance); every choice comes from one `random.Random(seed)`, so the plan
depends on nothing but the recipe, the seed, the scale and the run tag.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from faker import Faker

from harness.seeder.plan import RESERVED_DOMAINS, PlannedRecord, SeedPlan
from harness.seeder.recipe import Recipe

STAGE_ORDER = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer",
               "evangelist"]
TITLES = ["VP Sales", "Account Executive", "Marketing Manager", "Demand Gen Lead", "RevOps Analyst", "CFO",
          "Software Engineer", "CTO", "Operations Manager", "Procurement Lead"]
PRODUCTS = ["Platform licence", "Renewal", "Expansion", "Professional services", "Support upgrade"]
CASE_SUBJECTS = ["Cannot log in", "Invoice question", "Data import failing", "Feature request", "Slow dashboard"]
ROLES = ["Decision Maker", "Economic Buyer", "Technical Buyer", "Influencer"]
INTERNATIONAL_LOCALES = ["de_DE", "ja_JP", "vi_VN", "is_IS", "pl_PL", "fr_FR", "zh_CN"]


def spread(count: int, weights: dict[str, float], rng: random.Random) -> list[str]:
    """`count` values in proportion to `weights` (largest remainder), shuffled deterministically."""
    if count <= 0 or not weights:
        return []
    total = sum(weights.values())
    exact = {k: count * w / total for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (exact[k] - out[k], k), reverse=True)[:count - sum(out.values())]:
        out[k] += 1
    values = [k for k in weights for _ in range(out[k])]
    rng.shuffle(values)
    return values


def ascii_slug(text: str, fallback: str = "person") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", ".", folded).strip(".")
    return slug or fallback


class PlanBuilder:
    def __init__(self, recipe: Recipe, seed: int, scale: float, run_tag: str) -> None:
        self.recipe, self.seed, self.scale, self.tag = recipe, seed, scale, run_tag
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.intl = Faker(INTERNATIONAL_LOCALES)
        self.intl.seed_instance(seed)
        self.today = date.fromisoformat(recipe.reference_date)
        self.plan = SeedPlan(seed=seed, scale=scale, run_tag=run_tag,
                             owners={name: list(region.owners) for name, region in recipe.regions.items()})
        self.emails: set[str] = set()
        self.names: set[str] = set()
        self.region_names = list(recipe.regions)
        self.turns: dict[str, int] = {}  # population -> how many of its coverage values it has had (covering)
        variants = recipe.edge_cases.picklist_variants if recipe.edge_cases else {}
        self.variants = {family: list(values) for family, values in variants.items()}

    # -- helpers --------------------------------------------------------------------------------------
    def n(self, count: int) -> int:
        return max(0, round(count * self.scale))

    def add(self, record: PlannedRecord) -> PlannedRecord:
        self.plan.records.append(record)
        return record

    def email(self, first: str, last: str, key: str) -> str:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"[:40]
        suffix = key.split(".", 2)[-1].replace(".", "-")
        domain = RESERVED_DOMAINS[len(self.emails) % len(RESERVED_DOMAINS)]
        address = f"{local}.{suffix}+{self.tag}@{domain}"
        self.emails.add(address.lower())
        return address

    def company_name(self) -> str:
        for _ in range(50):
            name = self.fake.company()
            if name not in self.names:
                self.names.add(name)
                return name
        name = f"{self.fake.company()} {len(self.names)}"
        self.names.add(name)
        return name

    def region(self) -> str:
        weights = [self.recipe.regions[r].weight for r in self.region_names]
        return self.rng.choices(self.region_names, weights=weights)[0]

    def country(self, region: str, variant_every: int = 0, index: int = 0) -> tuple[str, bool]:
        """A country of the region; every `variant_every`-th value is a spelling variant, as forms deliver them."""
        if variant_every and index % variant_every == variant_every - 1 and self.variants.get("country"):
            return self.rng.choice(self.variants["country"]), True
        return self.rng.choice(self.recipe.regions[region].countries), False

    def covering(self, population: str, values: list[Any]) -> Any | None:
        """The next of `values` this population has not had yet, while any remain, else None: a population covers
        every value the contract names first (docs/seeding.md, "Contract coverage"), then follows the weights."""
        turn = self.turns.get(population, 0)
        if turn >= len(values):
            return None
        self.turns[population] = turn + 1
        return values[turn]

    def place(self, population: str, variant_every: int, index: int) -> tuple[str, str, bool]:
        """Region, country and whether the country is a spelling variant: every region's every country once
        (coverage), then a weighted region and one of its countries."""
        if variant_every and index % variant_every == variant_every - 1 and self.variants.get("country"):
            return self.region(), self.rng.choice(self.variants["country"]), True
        combos = [(name, country) for name, region in self.recipe.regions.items() for country in region.countries]
        combo = self.covering(f"{population}.country", combos)
        if combo is not None:
            return combo[0], combo[1], False
        region = self.region()
        return region, self.rng.choice(self.recipe.regions[region].countries), False

    def stamps(self, stage: str) -> dict[str, str]:
        """Salesforce-side lifecycle timestamps for a record that has reached `stage` (stamped once, in order)."""
        out: dict[str, str] = {}
        rank = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1
        moment = self.today - timedelta(days=self.rng.randint(120, 360))
        for name, field_name in (("marketingqualifiedlead", "MQL_Date__c"), ("salesqualifiedlead", "SQL_Date__c"),
                                 ("customer", "Customer_Date__c")):
            if rank >= STAGE_ORDER.index(name):
                out[field_name] = moment.isoformat()
                moment += timedelta(days=self.rng.randint(3, 40))  # funnel order: MQL <= SQL <= Customer
        return out

    def date_in(self, low: int, high: int) -> str:
        return (self.today + timedelta(days=self.rng.randint(low, high))).isoformat()

    def hs_timestamp(self) -> str:
        moment = self.today - timedelta(days=self.rng.randint(0, 60), minutes=self.rng.randint(0, 1439))
        return f"{moment.isoformat()}T{self.rng.randint(8, 18):02d}:{self.rng.randint(0, 59):02d}:00Z"

    def title(self, index: int) -> tuple[str, bool]:
        if self.variants.get("job_function") and index % 5 == 4:
            return self.rng.choice(self.variants["job_function"]), True
        return self.rng.choice(TITLES), False

    def person(self, key: str, international: bool = False) -> tuple[str, str, str]:
        source = self.intl if international else self.fake
        first, last = source.first_name(), source.last_name()
        return first, last, self.email(first, last, key)

    # -- sections -------------------------------------------------------------------------------------
    def build(self) -> SeedPlan:
        self.accounts()
        self.private_contacts()
        self.salesforce_leads()
        self.hubspot_contacts()
        self.duplicates()
        self.edge_cases()
        self.tickets()
        self.activities()
        return self.plan

    def accounts(self) -> None:
        spec = self.recipe.accounts
        if spec is None:
            return
        accounts = self.n(spec.count)
        # Funnel mixes are spread over all accounts together, so small per-account counts still cover every stage.
        self.contact_stages = spread(accounts * spec.contacts.per_account, spec.contacts.lifecycle, self.rng) \
            if spec.contacts else []
        self.opportunity_stages = spread(accounts * spec.opportunities.per_account, spec.opportunities.stages,
                                         self.rng) if spec.opportunities else []
        for a in range(accounts):
            region, country, varied = self.place("accounts", 4, a)
            name = self.company_name()
            traits = ["picklist_variant"] if varied else []
            if self.variants.get("industry") and a % 6 == 5:
                industry, traits = self.rng.choice(self.variants["industry"]), [*traits, "picklist_variant"]
            else:
                industry = self.covering("accounts.industry", spec.industries) or spec.industries[a % len(spec.industries)]
            key = f"sf.Account.{a:05d}"
            self.add(PlannedRecord("salesforce", "Account", key, {
                "Name": name, "Website": f"https://{ascii_slug(name, 'account').replace('.', '-')[:40]}-{a}.{self.tag}"
                f".example.com", "Industry": industry, "BillingCountry": country, "Region__c": region,
                "NumberOfEmployees": self.rng.choice([12, 45, 180, 950, 4200, 25000]),
                "AnnualRevenue": self.rng.randrange(500_000, 90_000_000, 10_000)},
                refs={"OwnerId": f"owner:{region}"}, lookup=("Website",), traits=tuple(dict.fromkeys(traits))))
            contacts = self.account_contacts(a, key, region)
            self.opportunities(a, key, region, name, contacts)
            self.cases(a, key, contacts)

    def account_contacts(self, a: int, account_key: str, region: str) -> list[str]:
        spec = self.recipe.accounts.contacts if self.recipe.accounts else None
        if spec is None:
            return []
        keys = []
        stages = self.contact_stages[a * spec.per_account:(a + 1) * spec.per_account]
        for j, stage in enumerate(stages):
            key = f"sf.Contact.{a:05d}.{j}"
            first, last, email = self.person(key)
            title, varied = self.title(a + j)
            self.add(PlannedRecord("salesforce", "Contact", key, {
                "FirstName": first, "LastName": last, "Email": email, "Title": title,
                "Phone": self.fake.numerify("+1-###-###-####"), "MailingCountry": self.country(region)[0],
                "LeadSource": self.rng.choice(["Web", "Partner Referral", "Phone Inquiry"]),
                "Lifecycle_Stage__c": stage, **self.stamps(stage)},
                refs={"AccountId": account_key, "OwnerId": f"owner:{region}"}, lookup=("Email", "LastName"),
                traits=("picklist_variant",) if varied else ()))
            keys.append(key)
            for t in range(self.recipe.activities.salesforce_tasks_per_contact if self.recipe.activities else 0):
                kind = self.rng.choice(["Call", "Email", "Meeting"])
                self.add(PlannedRecord("salesforce", "Task", f"sf.Task.{a:05d}.{j}.{t}", {
                    "Subject": f"{kind}: {self.rng.choice(PRODUCTS)} follow-up [{self.tag}-{a}.{j}.{t}]",
                    "ActivityDate": self.date_in(-30, 30), "Status": self.rng.choice(["Completed", "Not Started"]),
                    "Priority": "Normal"}, refs={"WhoId": key, "OwnerId": f"owner:{region}"}, lookup=("Subject",)))
        return keys

    def opportunities(self, a: int, account_key: str, region: str, account: str, contacts: list[str]) -> None:
        spec = self.recipe.accounts.opportunities if self.recipe.accounts else None
        if spec is None:
            return
        for k, stage in enumerate(self.opportunity_stages[a * spec.per_account:(a + 1) * spec.per_account]):
            key = f"sf.Opportunity.{a:05d}.{k}"
            self.add(PlannedRecord("salesforce", "Opportunity", key, {
                "Name": f"{account} – {self.rng.choice(PRODUCTS)} [{self.tag}-{a}.{k}]", "StageName": stage,
                "Amount": self.rng.randrange(spec.amount[0], spec.amount[1] + 1, 500),
                "CloseDate": self.date_in(*spec.close_in_days)},
                refs={"AccountId": account_key, "OwnerId": f"owner:{region}"}, lookup=("Name",)))
            for r, contact in enumerate(contacts[:spec.contact_roles]):
                self.add(PlannedRecord("salesforce", "OpportunityContactRole", f"sf.OpportunityContactRole.{a:05d}.{k}.{r}",
                                       {"Role": ROLES[r % len(ROLES)], "IsPrimary": r == 0},
                                       refs={"OpportunityId": key, "ContactId": contact},
                                       lookup=("OpportunityId", "ContactId")))

    def cases(self, a: int, account_key: str, contacts: list[str]) -> None:
        spec = self.recipe.accounts.cases if self.recipe.accounts else None
        for k in range(spec.per_account if spec else 0):
            refs = {"AccountId": account_key, **({"ContactId": contacts[k % len(contacts)]} if contacts else {})}
            self.add(PlannedRecord("salesforce", "Case", f"sf.Case.{a:05d}.{k}", {
                "Subject": f"{self.rng.choice(CASE_SUBJECTS)} [{self.tag}-{a}.{k}]",
                "Status": self.rng.choice(["New", "Working", "Escalated"]), "Origin": self.rng.choice(["Web", "Phone", "Email"]),
                "Priority": self.rng.choice(["Low", "Medium", "High"])}, refs=refs, lookup=("Subject",)))

    def private_contacts(self) -> None:
        spec = self.recipe.contacts_without_account
        if spec is None:
            return
        for i, stage in enumerate(spread(self.n(spec.count), spec.lifecycle, self.rng)):
            key = f"sf.Contact.private.{i:05d}"
            first, last, email = self.person(key)
            region = self.region()
            self.add(PlannedRecord("salesforce", "Contact", key, {
                "FirstName": first, "LastName": last, "Email": email, "MailingCountry": self.country(region)[0],
                "Lifecycle_Stage__c": stage, **self.stamps(stage)}, refs={"OwnerId": f"owner:{region}"},
                lookup=("Email", "LastName"), traits=("contact_without_account",)))

    def salesforce_leads(self) -> None:
        spec = self.recipe.salesforce_leads
        if spec is None:
            return
        count = self.n(spec.count)
        statuses = spread(count, spec.status, self.rng)
        for i, stage in enumerate(spread(count, spec.lifecycle, self.rng)):
            key = f"sf.Lead.{i:05d}"
            first, last, email = self.person(key)
            region = self.region()
            country, varied = self.country(region, 5, i)
            title, title_varied = self.title(i)
            self.add(PlannedRecord("salesforce", "Lead", key, {
                "FirstName": first, "LastName": last, "Email": email, "Company": self.company_name(), "Title": title,
                "Phone": self.fake.numerify("+1-###-###-####"), "Status": statuses[i],
                "LeadSource": self.rng.choice(spec.sources), "Country": country, "Lifecycle_Stage__c": stage,
                **self.stamps(stage)}, refs={"OwnerId": f"owner:{region}"}, lookup=("Email", "LastName"),
                traits=("born_in_salesforce", *(("picklist_variant",) if varied or title_varied else ()))))

    def hubspot_contact(self, key: str, first: str, last: str, email: str, stage: str, region: str,
                        traits: tuple[str, ...], **extra: Any) -> PlannedRecord:
        data = {"email": email, "firstname": first, "lastname": last, "company": self.company_name(),
                "phone": self.fake.numerify("+1 ### ### ####"), "jobtitle": self.rng.choice(TITLES),
                "country": self.country(region)[0], "lifecyclestage": stage, **extra}
        return self.add(PlannedRecord("hubspot", "contacts", key, data, refs={"hubspot_owner_id": f"owner:{region}"},
                                      lookup=("email",), traits=traits))

    def hubspot_contacts(self) -> None:
        spec = self.recipe.hubspot_contacts
        if spec is None:
            return
        for i, stage in enumerate(spread(self.n(spec.count), spec.lifecycle, self.rng)):
            key = f"hs.contacts.{i:05d}"
            first, last, email = self.person(key)
            region, country, varied = self.place("hubspot_contacts", 4, i)
            title, title_varied = self.title(i)
            self.hubspot_contact(key, first, last, email, stage, region,
                                 ("born_in_hubspot", *(("picklist_variant",) if varied or title_varied else ())),
                                 country=country, jobtitle=title)

    def duplicates(self) -> None:
        spec = self.recipe.duplicates
        if spec is None:
            return
        for i in range(self.n(spec.same_email_twice_in_salesforce)):
            first, last, email = self.person(f"sf.dup.twice.{i:05d}")
            self.add(PlannedRecord("salesforce", "Lead", f"sf.Lead.dup.{i:05d}", {
                "FirstName": first, "LastName": last, "Email": email, "Company": self.company_name(),
                "Status": "Open - Not Contacted", "Lifecycle_Stage__c": "lead"}, lookup=("Email", "LastName"),
                traits=("duplicate", "duplicate_same_email")))
            self.add(PlannedRecord("salesforce", "Contact", f"sf.Contact.dup.{i:05d}", {
                "FirstName": first, "LastName": last, "Email": f" {email.upper()} ", "Lifecycle_Stage__c": "lead"},
                lookup=("Email", "LastName"), traits=("duplicate", "duplicate_same_email")))
        for i in range(self.n(spec.case_and_whitespace_variants)):
            first, last, email = self.person(f"dup.case.{i:05d}")
            local, _, domain = email.partition("@")
            shouting = f"{local.title()}@{domain.upper()}"
            region = self.region()
            self.add(PlannedRecord("salesforce", "Lead", f"sf.Lead.case.{i:05d}", {
                "FirstName": first, "LastName": last, "Email": shouting, "Company": self.company_name(),
                "Status": "Open - Not Contacted", "Lifecycle_Stage__c": "lead"}, lookup=("Email", "LastName"),
                traits=("duplicate", "duplicate_case_variant")))
            self.hubspot_contact(f"hs.contacts.case.{i:05d}", first, last, email.lower(), "lead", region,
                                 ("duplicate", "duplicate_case_variant"))
        for i in range(self.n(spec.one_on_each_side)):
            first, last, email = self.person(f"dup.pair.{i:05d}")
            region = self.region()
            self.add(PlannedRecord("salesforce", "Lead", f"sf.Lead.pair.{i:05d}", {
                "FirstName": first, "LastName": last, "Email": email, "Company": self.company_name(),
                "Status": "Working - Contacted", "Lifecycle_Stage__c": "marketingqualifiedlead",
                **self.stamps("marketingqualifiedlead")}, lookup=("Email", "LastName"),
                traits=("duplicate", "duplicate_across_systems")))
            self.hubspot_contact(f"hs.contacts.pair.{i:05d}", first, last, email, "marketingqualifiedlead", region,
                                 ("duplicate", "duplicate_across_systems"))

    def edge_cases(self) -> None:
        spec = self.recipe.edge_cases
        if spec is None:
            return
        for i in range(self.n(spec.non_ascii_names)):
            region = self.region()
            if i % 2 == 0:
                key = f"hs.contacts.intl.{i:05d}"
                first, last, email = self.person(key, international=True)
                self.hubspot_contact(key, first, last, email, "lead", region, ("non_ascii",))
            else:
                key = f"sf.Lead.intl.{i:05d}"
                first, last, email = self.person(key, international=True)
                self.add(PlannedRecord("salesforce", "Lead", key, {
                    "FirstName": first, "LastName": last, "Email": email, "Company": self.intl.company(),
                    "Status": "Open - Not Contacted", "Lifecycle_Stage__c": "lead", "Country": self.country(region)[0]},
                    refs={"OwnerId": f"owner:{region}"}, lookup=("Email", "LastName"), traits=("non_ascii",)))
        # Over-long values are born in HubSpot (which takes 64k characters) to meet Salesforce's field lengths
        # in the sync, where UAT must see them handled, not at create time where Salesforce refuses them.
        for i in range(self.n(spec.over_long_strings)):
            key = f"hs.contacts.long.{i:05d}"
            first, last, email = self.person(key)
            words = (self.fake.sentence(nb_words=12) + " ") * (spec.long_string_length // 40 + 2)
            self.hubspot_contact(key, first, last, email, "lead", self.region(), ("over_long",),
                                 jobtitle=words[:spec.long_string_length].strip(),
                                 company=(self.company_name() + " " + words)[:spec.long_string_length].strip())

    def hubspot_contact_keys(self) -> list[str]:
        return [r.key for r in self.plan.records if r.system == "hubspot" and r.object == "contacts"]

    def tickets(self) -> None:
        spec = self.recipe.tickets
        contacts = self.hubspot_contact_keys()
        for i in range(self.n(spec.count) if spec else 0):
            refs = {"assoc:contacts": contacts[i % len(contacts)]} if contacts else {}
            self.add(PlannedRecord("hubspot", "tickets", f"hs.tickets.{i:05d}", {
                "subject": f"{self.rng.choice(CASE_SUBJECTS)} [{self.tag}-t{i}]", "content": self.fake.paragraph(),
                "hs_pipeline": "0", "hs_pipeline_stage": "1", "hs_ticket_priority": self.rng.choice(spec.priorities)},
                refs=refs, lookup=("subject",)))

    def activities(self) -> None:
        spec = self.recipe.activities
        if spec is None:
            return
        contacts = self.hubspot_contact_keys()
        kinds = (("notes", spec.hubspot_notes, lambda i: {"hs_note_body": f"{self.fake.sentence()} [{self.tag}-n{i}]"}),
                 ("calls", spec.hubspot_calls, lambda i: {"hs_call_title": f"Discovery call [{self.tag}-c{i}]",
                                                          "hs_call_body": self.fake.sentence(),
                                                          "hs_call_direction": "OUTBOUND"}),
                 ("tasks", spec.hubspot_tasks, lambda i: {"hs_task_subject": f"Follow up [{self.tag}-k{i}]",
                                                          "hs_task_status": "NOT_STARTED"}))
        for object_type, count, make in kinds:
            for i in range(self.n(count)):
                data: dict[str, Any] = {**make(i), "hs_timestamp": self.hs_timestamp()}
                refs = {"assoc:contacts": contacts[i % len(contacts)]} if contacts else {}
                lookup = next(k for k in data if k in {"hs_note_body", "hs_call_title", "hs_task_subject"})
                self.add(PlannedRecord("hubspot", object_type, f"hs.{object_type}.{i:05d}", data, refs=refs,
                                       lookup=(lookup,)))


def plan_from_recipe(recipe: Recipe, seed: int, scale: float, run_tag: str) -> SeedPlan:
    """The records a recipe describes, the same for the same recipe, seed and scale (the run tag aside)."""
    return PlanBuilder(recipe, seed, scale, run_tag).build()
