"""The statistics of survey results against known data: pure functions, no database."""

from types import SimpleNamespace

import pytest

from mitwirkung.surveys.results import statistics
from mitwirkung.surveys.results.statistics import numbers, summarise


def question(kind, options=(), statements=(), **fields):
    return SimpleNamespace(
        kind=kind, options=[SimpleNamespace(id=i, is_other=False) for i in options],
        statements=[SimpleNamespace(id=i) for i in statements], **fields)


def test_mean_and_median_of_a_fixed_set():
    figures = numbers({1: 1, 2: 2, 3: 1, 4: 1, 7: 1, 9: 1}, missing=3)
    assert figures == statistics.Numbers(7, 3, 4.0, 3.0, 1.0, 9.0)


def test_the_median_of_an_even_number_of_answers_is_the_mean_of_the_middle_two():
    assert numbers({1: 1, 2: 1, 3: 1, 10: 1}).median == 2.5
    assert numbers({8: 2, 9: 2}).median == 8.5
    assert numbers({5: 1000}).median == 5


def test_the_staff_survey_mean_comes_out_exactly():
    # 120 answers: 60 x 8 hours, 60 x 9 hours -> mean 8.5, median 8.5.
    figures = numbers({8.0: 60, 9.0: 60})
    assert (figures.n, figures.mean, figures.median) == (120, 8.5, 8.5)


def test_no_answers_give_no_figures():
    assert numbers({}, missing=2) == statistics.Numbers(0, 2, None, None, None, None)


def test_single_choice_counts_shares_missing_and_not_asked():
    q = question("single", options=(1, 2))
    rows = [(None, 1, None, 6, 0), (None, 2, None, 2, 0), (None, None, None, 2, 0)]
    summary = summarise(q, rows, total=12)
    assert summary.options == {1: 6, 2: 2}
    assert (summary.asked, summary.answered, summary.missing, summary.not_asked) == (10, 8, 2, 2)
    assert summary.share(1) == 75.0


def test_multiple_choice_counts_each_option_never_combinations():
    """Decidim #16421 counted combinations: here {A,B}, {A}, {B,C} and one left empty give
    A 2, B 2, C 1 of the 3 who answered."""
    q = question("multiple", options=(1, 2, 3))
    rows = [(None, None, 2.0, 2, 0), (None, None, 1.0, 1, 0), (None, None, None, 1, 0),
            (None, 1, None, 2, 0), (None, 2, None, 2, 0), (None, 3, None, 1, 0)]
    summary = summarise(q, rows, total=5)
    assert summary.options == {1: 2, 2: 2, 3: 1}
    assert (summary.answered, summary.missing, summary.not_asked) == (3, 1, 1)
    assert round(summary.share(1), 1) == 66.7
    assert sum(summary.share(o) for o in (1, 2, 3)) > 100


def test_number_and_matrix_figures_rest_on_their_own_n():
    number = summarise(question("number"), [(None, None, 8.0, 3, 0), (None, None, 9.0, 1, 0),
                                            (None, None, None, 2, 0)], total=6)
    assert (number.numbers.n, number.numbers.missing, number.numbers.mean) == (4, 2, 8.25)
    matrix = summarise(question("matrix", statements=(31, 32)),
                       [(31, None, 4.0, 2, 0), (31, None, 2.0, 1, 0), (32, None, 5.0, 1, 0),
                        (32, None, None, 2, 0)], total=4)
    assert matrix.asked == 3 and matrix.not_asked == 1
    assert matrix.statements[31].n == 3 and matrix.statements[31].median == 4
    assert matrix.statements[32] == statistics.Numbers(1, 2, 5.0, 5.0, 5.0, 5.0)


def test_free_text_counts_texts():
    summary = summarise(question("text"), [(None, None, None, 10, 4)], total=10)
    assert (summary.texts, summary.missing, summary.answered) == (4, 6, 4)


