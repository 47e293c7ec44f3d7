import pytest


@pytest.fixture
def jdz(demo):
    """The core demo plus the 2023 Jingdezhen call (calls.demo)."""
    from calls import demo as calls_demo
    from calls.models import Call

    calls_demo.load()
    demo.call = Call.objects.get(slug="2023-jingdezhen")
    demo.users.update({u.username: u for u in _users()})
    return demo


def _users():
    from eventweek.models import User

    return User.objects.filter(username__in=[row[0] for row in __import__("calls.demo").demo.USERS])
