from orders.delivery.fees import PROVINCES as OLD_PROVINCES
from regions.names import PROVINCES, province_code_for_name


def test_every_old_hard_coded_province_maps_to_a_distinct_code():
    codes = [province_code_for_name(name) for name in OLD_PROVINCES]
    assert None not in codes
    assert len(set(codes)) == len(OLD_PROVINCES) == len(PROVINCES) == 38


def test_old_spellings_and_new_papua_provinces():
    assert province_code_for_name("DI Yogyakarta") == "34"
    assert province_code_for_name("Daerah Istimewa Yogyakarta") == "34"
    assert province_code_for_name(" dki  jakarta ") == "31"
    assert province_code_for_name("Provinsi Kepulauan Bangka Belitung") == "19"
    assert province_code_for_name("Bangka Belitung") == "19"
    assert province_code_for_name("Papua Barat Daya") == "96"
    assert province_code_for_name("Papua Pegunungan") == "95"
    assert province_code_for_name("Atlantis") is None
    assert province_code_for_name("") is None


def test_embedded_list_matches_package_data():
    from regions.loader import read_package_data

    wilayah, _, _ = read_package_data()
    assert dict(PROVINCES) == {c: n for c, n in wilayah.items() if "." not in c}