def test_distribution_of_a_scale_has_every_point_and_of_many_numbers_ten_ranges():
    scale = question("scale", scale_min=1, scale_max=5)
    summary = summarise(scale, [(None, None, 2.0, 3, 0)], total=3)
    assert statistics.distribution(scale, summary) == [
        (1, 1, 0), (2, 2, 3), (3, 3, 0), (4, 4, 0), (5, 5, 0)]
    many = question("number")
    summary = summarise(many, [(None, None, float(v), 1, 0) for v in range(0, 101)], total=101)
    bars = statistics.distribution(many, summary)
    assert len(bars) == 10 and sum(count for *_r, count in bars) == 101
    assert bars[-1] == (90.0, 100.0, 11)


# -- suppression ----------------------------------------------------------------------------

def test_counts_from_one_to_four_are_hidden_and_zero_is_not():
    cells = {"a": 0, "b": 3, "c": 12, "d": 30}
    hidden = statistics.suppress(cells, lines=[])
    assert hidden == {"b"}


def test_a_single_hidden_cell_in_a_line_gets_a_partner():
    """Row total 45 is shown: hiding only 3 would let 45 - 12 - 30 give it away."""
    cells = {"a": 3, "b": 12, "c": 30}
    hidden = statistics.suppress(cells, lines=[["a", "b", "c"]])
    assert hidden == {"a", "b"}  # the smallest cell of at least 8


def test_a_partner_below_eight_is_avoided_when_a_larger_one_exists():
    cells = {"a": 1, "b": 6, "c": 9, "d": 40}
    assert statistics.suppress(cells, lines=[["a", "b", "c", "d"]]) == {"a", "c"}


def test_secondary_suppression_runs_until_no_line_has_one_hidden_cell():
    # Two rows, two groups: a 2x2 table whose rows and columns both have known totals.
    cells = {(0, 0): 2, (0, 1): 20, (1, 0): 15, (1, 1): 25}
    lines = [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0), (1, 0)], [(0, 1), (1, 1)]]
    hidden = statistics.suppress(cells, lines)
    assert hidden == set(cells)
    for line in lines:
        assert len([key for key in line if key in hidden]) != 1


def test_small_groups_are_hidden_with_a_partner():
    assert statistics.hidden_groups([120, 3, 40, 0]) == {1, 2}
    assert statistics.hidden_groups([120, 3, 2, 40]) == {1, 2}
    assert statistics.hidden_groups([120, 40, 0]) == set()


def test_breakdown_lines_never_show_a_hidden_count_and_keep_every_line_safe():
    q = question("single", options=(1, 2), has_condition=False)
    whole = summarise(q, [(None, 1, None, 40, 0), (None, 2, None, 13, 0)], total=53)
    groups = [summarise(q, [(None, 1, None, 30, 0), (None, 2, None, 10, 0)], total=40),
              summarise(q, [(None, 1, None, 10, 0), (None, 2, None, 3, 0)], total=13)]
    lines = statistics.breakdown_lines(q, whole, groups, hidden=set())
    by_key = {line.key: line for line in lines}
    option2 = by_key[("option", 2)].cells
    assert option2[0].count == 13
    assert option2[2].hidden == "small" and option2[2].count is None
    assert option2[1].hidden == "partner" and option2[1].count is None
    # The column of group 2 adds up to its answered count: a second cell there is hidden.
    column = [by_key[("option", 1)].cells[2], option2[2]]
    assert all(cell.hidden for cell in column)
    shown = [cell.count for line in lines for cell in line.cells[1:] if cell.count is not None]
    assert 3 not in shown and 10 not in shown


def test_a_hidden_group_hides_every_figure_of_its_column():
    q = question("number", has_condition=False)
    whole = summarise(q, [(None, None, 8.0, 22, 0)], total=22)
    groups = [summarise(q, [(None, None, 8.0, 20, 0)], total=20),
              summarise(q, [(None, None, 8.0, 2, 0)], total=2)]
    lines = statistics.breakdown_lines(q, whole, groups, hidden={0, 1})
    for line in lines:
        assert all(cell.hidden == "group" for cell in line.cells[1:])
        assert all(cell.count is None and cell.value is None for cell in line.cells[1:])


@pytest.mark.parametrize("cells", [{"a": 4, "b": 0, "c": 0}, {"a": 1}])
def test_a_line_of_zeros_still_never_has_exactly_one_hidden_cell(cells):
    hidden = statistics.suppress(cells, [list(cells)])
    assert len(hidden) != 1 or len(cells) == 1
