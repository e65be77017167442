"""The theme's own markup, learnt once from a build of benign postings that use every field."""

from __future__ import annotations

import pytest

from tests.conftest import run_build
from tests.helpers import posting_text, write_board
from tests.security.corpus import HOST
from tests.security.invariants import Baseline, read_output

RICH_BODY = """\
# About the role

Some *emphasis*, **strong**, `code`, a [link](https://example.com/team) and
![a picture](https://example.com/team.png).

- [x] a done task
- [ ] an open one

| a | b |
|---|--:|
| 1 | 2 |

```python
print("hello")
```
"""


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = write_board(
        tmp_path_factory.mktemp("baseline") / "board",
        postings={
            "rich": posting_text(
                RICH_BODY,
                company={
                    "name": "Example Corp",
                    "url": "https://example.com",
                    "logo": "/images/logo.png",
                },
                apply_email="jobs@example.com",
                experience_level="senior",
                tags=["python", "go"],
                remote="hybrid",
            ),
            "remote": posting_text(
                remote="remote",
                location=[],
                applicant_locations=["US"],
                company={"name": "Remote Inc", "logo": "https://example.com/logo.png"},
                salary={"value": 50, "currency": "USD", "period": "hour"},
            ),
            "closed": posting_text(date_posted="2026-10-01", valid_through="2026-11-01"),
            **{f"filler-{n}": posting_text(title=f"Filler {n}") for n in range(25)},
        },
        pages={"about": "---\ntitle: About\ndescription: About us.\n---\nAbout this board.\n"},
        config=f'title = "Test board"\nbase_url = "https://{HOST}/"\n',
    )
    run_build(root)
    return Baseline.learn(read_output(root / "output"))
