import pytest
from django.core.exceptions import ValidationError

from core.npwp import clean_npwp, format_npwp


def test_a_printed_npwp_is_kept_as_its_digits():
    assert clean_npwp("01.312.166.0-091.000") == "013121660091000"


def test_a_wrong_check_digit_is_refused_in_indonesian():
    with pytest.raises(ValidationError) as caught:
        clean_npwp("01.312.166.1-091.000")
    assert "NPWP tidak valid" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["", "123", "abc.def.ghi.j-klm.nop", "0131216600910001234"])
def test_garbage_is_refused(value):
    with pytest.raises(ValidationError):
        clean_npwp(value)


def test_documents_print_the_dotted_form():
    assert format_npwp("013121660091000") == "01.312.166.0-091.000"
    assert format_npwp("") == ""
