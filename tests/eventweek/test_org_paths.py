from eventweek.models import Org


def test_moving_a_county_moves_its_institutions_along(demo):
    wujin = demo.org("320412")
    wujin.parent = demo.org("320100")

    wujin.save()

    hospital = Org.objects.get(code="320412001")
    assert hospital.path == "/100000/320000/320100/320412/320412001/"
    assert hospital.is_within(demo.org("320100"))
    assert not hospital.is_within(Org.objects.get(code="320400"))


def test_an_org_sees_its_descendants_but_not_its_siblings_or_parent(demo):
    changzhou = demo.org("320400")

    codes = set(changzhou.descendants().values_list("code", flat=True))

    assert codes == {"320400", "320412", "320413", "320412001", "320412002"}
    assert set(changzhou.ancestors().values_list("code", flat=True)) == {"100000", "320000"}
