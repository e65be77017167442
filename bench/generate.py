"""Generate a synthetic, deterministic job board for benchmarking sitegen.

Usage::

    python bench/generate.py N DIR [--seed S]   # write N postings into DIR
    python bench/generate.py --edit DIR         # change one posting's body text

A board is ``DIR/sitegen.toml`` plus ``DIR/content/jobs/*.md``. Every posting
has YAML frontmatter written as one ``key: value`` line per key, where each
value is either a bare ISO date or JSON (JSON is valid YAML flow syntax, and it
lets ``competitors.py`` read the frontmatter back with the standard library).
Bodies are about 6.8 KB of markdown built from sentence pools, so no two bodies
are identical. Dates are relative to ``TODAY`` (2026-11-27): postings are from
the last 90 days, a few have already expired.

Importable: ``generate_board(n, dir, seed=0)`` and ``edit_one_posting(dir)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 1
TODAY = dt.date(2026, 11, 27)
TARGET_BODY_BYTES = 6800
STAMP_NAME = ".bench-board.json"
EDIT_MARKER = "_Listing updated by the benchmark (revision "

# --------------------------------------------------------------------------
# Facet pools
# --------------------------------------------------------------------------

# (city, region or "", country, currency)
CITIES: list[tuple[str, str, str, str]] = [
    ("San Francisco", "CA", "US", "USD"),
    ("New York", "NY", "US", "USD"),
    ("Austin", "TX", "US", "USD"),
    ("Seattle", "WA", "US", "USD"),
    ("Chicago", "IL", "US", "USD"),
    ("Boston", "MA", "US", "USD"),
    ("Denver", "CO", "US", "USD"),
    ("Toronto", "ON", "CA", "CAD"),
    ("Vancouver", "BC", "CA", "CAD"),
    ("Montréal", "QC", "CA", "CAD"),
    ("London", "ENG", "GB", "GBP"),
    ("Manchester", "ENG", "GB", "GBP"),
    ("Edinburgh", "SCT", "GB", "GBP"),
    ("Dublin", "", "IE", "EUR"),
    ("Berlin", "BE", "DE", "EUR"),
    ("München", "BY", "DE", "EUR"),
    ("Hamburg", "HH", "DE", "EUR"),
    ("Paris", "IDF", "FR", "EUR"),
    ("Lyon", "ARA", "FR", "EUR"),
    ("Amsterdam", "NH", "NL", "EUR"),
    ("Rotterdam", "ZH", "NL", "EUR"),
    ("Madrid", "MD", "ES", "EUR"),
    ("Barcelona", "CT", "ES", "EUR"),
    ("Lisbon", "", "PT", "EUR"),
    ("Milan", "MI", "IT", "EUR"),
    ("Vienna", "", "AT", "EUR"),
    ("Zürich", "ZH", "CH", "CHF"),
    ("Geneva", "GE", "CH", "CHF"),
    ("Stockholm", "", "SE", "SEK"),
    ("Malmö", "", "SE", "SEK"),
    ("Oslo", "", "NO", "EUR"),
    ("Copenhagen", "", "DK", "EUR"),
    ("Helsinki", "", "FI", "EUR"),
    ("Warsaw", "MZ", "PL", "PLN"),
    ("Kraków", "MA", "PL", "PLN"),
    ("Tokyo", "13", "JP", "JPY"),
    ("Bengaluru", "KA", "IN", "INR"),
    ("Singapore", "", "SG", "SGD"),
    ("Sydney", "NSW", "AU", "AUD"),
    ("Melbourne", "VIC", "AU", "AUD"),
    ("São Paulo", "SP", "BR", "BRL"),
]

APPLICANT_COUNTRIES = sorted({city[2] for city in CITIES})

# Multiplier from a USD-ish yearly salary to the currency's typical figure.
CURRENCY_SCALE: dict[str, float] = {
    "USD": 1.0,
    "CAD": 1.1,
    "GBP": 0.65,
    "EUR": 0.7,
    "CHF": 0.95,
    "SEK": 7.5,
    "PLN": 2.6,
    "JPY": 110.0,
    "INR": 20.0,
    "SGD": 1.1,
    "AUD": 1.2,
    "BRL": 2.5,
}

EMPLOYMENT_TYPES = [
    ("full-time", 70),
    ("part-time", 8),
    ("contract", 10),
    ("temporary", 3),
    ("intern", 4),
    ("volunteer", 1),
    ("per-diem", 2),
    ("other", 2),
]
REMOTE_MODES = [("onsite", 40), ("hybrid", 35), ("remote", 25)]
LEVELS = [("junior", 20), ("mid", 35), ("senior", 30), ("lead", 10), ("principal", 5)]
LEVEL_TITLE = {
    "junior": "Junior ",
    "mid": "",
    "senior": "Senior ",
    "lead": "Lead ",
    "principal": "Principal ",
}
LEVEL_PAY = {"junior": 0.65, "mid": 1.0, "senior": 1.3, "lead": 1.5, "principal": 1.8}
PERIODS = [("year", 85), ("month", 5), ("hour", 7), ("day", 3)]
PERIOD_DIVISOR = {"year": 1, "month": 12, "week": 52, "day": 230, "hour": 1840}

# role family -> (roles, family tags, base yearly pay in USD)
FAMILIES: dict[str, tuple[list[str], list[str], int]] = {
    "engineering": (
        [
            "Software Engineer",
            "Backend Engineer",
            "Frontend Engineer",
            "Platform Engineer",
            "Site Reliability Engineer",
            "Mobile Engineer",
            "Embedded Engineer",
            "Security Engineer",
            "Full Stack Developer",
            "DevOps Engineer",
        ],
        [
            "python",
            "go",
            "rust",
            "java",
            "typescript",
            "react",
            "kubernetes",
            "aws",
            "gcp",
            "terraform",
            "postgresql",
            "kafka",
            "graphql",
            "docker",
            "linux",
            "c-plus-plus",
            "kotlin",
            "swift",
            "distributed-systems",
            "security",
        ],
        120000,
    ),
    "data": (
        [
            "Data Engineer",
            "Data Scientist",
            "Machine Learning Engineer",
            "Data Analyst",
            "Analytics Engineer",
        ],
        [
            "sql",
            "spark",
            "airflow",
            "dbt",
            "pytorch",
            "machine-learning",
            "statistics",
            "pandas",
            "snowflake",
            "llm",
        ],
        115000,
    ),
    "design": (
        ["Product Designer", "UX Researcher", "Visual Designer", "Content Designer"],
        [
            "figma",
            "ux",
            "ui",
            "design-systems",
            "research",
            "accessibility",
            "prototyping",
            "illustration",
        ],
        95000,
    ),
    "product": (
        ["Product Manager", "Technical Program Manager", "Engineering Manager", "Product Owner"],
        ["product", "agile", "roadmapping", "stakeholder-management", "okrs", "b2b-saas"],
        125000,
    ),
    "operations": (
        [
            "Customer Success Manager",
            "Operations Analyst",
            "Office Manager",
            "Support Engineer",
            "Technical Writer",
        ],
        ["customer-success", "zendesk", "operations", "documentation", "salesforce", "onboarding"],
        70000,
    ),
    "sales": (
        [
            "Account Executive",
            "Sales Development Representative",
            "Marketing Manager",
            "Growth Marketer",
            "SEO Specialist",
        ],
        ["sales", "marketing", "seo", "hubspot", "copywriting", "analytics", "b2c", "partnerships"],
        80000,
    ),
    "healthcare": (
        [
            "Registered Nurse",
            "Clinical Informatics Specialist",
            "Pharmacist",
            "Medical Coder",
            "Physiotherapist",
        ],
        ["healthcare", "nursing", "ehr", "hipaa", "clinical", "patient-care"],
        85000,
    ),
    "finance": (
        ["Accountant", "Financial Analyst", "Payroll Specialist", "Controller", "Tax Advisor"],
        ["accounting", "finance", "excel", "ifrs", "payroll", "audit", "fintech"],
        90000,
    ),
}
FAMILY_WEIGHTS = {
    "engineering": 35,
    "data": 14,
    "design": 8,
    "product": 9,
    "operations": 9,
    "sales": 10,
    "healthcare": 8,
    "finance": 7,
}
GENERIC_TAGS = [
    "remote-first",
    "startup",
    "enterprise",
    "open-source",
    "climate",
    "non-profit",
    "visa-sponsorship",
    "four-day-week",
    "equity",
    "relocation",
]
ALL_TAGS = sorted({t for fam in FAMILIES.values() for t in fam[1]} | set(GENERIC_TAGS))

COMPANY_FIRST = [
    "Northwind",
    "Brightbeam",
    "Kettle",
    "Riverbend",
    "Spreewerk",
    "Greyfriars",
    "Acme",
    "Bluefin",
    "Copperleaf",
    "Driftwood",
    "Evergreen",
    "Foxglove",
    "Granite",
    "Harbor",
    "Ironbark",
    "Juniper",
    "Kestrel",
    "Lighthouse",
    "Meridian",
    "Nimbus",
    "Oakridge",
    "Pinecone",
    "Quarry",
    "Redwood",
    "Saltmarsh",
    "Tidewater",
    "Umber",
    "Velvet",
    "Willow",
    "Yarrow",
    "Zephyr",
    "Amber",
    "Birch",
    "Cedar",
    "Dune",
    "Ember",
    "Fjord",
    "Glacier",
    "Heron",
    "Indigo",
    "Jasper",
    "Kelp",
    "Lark",
    "Maple",
    "Nova",
    "Orchid",
    "Pebble",
    "Quill",
    "Rowan",
    "Sable",
    "Thistle",
    "Upland",
    "Vale",
    "Wren",
    "Aster",
    "Basalt",
    "Cobalt",
    "Delta",
    "Estuary",
    "Falcon",
]
COMPANY_SECOND = [
    "Systems",
    "Labs",
    "Health",
    "Analytics",
    "Robotics",
    "Logistics",
    "Energy",
    "Studio",
    "Software",
    "Networks",
    "Payments",
    "Bio",
    "Foods",
    "Mobility",
    "Learning",
    "Security",
    "Cloud",
    "Media",
    "Works",
    "Capital",
    "Games",
    "Insurance",
    "Care",
    "Data",
    "Devices",
    "Retail",
    "Travel",
    "Materials",
    "Water",
    "Solar",
    "Freight",
    "Clinics",
    "Finance",
    "Maps",
    "Audio",
    "Textiles",
    "Farms",
    "Tools",
    "Homes",
    "Dynamics",
]
COMPANY_SUFFIX = [
    "",
    " Inc.",
    " GmbH",
    " Ltd",
    " & Co",
    " AB",
    " BV",
    " SA",
    " Group",
    " Collective",
]

# --------------------------------------------------------------------------
# Sentence pools: each pool is the product of openers and continuations.
# --------------------------------------------------------------------------

ABOUT_OPENERS = [
    "Founded by a small group of practitioners, we",
    "Since our first release, we",
    "Today our team of a few hundred people",
    "Backed by patient investors, we",
    "As a profitable and independent company, we",
    "Working from three offices and many home desks, we",
    "Over the last few years we",
    "Our customers tell us that we",
    "With teams on four continents, we",
    "As a certified B Corporation, we",
    "Together with our partners, we",
    "Year after year we",
]
ABOUT_CONTINUATIONS = [
    "help thousands of small businesses run their daily operations without spreadsheets.",
    "build tools that make public transport more reliable for millions of riders.",
    "have grown steadily by focusing on a few things and doing them very well.",
    "process more than a billion events a day with a deliberately boring architecture.",
    "care about calm, sustainable work and ship every single day.",
    "bring modern software to an industry that still runs on fax machines.",
    "work closely with hospitals, clinics and pharmacies across the region.",
    "turn messy real-world data into decisions that people can trust.",
    "make it easier for renewable energy cooperatives to manage their grids.",
    "help freight companies plan routes that waste less fuel and time.",
    "publish much of our work as open source and contribute upstream regularly.",
    "measure success by how much time we save our customers, not by vanity metrics.",
    "run a four-day week for everyone and have never looked back.",
    "invest heavily in documentation, onboarding and written communication.",
]
ROLE_OPENERS = [
    "In this role you will",
    "As part of a small, senior team you will",
    "From your first weeks you will",
    "Working closely with product and design, you will",
    "Together with your manager you will",
    "Day to day you will",
    "Over your first six months you will",
    "You will report to the head of the department and",
    "Alongside two other people in the same role you will",
    "With a lot of autonomy you will",
]
ROLE_CONTINUATIONS = [
    "own a meaningful part of our product from idea to production.",
    "shape how we plan, build and measure the work of the whole team.",
    "help us untangle a codebase that grew faster than we planned.",
    "talk to customers regularly and turn what you learn into improvements.",
    "improve the reliability of systems that people depend on every day.",
    "mentor colleagues and raise the bar for quality across the organisation.",
    "make pragmatic trade-offs between speed, cost and long-term maintainability.",
    "contribute to hiring, onboarding and the way we work together.",
    "take responsibility for a process that currently involves too many manual steps.",
    "write clear proposals and review the proposals of others.",
    "set up the metrics that tell us whether our changes actually help.",
    "work across team boundaries to remove the blockers that slow everyone down.",
]
RESP_VERBS = [
    "Design",
    "Build",
    "Maintain",
    "Improve",
    "Own",
    "Document",
    "Review",
    "Automate",
    "Measure",
    "Plan",
    "Lead",
    "Support",
    "Simplify",
    "Test",
    "Coordinate",
    "Prototype",
]
RESP_OBJECTS = [
    "the services that power our customer-facing applications",
    "internal tooling used by support and operations teams",
    "the onboarding flow for new customers and partners",
    "reporting that finance and leadership rely on each month",
    "integrations with third-party systems and public APIs",
    "our release process and the checks that guard it",
    "the data pipelines that feed our dashboards and models",
    "accessibility and performance across web and mobile",
    "incident response, post-mortems and the follow-up work",
    "the roadmap for your area together with stakeholders",
    "experiments that test new ideas quickly and cheaply",
    "the handbook pages that explain how your area works",
    "quarterly goals and the reviews that keep us honest",
    "scheduling and staffing for a busy, growing team",
]
REQ_OPENERS = [
    "Several years of experience with",
    "A solid understanding of",
    "Hands-on experience with",
    "Comfort working with",
    "A track record of delivering",
    "Curiosity about",
    "Professional proficiency in",
    "Practical knowledge of",
    "The ability to explain",
    "Good judgement when it comes to",
]
REQ_OBJECTS = [
    "modern tooling and the fundamentals underneath it.",
    "writing, both for colleagues and for customers.",
    "complex projects with many stakeholders.",
    "the trade-offs between shipping fast and building to last.",
    "regulated environments and the paperwork they involve.",
    "data, including its limitations and biases.",
    "distributed teams and asynchronous collaboration.",
    "technical topics to a non-technical audience.",
    "prioritisation when everything seems urgent.",
    "testing, monitoring and continuous delivery.",
    "customer research and usability testing.",
    "budgets, forecasts and the questions behind the numbers.",
]
NICE_ITEMS = [
    "Experience in an early-stage startup.",
    "Contributions to open-source projects.",
    "Fluency in a second language spoken by our customers.",
    "Familiarity with our industry and its regulations.",
    "Experience mentoring or managing others.",
    "Public speaking or technical writing.",
    "A background in statistics or experimentation.",
    "Experience with accessibility audits.",
    "Knowledge of security and privacy best practices.",
    "Experience working in a union or works-council setting.",
    "A portfolio of work you are proud of.",
    "Experience with on-call rotations.",
]
BENEFIT_LEADS = [
    "**Flexible hours**",
    "**Learning budget**",
    "**Parental leave**",
    "**Health**",
    "**Time off**",
    "**Equipment**",
    "**Pension**",
    "**Mobility**",
    "**Wellbeing**",
    "**Remote setup**",
    "**Equity**",
    "**Team events**",
]
BENEFIT_DETAILS = [
    "that fit around school runs and appointments.",
    "of a generous amount per year, plus paid time to use it.",
    "well beyond the legal minimum, for every parent.",
    "insurance for you and your family from day one.",
    "of at least 30 days a year, and we check that people take it.",
    "of your choice, replaced every three years.",
    "with a meaningful employer contribution.",
    "with a public transport pass or bike leasing.",
    "support through a confidential counselling service.",
    "allowance for a desk, chair and good headphones.",
    "so that everyone shares in the company's success.",
    "twice a year, in a place that is easy to reach by train.",
]
PROCESS_STEPS = [
    "A short call with our recruiter to get to know each other.",
    "A conversation with your future manager about the role.",
    "A practical exercise that takes no more than two hours.",
    "A discussion of the exercise with two future colleagues.",
    "A values interview with someone from another team.",
    "Reference checks and an offer, usually within a week.",
    "A visit to the office or a video tour, whichever you prefer.",
]
TEAM_SENTENCES = [
    "The team meets once a week to plan and otherwise works mostly asynchronously.",
    "We write things down, so decisions do not depend on who was in the room.",
    "Most of us have worked in larger companies and chose a smaller one on purpose.",
    "We pair on difficult problems and review each other's work kindly but thoroughly.",
    "New colleagues get an onboarding buddy and a written plan for their first month.",
    "Our on-call rotation is shared fairly and compensated properly.",
    "We try hard to keep meetings short and to cancel the ones that are not needed.",
    "Quarterly retrospectives decide what we stop doing, not just what we start.",
    "People move between teams regularly, which keeps knowledge from becoming siloed.",
    "We celebrate shipped work, and we also celebrate work we decided not to do.",
    "Feedback is a habit here: small, frequent and in both directions.",
    "We publish our salary bands internally and review them every year.",
    "The office is open to everyone but nobody is required to come in.",
    "Our customers are invited to demo days, and their feedback shapes the roadmap.",
    "We keep a public changelog so customers can see what changed and why.",
    "Everyone spends a day each month answering support questions.",
]
STACK_ROWS = [
    ("Languages", ["Python", "Go", "TypeScript", "Rust", "Kotlin", "Java", "Elixir"]),
    ("Data", ["PostgreSQL", "Redis", "ClickHouse", "BigQuery", "SQLite", "Kafka"]),
    ("Infrastructure", ["Kubernetes", "Terraform", "Nomad", "AWS", "GCP", "Hetzner"]),
    ("Tooling", ["GitHub Actions", "GitLab CI", "Sentry", "Grafana", "Linear", "Notion"]),
]
CODE_SNIPPETS = [
    '```python\ndef handler(event):\n    job = load_job(event["id"])\n    return render(job)\n```',
    "```sql\nSELECT company, count(*)\nFROM postings\nGROUP BY company\nORDER BY 2 DESC;\n```",
    "```bash\nmake test && make deploy ENV=staging\n```",
    "```go\nfunc (s *Server) Health(w http.ResponseWriter, r *http.Request) {\n"
    "\tw.WriteHeader(http.StatusOK)\n}\n```",
]


def product(openers: list[str], rests: list[str]) -> list[str]:
    """Every opener combined with every continuation."""
    return [f"{opener} {rest}" for opener in openers for rest in rests]


ABOUT_POOL = product(ABOUT_OPENERS, ABOUT_CONTINUATIONS)
ROLE_POOL = product(ROLE_OPENERS, ROLE_CONTINUATIONS)
RESP_POOL = [f"{verb} {obj}." for verb in RESP_VERBS for obj in RESP_OBJECTS]
REQ_POOL = product(REQ_OPENERS, REQ_OBJECTS)
BENEFIT_POOL = product(BENEFIT_LEADS, BENEFIT_DETAILS)


# --------------------------------------------------------------------------
# Postings
# --------------------------------------------------------------------------


@dataclass
class Company:
    """A hiring company shared by many postings."""

    name: str
    slug: str
    url: str


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    """Pick one value from (value, weight) pairs."""
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights)[0]


def make_companies(count: int, rng: random.Random) -> list[Company]:
    """Create ``count`` distinct companies."""
    first, second = len(COMPANY_FIRST), len(COMPANY_SECOND)
    indexes = list(range(count))
    rng.shuffle(indexes)
    companies = []
    for i in indexes:
        name = (
            COMPANY_FIRST[i % first]
            + " "
            + COMPANY_SECOND[(i + i // first) % second]
            + COMPANY_SUFFIX[(i // (first * second)) % len(COMPANY_SUFFIX)]
        )
        if i >= first * second * len(COMPANY_SUFFIX):
            name += f" {i // (first * second * len(COMPANY_SUFFIX)) + 1}"
        slug = slugify(name)
        companies.append(Company(name=name, slug=slug, url=f"https://{slug}.example.com"))
    return companies


def yaml_value(value: object) -> str:
    """One frontmatter value: bare ISO date, else JSON (valid YAML flow syntax)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def make_salary(rng: random.Random, base: int, level: str, currency: str) -> dict[str, object]:
    """A salary range in the posting's currency and pay period."""
    period = weighted(rng, PERIODS)
    yearly = base * LEVEL_PAY[level] * CURRENCY_SCALE[currency] * rng.uniform(0.8, 1.25)
    amount = yearly / PERIOD_DIVISOR[period]
    step = 1000 if amount >= 20000 else 50 if amount >= 1000 else 1
    low = max(step, round(amount / step) * step)
    high = round(amount * rng.uniform(1.1, 1.4) / step) * step
    return {"min": low, "max": max(high, low + step), "currency": currency, "period": period}


