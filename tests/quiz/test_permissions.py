"""Management pages follow the org tree: the owner and its tree see them, an outsider gets 404."""

import pytest
from django.urls import reverse

from quiz.models import PrizeDraw, Quiz
from tests.quiz.conftest import at, finish

OWNER, SAME_TREE, OUTSIDER = "jiangsu_admin", "national_admin", "jiangxi_admin"
PAGES = [
    ("quiz:manage_quiz", "每卷 10 题"),
    ("quiz:manage_settings", 'name="time_limit_seconds" value="600"'),
    ("quiz:manage_bank", "题库（88 题）"),
    ("quiz:manage_leaderboard", "王芳"),
    ("quiz:manage_participation", "参与人数合计 <strong>1</strong> 人"),
    ("quiz:manage_questions", "2020年全国节能宣传周的主题是什么？"),
    ("quiz:manage_draw", "抽奖资格：得分 50 分及以上"),
    ("quiz:manage_exports", "生成 Excel"),
]


@pytest.fixture
def quiz(demo, jiangsu_quiz):
    finish(jiangsu_quiz, demo, "13900000001", name="王芳")
    return jiangsu_quiz


@pytest.mark.parametrize("name,expected", PAGES)
@pytest.mark.parametrize("username", [OWNER, SAME_TREE, "jiangsu_reviewer"])
def test_the_owner_and_its_tree_see_the_page(client_for, demo, quiz, username, name, expected):
    response = client_for(demo.user(username)).get(reverse(name, args=[quiz.pk]))
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize("name,_expected", PAGES)
def test_an_outsider_gets_404(client_for, demo, quiz, name, _expected):
    response = client_for(demo.user(OUTSIDER)).get(reverse(name, args=[quiz.pk]))
    assert response.status_code == 404


def test_a_child_org_does_not_see_its_parents_quiz(client_for, demo, quiz):
    response = client_for(demo.user("nanjing_reporter")).get(reverse("quiz:manage_quiz", args=[quiz.pk]))
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_login(client, quiz):
    response = client.get(reverse("quiz:manage_quiz", args=[quiz.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_week_index_lists_only_visible_weeks(client_for, demo, quiz, national_quiz):
    page = client_for(demo.user(OWNER)).get(reverse("quiz:manage_index")).content.decode()
    assert quiz.title in page
    assert national_quiz.title not in page
    assert client_for(demo.user(OUTSIDER)).get(reverse("quiz:manage_week", args=["2020-jiangsu"])).status_code == 404


def test_an_admin_creates_a_quiz_for_a_week_tied_to_the_quiz_activity(client_for, demo):
    response = client_for(demo.user(OWNER)).post(reverse("quiz:manage_week", args=["2020-jiangsu"]))
    quiz = Quiz.objects.get(week=demo.jiangsu)
    assert response["Location"] == reverse("quiz:manage_quiz", args=[quiz.pk])
    assert quiz.activity.title == "“云竞答”：节约能源资源和生态环境保护有奖竞答"
    assert (quiz.slug, quiz.attempts_per_person) == ("2020-jiangsu-quiz", 1)


def test_a_reviewer_cannot_draw(client_for, demo, quiz, time_machine):
    time_machine.move_to(at(6, 10))
    response = client_for(demo.user("jiangsu_reviewer")).post(
        reverse("quiz:manage_draw", args=[quiz.pk]), {"prize_count": 1, "seed": "x"}, follow=True
    )
    assert "只有管理员可以修改竞答设置、导入题目和抽奖。" in response.content.decode()
    assert PrizeDraw.objects.count() == 0


def test_the_owner_draws_and_sees_the_verified_result(client_for, demo, quiz, time_machine):
    time_machine.move_to(at(6, 10))
    response = client_for(demo.user(OWNER)).post(
        reverse("quiz:manage_draw", args=[quiz.pk]), {"prize_count": 1, "seed": "20200706"}, follow=True
    )
    page = response.content.decode()
    draw = PrizeDraw.objects.get()
    assert draw.seed == "20200706"
    assert '<code id="draw-seed">20200706</code>' in page
    assert "已按种子复核：结果一致" in page
    assert "13900000001" in page
    assert (
        client_for(demo.user(OUTSIDER)).get(reverse("quiz:manage_draw_detail", args=[quiz.pk, draw.pk])).status_code
        == 404
    )


def test_settings_validate_and_save(client_for, demo, quiz):
    client = client_for(demo.user(OWNER))
    url = reverse("quiz:manage_settings", args=[quiz.pk])
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "intro": "",
        "activity": quiz.activity_id,
        "opens_at": "",
        "closes_at": "",
        "question_count": 10,
        "points_per_question": 10,
        "time_limit_seconds": 20,
        "attempts_per_person": 1,
        "shuffle_questions": "on",
        "show_answers": "after_close",
        "prize_min_score": "",
        "prize_count": 3,
        "prize_note": "",
        "paper_spec_text": "节能:3\n节水 2",
    }
    page = client.post(url, data).content.decode()
    assert "<strong>答题时限（秒）</strong>：答题时限至少 30 秒。" in page
    assert "<strong>按分类抽题</strong>：第2行“节水 2”格式不对，应为“分类:题数”，如“节能:5”。" in page
    data.update(time_limit_seconds=300, paper_spec_text="节能:3\n节水:2")
    response = client.post(url, data)
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert (quiz.paper_spec, quiz.full_marks, quiz.time_limit_seconds, quiz.shuffle_options) == (
        {"节能": 3, "节水": 2},
        50,
        300,
        False,
    )
