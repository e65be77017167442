"""What folding asks of a template's tree: names read, loaded, assigned; specials; copies."""

from __future__ import annotations

import jinja2

from site_gen import template_trees as trees

ENV = jinja2.Environment(
    loader=jinja2.DictLoader(
        {"page.html": "{{ t('x') }} {{ posting.title }}", "broken.html": "{{ oops( }}"}
    )
)


def parse(source: str) -> jinja2.nodes.Template:
    return ENV.parse(source)


def test_context_reads_names_globals_too() -> None:
    tree = parse("{% set a = 1 %}{{ a }} {{ t('x') }} {{ urls.href('') }}")
    assert trees.context_reads(tree, ENV) == {"t", "urls"}


def test_loaded_and_assigned_names() -> None:
    tree = parse(
        "{% from 'm.html' import card as c %}{% import 'n.html' as n %}"
        "{% macro m(arg) %}{{ arg }}{% endmacro %}{% for p in ps %}{{ p }}{% endfor %}"
    )
    assert trees.loaded_names(tree) >= {"arg", "ps", "p"}
    assert trees.assigned_names(tree, macros=False) == {"c", "n", "arg", "p"}
    assert trees.assigned_names(tree, macros=True) == {"c", "n", "arg", "p", "m"}


def test_loop_inside_a_loop_is_not_an_outer_special() -> None:
    assert not trees.outer_specials(parse("{% for p in ps %}{{ loop.index }}{% endfor %}"))
    assert trees.outer_specials(parse("{{ loop.index }}"))
    assert trees.outer_specials(
        parse("{% for p in loop %}{{ p }}{% endfor %}")
    )  # the iterable is outside
    assert trees.outer_specials(parse("{{ caller() }}"))


def test_a_copy_is_equal_and_shares_no_node() -> None:
    tree = parse("{% if a %}{{ b | upper }}{% endif %}")
    made = trees.copied(tree)
    assert made == tree
    originals = {id(node) for node in tree.find_all(jinja2.nodes.Node)}
    assert not originals & {id(node) for node in made.find_all(jinja2.nodes.Node)}


def test_parsed_templates_skips_what_does_not_parse() -> None:
    parsed = trees.parsed_templates(ENV)
    assert set(parsed) == {"page.html"}
    assert parsed["page.html"][0] == "{{ t('x') }} {{ posting.title }}"