def make_places(rng: random.Random, remote: str) -> tuple[list[dict[str, str]], list[str]]:
    """Locations and (for remote postings) applicant countries."""
    count = 0 if remote == "remote" and rng.random() < 0.5 else 1
    if count and rng.random() < 0.1:
        count = 2
    places = []
    for city, region, country, _ in rng.sample(CITIES, count):
        place = {"city": city, "region": region, "country": country}
        if not region:
            del place["region"]
        places.append(place)
    applicants = (
        sorted(rng.sample(APPLICANT_COUNTRIES, rng.randint(1, 3))) if remote == "remote" else []
    )
    return places, applicants


def make_dates(rng: random.Random) -> tuple[dt.date, dt.date | None]:
    """date_posted within the last 90 days; valid_through sometimes absent or past."""
    posted = TODAY - dt.timedelta(days=rng.randint(0, 89))
    roll = rng.random()
    if roll < 0.06 and (TODAY - posted).days > 7:
        days_left = (TODAY - posted).days - 1
        return posted, posted + dt.timedelta(days=rng.randint(7, days_left))
    if roll < 0.75:
        return posted, TODAY + dt.timedelta(days=rng.randint(3, 120))
    return posted, None


def make_frontmatter(
    rng: random.Random, index: int, company: Company
) -> tuple[dict[str, object], str, str]:
    """A posting's frontmatter, plus its family and primary city for the body."""
    family = weighted(rng, list(FAMILY_WEIGHTS.items()))
    roles, family_tags, base_pay = FAMILIES[family]
    level = weighted(rng, LEVELS)
    employment = weighted(rng, EMPLOYMENT_TYPES)
    if employment == "intern":
        level = "junior"
    title = LEVEL_TITLE[level] + rng.choice(roles)
    remote = weighted(rng, REMOTE_MODES)
    places, applicants = make_places(rng, remote)
    posted, valid = make_dates(rng)
    currency = (
        next(c for c in CITIES if c[0] == places[0]["city"])[3]
        if places
        else rng.choice(["USD", "EUR", "GBP"])
    )
    tags = rng.sample(family_tags, rng.randint(2, min(4, len(family_tags))))
    tags += rng.sample(GENERIC_TAGS, rng.randint(0, 2))

    matter: dict[str, object] = {
        "title": title,
        "company": {"name": company.name, "url": company.url},
        "date_posted": posted,
    }
    if valid:
        matter["valid_through"] = valid
    matter["employment_type"] = employment
    matter["location"] = places
    matter["remote"] = remote
    if applicants:
        matter["applicant_locations"] = applicants
    if rng.random() >= 0.04:
        matter["salary"] = make_salary(rng, base_pay, level, currency)
    if rng.random() < 0.85:
        matter["experience_level"] = level
    matter["tags"] = tags
    if rng.random() < 0.75:
        matter["apply_url"] = f"{company.url}/careers/{index}"
    else:
        matter["apply_email"] = f"jobs@{company.slug}.example.com"
    city = places[0]["city"] if places else "anywhere"
    return matter, family, city


