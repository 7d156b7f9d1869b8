"""Titles for the widget: markup kept as an allow-listed tree, never as HTML to parse."""
from citations.widget.rich import authors_line, nodes_html, rich_nodes


def test_face_markup_and_mathml_become_a_tree():
    assert rich_nodes("CO<sub>2</sub> and <i>E. coli</i>") == ["CO", ["sub", "2"], " and ", ["i", "E. coli"]]
    assert rich_nodes("<math><msup><mi>x</mi><mn>2</mn></msup></math>") == [["math", ["msup", ["mi", "x"], ["mn", "2"]]]]


def test_scripts_attributes_and_unknown_tags_never_reach_the_tree():
    nodes = rich_nodes('<script>alert(1)</script><i onclick="x()">A</i><img src=x onerror=y><b>&lt;b&gt;</b>')
    assert nodes == [["i", "A"], ["b", "<b>"]]


def test_plain_titles_are_one_text_node():
    assert rich_nodes("Plain title") == ["Plain title"]
    assert rich_nodes("") == []


def test_the_tree_renders_back_escaped():
    assert nodes_html(["a < b ", ["i", "x&y"], ["script", "z"]]) == "a &lt; b <i>x&amp;y</i>z"


def test_authors_are_listed_like_the_portal_pages_do():
    people = [{"given_name": "Ada", "surname": "Lovelace"}, {"surname": "Babbage"}, {"surname": "Ed", "role": "editor"}]
    assert authors_line(people) == "Ada Lovelace, Babbage"
    assert authors_line([{"surname": f"S{i}"} for i in range(8)]).endswith("S5 et al.")
