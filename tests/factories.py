"""factory_boy factories for every model the tests need rows of."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from facilities.models import BankAccount, Facility, Membership, PartnerOutlet, Region
from facilities.roles import GROUP_NAMES


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Kanwil Uji {n}")
    province = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    slug = factory.Sequence(lambda n: f"kanwil-uji-{n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    region = factory.SubFactory(RegionFactory)
    kind = Facility.Kind.LAPAS
    facility_class = Facility.Class.IIA
    name = factory.Sequence(lambda n: f"Lapas Kelas IIA Uji {n}")
    slug = factory.Sequence(lambda n: f"lapas-uji-{n}")
    address = "Jl. Pemasyarakatan No. 1"
    city = "Kendari"
    province = factory.SelfAttribute("region.province")
    phone = "0401 310 0104"
    whatsapp = "0811 4000 104"
    showroom_hours = "Senin–Jumat 08.00–15.00"
    about = "Program kemandirian."


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    facility = factory.SubFactory(FacilityFactory)
    bank_name = "Bank BRI"
    account_number = factory.Sequence(lambda n: f"0001-01-{n:06d}-30-0")
    account_holder = "BPG Lapas Uji"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _member(role, **scope):
    user = UserFactory()
    Membership.objects.create(user=user, role=role, **scope)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def facility_staff(facility):
    """A staff user of `facility`, in the facility staff group."""
    return _member(Membership.Role.FACILITY_STAFF, facility=facility)


def regional_reviewer(region):
    return _member(Membership.Role.REGIONAL_REVIEWER, region=region)


def head_office_user():
    return _member(Membership.Role.HEAD_OFFICE)


class PartnerOutletFactory(factory.django.DjangoModelFactory):
    """A shop that sells a facility's goods, with an agreement in force since a month ago."""

    class Meta:
        model = PartnerOutlet

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Toko Mitra {n}")
    kind = PartnerOutlet.Kind.SHOP
    address = "Jl. Masjid Jamik No. 27"
    city = "Pangkalpinang"
    agreement_number = "PKS-01/2026"
    agreement_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