def bullets(items: list[str]) -> str:
    """A markdown bullet list."""
    return "\n".join(f"- {item}" for item in items)


def stack_section(rng: random.Random) -> str:
    """A tech-stack section: a table, bullets with bold leads, maybe a code block."""
    rows = [(name, ", ".join(rng.sample(tools, 3))) for name, tools in STACK_ROWS]
    if rng.random() < 0.15:
        lines = ["| Area | What we use |", "| --- | --- |"]
        lines += [f"| {name} | {tools} |" for name, tools in rows]
        text = "\n".join(lines)
    else:
        text = bullets([f"**{name}:** {tools}" for name, tools in rows])
    if rng.random() < 0.08:
        text += "\n\nA typical change is small and reviewed quickly:\n\n"
        text += rng.choice(CODE_SNIPPETS)
    return "## Our stack\n\n" + text


def make_body(rng: random.Random, matter: dict[str, object], family: str, city: str) -> str:
    """About 6.8 KB of markdown for one posting."""
    company = matter["company"]["name"]  # type: ignore[index]
    title = matter["title"]
    url = matter.get("apply_url") or f"mailto:{matter.get('apply_email')}"
    parts = [
        f"## About {company}\n\n{company} is hiring in {city}. "
        + " ".join(rng.choices(ABOUT_POOL, k=rng.randint(4, 6))),
        " ".join(rng.choices(ABOUT_POOL, k=rng.randint(3, 5))),
        f"## The role\n\nWe are looking for someone to join our {family} team as "
        f"**{title}**. " + " ".join(rng.choices(ROLE_POOL, k=rng.randint(4, 6))),
        " ".join(rng.choices(ROLE_POOL, k=rng.randint(3, 5))),
        "## What you'll do\n\n" + bullets(rng.sample(RESP_POOL, rng.randint(8, 12))),
        "## What we're looking for\n\n" + bullets(rng.sample(REQ_POOL, rng.randint(8, 12))),
        "## Nice to have\n\n" + bullets(rng.sample(NICE_ITEMS, rng.randint(3, 5))),
    ]
    if family in ("engineering", "data") or rng.random() < 0.3:
        parts.append(stack_section(rng))
    parts.append("## Benefits\n\n" + bullets(rng.sample(BENEFIT_POOL, rng.randint(7, 10))))
    steps = rng.sample(PROCESS_STEPS, rng.randint(3, 5))
    parts.append(
        "## Hiring process\n\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
    )
    parts.append(
        f"## How to apply\n\nSend us your application [here]({url}). "
        "We read every application and reply within two weeks. "
        "Read more about us on [our website]"
        f"({matter['company']['url']})."
    )  # type: ignore[index]
    size = sum(len(part) for part in parts)
    target = int(TARGET_BODY_BYTES * rng.uniform(0.9, 1.1))
    team: list[str] = []
    while size + 180 < target:
        paragraph = " ".join(rng.sample(TEAM_SENTENCES, rng.randint(3, 5)))
        team.append(paragraph)
        size += len(paragraph) + 2
    if team:
        parts.insert(-2, "## Life on the team\n\n" + "\n\n".join(team))
    return "\n\n".join(parts) + "\n"


