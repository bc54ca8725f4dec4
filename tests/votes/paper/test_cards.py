"""Card numbers of a stack: the next one proposed, and numbers that look unlike the others
(cards.py, no database)."""

import re

import pytest

from mitwirkung.votes.paper.cards import (
    Misfit,
    SerialShape,
    common_shape,
    next_serial,
    serial_guide,
    serial_shape,
)


@pytest.mark.parametrize(("serial", "following"), [
    ("V-0011", "V-0012"),  # same prefix, plus one, leading zeros kept
    ("V-0099", "V-0100"),
    ("V-9999", "V-10000"),  # the number grows rather than wraps
    ("0007", "0008"),
    ("12", "13"),
    ("  K-1 ", "K-2"),
    ("2023-W-017", "2023-W-018"),  # the last run of digits counts
    ("A12b", "A13b"),  # a suffix stays
    ("Stand 3 / Karte 09", "Stand 3 / Karte 10"),
])
def test_the_next_number_is_the_last_digits_plus_one(serial, following):
    assert next_serial(serial) == following


@pytest.mark.parametrize("serial", ["", "  ", "ohne", "X-", "Ⅻ", "٣"])
def test_a_number_without_ascii_digits_has_no_next(serial):
    assert next_serial(serial) is None
    assert serial_shape(serial) is None


def test_a_next_number_longer_than_a_card_number_can_be_is_not_proposed():
    assert next_serial("K" * 36 + "9999") is None
    assert next_serial("K" * 35 + "9999") == "K" * 35 + "10000"


def test_shapes_compare_beginning_digit_count_and_end_ignoring_case():
    assert serial_shape("V-0011") == serial_shape("v-9999") == SerialShape("v-", 4, "")
    assert serial_shape("W-0011") != serial_shape("V-0011")
    assert serial_shape("V-011") != serial_shape("V-0011")
    assert serial_shape("V-0011a") == SerialShape("v-", 4, "a")


def test_the_common_shape_is_the_one_most_numbers_have():
    assert common_shape(["V-0001", "V-0002", "W-3"]) == SerialShape("v-", 4, "")
    assert common_shape([]) is None
    assert common_shape(["V-0001", "W-0002"]) is None  # a tie says nothing
    assert common_shape(["eins", "zwei", "V-1"]) is None  # most have no digits


@pytest.mark.parametrize("serial", ["V-0011", "v-0000", "Ä.(x)*+?[]{}|^$\\/-0007b"])
def test_the_pattern_for_the_browser_matches_what_the_shape_matches(serial):
    shape = serial_shape(serial)
    pattern = re.compile(shape.pattern(), re.IGNORECASE)
    assert pattern.match(serial.strip())
    assert not pattern.match(serial + "1") and not pattern.match("Z" + serial)
    # Only escapes JavaScript reads the same way outside a character class.
    assert not re.search(r"\\[^\\^$.|?*+()\[\]{}/-]", shape.pattern().replace("[0-9]", ""))


def test_the_guide_of_an_empty_stack_proposes_nothing_and_warns_of_nothing():
    guide = serial_guide([])
    assert (guide.proposal, guide.shape, guide.example, guide.misfit) == (None,) * 4


def test_the_guide_proposes_after_the_card_just_saved_else_after_the_highest():
    serials = ["V-0012", "V-0011", "V-0003"]  # highest first
    assert serial_guide(serials, "V-0003").proposal == "V-0004"
    assert serial_guide(serials, " v-0011 ").proposal == "V-0013"  # V-0012 is taken
    assert serial_guide(serials).proposal == "V-0013"
    assert serial_guide(["ohne"], "ohne").proposal is None


def test_the_guide_points_out_a_card_unlike_the_others():
    serials = ["W-0013", "V-0012", "V-0011"]
    guide = serial_guide(serials, "W-0013")
    assert guide.misfit == Misfit("W-0013", "V-0012")
    assert guide.shape == SerialShape("v-", 4, "") and guide.example == "V-0012"
    assert serial_guide(serials, "V-0012").misfit is None
    assert serial_guide(["V-012", "V-0011"], "V-012").misfit == Misfit("V-012", "V-0011")
    assert serial_guide(["V-0011"], "V-0011").misfit is None  # nothing to compare with
    # Against a tie nothing is pointed out.
    assert serial_guide(["X-1", "W-0013", "V-0012"], "X-1").misfit is None