def render_posting(matter: dict[str, object], body: str) -> str:
    """Frontmatter block plus body."""
    lines = [f"{key}: {yaml_value(value)}" for key, value in matter.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def write_config(board: Path) -> None:
    """The board's sitegen.toml."""
    (board / "sitegen.toml").write_text(
        'title = "Bench board"\n'
        'base_url = "https://jobs.example.com/"\n'
        'markdown_engine = "comrak"\n',
        encoding="utf-8",
    )


def clear_postings(jobs: Path) -> None:
    """Remove previously generated postings so the board is exactly what we write."""
    if jobs.exists():
        shutil.rmtree(jobs)
    jobs.mkdir(parents=True)


def generate_board(n: int, dir: str | Path, seed: int = 0) -> Path:
    """Write a board of ``n`` postings into ``dir``; deterministic for ``seed``."""
    board = Path(dir)
    jobs = board / "content" / "jobs"
    stamp = board / STAMP_NAME
    stamp.unlink(missing_ok=True)
    clear_postings(jobs)
    write_config(board)
    rng = random.Random(seed)
    companies = make_companies(max(1, n // 20), rng)
    for index in range(n):
        company = rng.choice(companies)
        matter, family, city = make_frontmatter(rng, index, company)
        body = make_body(rng, matter, family, city)
        name = f"{slugify(str(matter['title']))}-{index:06d}.md"
        with open(jobs / name, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(render_posting(matter, body))
    stamp.write_text(json.dumps(board_stamp(n, seed)) + "\n", encoding="utf-8")
    return board


def board_stamp(n: int, seed: int) -> dict[str, int]:
    """What identifies a generated board."""
    return {"n": n, "seed": seed, "generator": GENERATOR_VERSION}


def board_is_current(dir: str | Path, n: int, seed: int = 0) -> bool:
    """True when ``dir`` holds a complete board generated with these parameters."""
    stamp = Path(dir) / STAMP_NAME
    try:
        return json.loads(stamp.read_text(encoding="utf-8")) == board_stamp(n, seed)
    except (OSError, ValueError):
        return False


def first_posting(board: Path) -> Path:
    """The posting that edits go to: the first file name in sorted order."""
    names = [
        entry.name for entry in (board / "content" / "jobs").iterdir() if entry.name.endswith(".md")
    ]
    if not names:
        raise FileNotFoundError(f"no postings in {board / 'content' / 'jobs'}")
    return board / "content" / "jobs" / min(names)


def edit_one_posting(dir: str | Path) -> Path:
    """Change one posting's body text (a visible revision line) and return its path.

    Each call bumps the revision number, so every call really changes the content
    while the frontmatter stays the same.
    """
    path = first_posting(Path(dir))
    text = path.read_text(encoding="utf-8")
    match = re.search(re.escape(EDIT_MARKER) + r"(\d+)\)\._\n$", text)
    if match:
        revision = int(match.group(1)) + 1
        text = text[: match.start()]
    else:
        revision = 1
        text = text.rstrip("\n") + "\n\n"
    text += f"{EDIT_MARKER}{revision})._\n"
    path.write_text(text, encoding="utf-8")
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line: ``N DIR [--seed S]`` or ``--edit DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, help="number of postings")
    parser.add_argument("dir", nargs="?", type=Path, help="board folder to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--edit", type=Path, metavar="DIR", help="change one posting's body in an existing board"
    )
    args = parser.parse_args(argv)
    if args.edit is None and (args.n is None or args.dir is None):
        parser.error("give N and DIR, or --edit DIR")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.edit is not None:
        print(f"edited {edit_one_posting(args.edit)}")
        return 0
    start = time.perf_counter()
    generate_board(args.n, args.dir, seed=args.seed)
    print(f"wrote {args.n} postings to {args.dir} in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
